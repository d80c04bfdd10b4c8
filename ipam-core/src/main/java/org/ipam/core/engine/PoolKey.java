package org.ipam.core.engine;

/** A pool as the engine keys it: the dialect that serves it, and where it lives. */
public record PoolKey(String dialect, String namespace, String name) {
  @Override
  public String toString() {
    return dialect + ":" + (namespace == null ? "" : namespace + "/") + name;
  }
}
