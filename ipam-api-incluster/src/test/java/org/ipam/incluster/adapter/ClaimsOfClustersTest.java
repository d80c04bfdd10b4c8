package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.PoolKey;
import org.ipam.incluster.model.InClusterApi;
import org.junit.jupiter.api.Test;

/**
 * The pause contract for claims, and which claims a Cluster's change wakes. Bad inputs tried: a
 * cluster-name label naming a Cluster that does not exist, a claim moved from one Cluster to
 * another, Cluster API not installed.
 */
class ClaimsOfClustersTest {
  private static final PoolKey POOL = new PoolKey("incluster", "ns", "p");

  private static IPAddressClaim claim(String uid, String clusterName, Map<String, String> labels) {
    IPAddressClaim claim =
        InClusterHarness.claim("ns", "c-" + uid, InClusterApi.IN_CLUSTER_IP_POOL, "p");
    claim.getMetadata().setUid(uid);
    claim.getSpec().setClusterName(clusterName);
    claim.getMetadata().setLabels(labels);
    return claim;
  }

  private static GenericKubernetesResource cluster(boolean paused) {
    return InClusterHarness.yaml(
        "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: wl\n"
            + "  namespace: ns\nspec:\n  paused: "
            + paused
            + "\n",
        GenericKubernetesResource.class);
  }

  private static Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> clusters(
      GenericKubernetesResource cluster) {
    return Optional.of(
        id ->
            id.equals(new ResourceID("wl", "ns"))
                ? Optional.ofNullable(cluster)
                : Optional.empty());
  }

  @Test
  void aClaimIsPausedByItsAnnotationOrItsClusterPausedOrMissing() {
    IPAddressClaim annotated = claim("a", null, null);
    annotated.getMetadata().setAnnotations(Map.of("cluster.x-k8s.io/paused", ""));
    assertThat(ClaimsOfClusters.paused(annotated, Optional.empty())).isTrue();

    IPAddressClaim linked = claim("b", "wl", null);
    assertThat(ClaimsOfClusters.paused(linked, clusters(cluster(true)))).isTrue();
    assertThat(ClaimsOfClusters.paused(linked, clusters(cluster(false)))).isFalse();
    assertThat(ClaimsOfClusters.paused(linked, clusters(null))).as("Cluster missing").isTrue();

    IPAddressClaim byLabel = claim("c", null, Map.of(InClusterApi.CLUSTER_NAME_LABEL, "wl"));
    assertThat(ClaimsOfClusters.paused(byLabel, clusters(cluster(true)))).isTrue();
    assertThat(ClaimsOfClusters.paused(claim("d", null, null), clusters(null))).isFalse();
  }

  @Test
  void aDeletingClaimOfAMissingClusterIsReleasedAndWithoutClusterApiALinkPausesNothing() {
    IPAddressClaim deleting = claim("a", "wl", null);
    deleting.getMetadata().setDeletionTimestamp("2026-11-28T00:00:00Z");
    assertThat(ClaimsOfClusters.paused(deleting, clusters(null))).isFalse();
    assertThat(ClaimsOfClusters.paused(deleting, clusters(cluster(true))))
        .as("a paused Cluster keeps even its deleting claims")
        .isTrue();
    assertThat(ClaimsOfClusters.paused(claim("b", "wl", null), Optional.empty())).isFalse();
  }

  @Test
  void aClusterWakesTheClaimsThatNameItNowByUid() {
    ClaimsOfClusters index = new ClaimsOfClusters();
    IPAddressClaim claim = claim("a", "wl", null);
    index.seen(POOL, claim);
    assertThat(index.of(new ResourceID("wl", "ns"))).containsExactly(Map.entry("a", POOL));

    index.seen(POOL, claim("a", "other", null));
    assertThat(index.of(new ResourceID("wl", "ns"))).isEmpty();
    assertThat(index.of(new ResourceID("other", "ns"))).containsOnlyKeys("a");

    index.gone(claim);
    assertThat(index.of(new ResourceID("other", "ns"))).isEmpty();
  }
}
