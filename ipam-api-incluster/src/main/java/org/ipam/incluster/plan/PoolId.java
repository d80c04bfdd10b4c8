package org.ipam.incluster.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;
import org.ipam.core.capi.PoolReference;
import org.ipam.incluster.model.InClusterApi;

/**
 * An in-cluster pool as plan keys it: its kind, its namespace (null for the Global kinds, which
 * serve claims of every namespace) and its name. The kind is part of it: an InClusterIPPool and an
 * InClusterPrefixPool of one name are two pools.
 */
record PoolId(String kind, String namespace, String name) {
  /** A pool read from the files (a Global one was read with no namespace). */
  static PoolId of(HasMetadata pool) {
    return new PoolId(
        pool.getKind(), pool.getMetadata().getNamespace(), pool.getMetadata().getName());
  }

  /**
   * The pool a claim or an IPAddress of this namespace names, if its {@code spec.poolRef} names one
   * of the four kinds; an empty {@code apiGroup} counts as {@code ipam.cluster.x-k8s.io}, as the
   * controller reads it.
   */
  static Optional<PoolId> named(PoolReference ref, String namespace) {
    if (ref == null || !InClusterApi.POOL_KINDS.contains(ref.getKind())) {
      return Optional.empty();
    }
    String group = ref.getApiGroup();
    if (group != null && !group.isEmpty() && !InClusterApi.GROUP.equals(group)) {
      return Optional.empty();
    }
    String name = ref.getName() == null ? "" : ref.getName();
    return Optional.of(
        new PoolId(ref.getKind(), InClusterApi.isGlobal(ref.getKind()) ? null : namespace, name));
  }
}
