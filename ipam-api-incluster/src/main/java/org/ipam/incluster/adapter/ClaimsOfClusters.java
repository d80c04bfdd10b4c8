package org.ipam.incluster.adapter;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.PoolKey;

/**
 * Which claims name which Cluster ({@code spec.clusterName}, else the {@code
 * cluster.x-k8s.io/cluster-name} label), as the claims' informer last showed them: a Cluster that
 * is paused, unpaused, created or deleted wakes its claims.
 */
final class ClaimsOfClusters {
  /** A claim as last seen, and its pool. */
  record Linked(PoolKey pool, IPAddressClaim claim) {}

  private final Map<ResourceID, Map<String, Linked>> byCluster = new ConcurrentHashMap<>();
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
      byCluster
          .computeIfAbsent(cluster, k -> new ConcurrentHashMap<>())
          .put(uid, new Linked(pool, claim));
    }
  }

  void gone(IPAddressClaim claim) {
    String uid = claim.getMetadata().getUid();
    ResourceID cluster = clusterOfClaim.remove(uid);
    if (cluster != null) {
      remove(cluster, uid);
    }
  }

  List<Linked> of(ResourceID cluster) {
    return List.copyOf(byCluster.getOrDefault(cluster, Map.of()).values());
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
      name =
          labels == null ? null : labels.get(org.ipam.core.engine.ClusterPause.CLUSTER_NAME_LABEL);
    }
    return name == null || name.isEmpty()
        ? null
        : new ResourceID(name, claim.getMetadata().getNamespace());
  }
}
