package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.ClusterPause;
import org.ipam.core.engine.PoolKey;

/**
 * Which claims (by uid, with their pool) name which Cluster ({@code spec.clusterName}, else the
 * {@code cluster.x-k8s.io/cluster-name} label), so that a Cluster that is paused, unpaused, created
 * or deleted wakes its claims; and the pause contract for claims. Only uids are kept: the engine is
 * told to look at a claim again, never handed an object that may be older than its own.
 */
final class ClaimsOfClusters {
  private final Map<ResourceID, Map<String, PoolKey>> byCluster = new ConcurrentHashMap<>();
  private final Map<String, ResourceID> clusterOfClaim = new ConcurrentHashMap<>();

  void seen(PoolKey pool, IPAddressClaim claim) {
    String uid = claim.getMetadata().getUid();
    ResourceID cluster = clusterOf(claim);
    ResourceID before =
        cluster == null ? clusterOfClaim.remove(uid) : clusterOfClaim.put(uid, cluster);
    if (before != null && !before.equals(cluster)) {
      remove(before, uid);
    }
    if (cluster != null) {
      byCluster.compute(
          cluster,
          (k, claims) -> {
            Map<String, PoolKey> updated = claims == null ? new ConcurrentHashMap<>() : claims;
            updated.put(uid, pool);
            return updated;
          });
    }
  }

  void gone(IPAddressClaim claim) {
    String uid = claim.getMetadata().getUid();
    ResourceID cluster = clusterOfClaim.remove(uid);
    if (cluster != null) {
      remove(cluster, uid);
    }
  }

  /** The claims (uid to pool) that name this Cluster. */
  Map<String, PoolKey> of(ResourceID cluster) {
    return Map.copyOf(byCluster.getOrDefault(cluster, Map.of()));
  }

  private void remove(ResourceID cluster, String uid) {
    byCluster.computeIfPresent(
        cluster,
        (k, claims) -> {
          claims.remove(uid);
          return claims.isEmpty() ? null : claims;
        });
  }

  /** The Cluster a claim belongs to, or null: {@code spec.clusterName}, else the label. */
  static ResourceID clusterOf(IPAddressClaim claim) {
    String name = claim.getSpec() == null ? null : claim.getSpec().getClusterName();
    if (name == null || name.isEmpty()) {
      Map<String, String> labels = claim.getMetadata().getLabels();
      name = labels == null ? null : labels.get(ClusterPause.CLUSTER_NAME_LABEL);
    }
    return name == null || name.isEmpty()
        ? null
        : new ResourceID(name, claim.getMetadata().getNamespace());
  }

  /**
   * The Cluster API pause contract as upstream applies it to claims: the claim's paused annotation,
   * or its Cluster paused; a Cluster that does not exist pauses it too, unless it is being deleted
   * (clusterctl move creates the Cluster, paused, before the claims and their IPAddresses: a claim
   * must not be served before its moved IPAddress arrives). Where Cluster API is not installed
   * ({@code clusters} empty) a Cluster link pauses nothing.
   */
  static boolean paused(
      IPAddressClaim claim,
      Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> clusters) {
    if (ClusterPause.hasPausedAnnotation(claim)) {
      return true;
    }
    ResourceID cluster = clusterOf(claim);
    if (cluster == null || clusters.isEmpty()) {
      return false;
    }
    Optional<GenericKubernetesResource> found = clusters.get().apply(cluster);
    if (found.isEmpty()) {
      return claim.getMetadata().getDeletionTimestamp() == null;
    }
    return ClusterPause.isPaused(found.get());
  }
}
