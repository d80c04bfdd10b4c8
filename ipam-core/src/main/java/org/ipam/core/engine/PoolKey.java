package org.ipam.core.engine;

/**
 * A pool as the engine keys it: the dialect that serves it, the pool's kind where a dialect has
 * several kinds whose names may coincide (an InClusterIPPool and an InClusterPrefixPool both called
 * {@code a} are two pools), and where it lives.
 *
 * @param kind null for a dialect with one pool kind
 * @param namespace null for a cluster-scoped pool
 */
public record PoolKey(String dialect, String kind, String namespace, String name) {

  /** A pool of a dialect with one pool kind. */
  public PoolKey(String dialect, String namespace, String name) {
    this(dialect, null, namespace, name);
  }

  @Override
  public String toString() {
    return dialect
        + ":"
        + (kind == null ? "" : kind + ":")
        + (namespace == null ? "" : namespace + "/")
        + name;
  }
}
