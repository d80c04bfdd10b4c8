package org.ipam.incluster.webhook;

import org.ipam.core.capi.PoolReference;
import org.ipam.incluster.model.InClusterApi;

/**
 * Which Cluster API objects the in-cluster webhooks judge: those whose {@code spec.poolRef} names
 * one of the four pool kinds of {@code ipam.cluster.x-k8s.io}. An empty {@code apiGroup} counts as
 * that group, as the controller's claim index reads it (a v1beta1 claim may leave it out), so that
 * the webhook admits what the controller writes for such a claim. Objects of other pools (Metal3's)
 * are left to their own webhooks.
 */
final class InClusterPoolRefs {
  private InClusterPoolRefs() {}

  static boolean isInCluster(PoolReference ref) {
    return ref != null && InClusterApi.POOL_KINDS.contains(ref.getKind()) && ownGroup(ref);
  }

  /** Whether two poolRefs name the same pool, an empty group being this dialect's. */
  static boolean samePool(PoolReference a, PoolReference b) {
    return a != null
        && b != null
        && java.util.Objects.equals(a.getKind(), b.getKind())
        && java.util.Objects.equals(a.getName(), b.getName())
        && group(a).equals(group(b));
  }

  private static boolean ownGroup(PoolReference ref) {
    return InClusterApi.GROUP.equals(group(ref));
  }

  private static String group(PoolReference ref) {
    return ref.getApiGroup() == null || ref.getApiGroup().isEmpty()
        ? InClusterApi.GROUP
        : ref.getApiGroup();
  }
}
