package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.incluster.model.InClusterApi;
import org.junit.jupiter.api.Test;

/**
 * Which Cluster API claims the in-cluster claim finalizer webhook gives the finalizer at their
 * create: those of a pool this process serves, admitted by the watch filter, that the pause
 * contract does not hold back (upstream adds no finalizer to a held-back claim, so one deleted
 * before its Cluster is unpaused goes at once). Bad input tried: a poolRef of another group, of a
 * kind that is no pool of this dialect, with no name, a poolRef that is a string, a spec that is a
 * number; none of them gets the finalizer, and none throws.
 */
class InClusterFinalizerWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PoolKey> SERVED =
      Set.of(
          InClusterRecords.poolKey(InClusterApi.IN_CLUSTER_IP_POOL, "ns", "pool"),
          InClusterRecords.poolKey(InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL, null, "global"));

  private final InClusterDialectModule module = new InClusterDialectModule();

  private ClaimFinalizerWebhook webhook(WatchFilter filter) {
    List<ClaimFinalizerWebhook> webhooks = module.finalizerWebhooks(SERVED::contains, filter);
    assertThat(webhooks).hasSize(1);
    return webhooks.get(0);
  }

  @Test
  void nameResourceAndFinalizerAreTheCapiClaimsOfThisDialect() {
    ClaimFinalizerWebhook webhook = webhook(WatchFilter.NONE);
    assertThat(webhook.name())
        .isEqualTo("finalize.incluster.ipaddressclaims.ipam.cluster.x-k8s.io");
    assertThat(webhook.path())
        .isEqualTo("/mutate-incluster-ipam-cluster-x-k8s-io-v1beta2-ipaddressclaim");
    assertThat(webhook.finalizer()).isEqualTo(InClusterApi.RELEASE_ADDRESS_FINALIZER);
  }

  @Test
  void nothingBeforeAReconcilerHasSaidWhichClustersItSees() throws Exception {
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", null, null))).isFalse();
  }

  @Test
  void withoutClusterApiAClaimOfAServedPoolGetsItUnlessAnnotatedPaused() throws Exception {
    module.clusterView().known(Optional.empty());

    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", null, null))).isTrue();
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", "any", null)))
        .as("a Cluster link pauses nothing where Cluster API is not installed")
        .isTrue();
    assertThat(gets(WatchFilter.NONE, claim("GlobalInClusterPrefixPool", "global", null, null)))
        .isTrue();
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", null, "")))
        .as("the paused annotation")
        .isFalse();
  }

  @Test
  void aClaimOfAPausedOrMissingClusterGetsNothing() throws Exception {
    Map<ResourceID, GenericKubernetesResource> clusters =
        Map.of(
            new ResourceID("running", "ns"), cluster("running", false),
            new ResourceID("paused", "ns"), cluster("paused", true));
    module.clusterView().known(Optional.of(id -> Optional.ofNullable(clusters.get(id))));

    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", "running", null))).isTrue();
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", "paused", null))).isFalse();
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", "missing", null))).isFalse();
    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "pool", null, null))).isTrue();
  }

  @Test
  void onlyServedPoolsOfThisDialectAndClaimsTheWatchFilterAdmits() throws Exception {
    module.clusterView().known(Optional.empty());

    assertThat(gets(WatchFilter.NONE, claim("InClusterIPPool", "other", null, null))).isFalse();
    assertThat(gets(WatchFilter.NONE, claim("InClusterPrefixPool", "pool", null, null)))
        .as("a pool of that name, of another kind")
        .isFalse();
    assertThat(gets(WatchFilter.NONE, claim("IPPool", "pool", null, null))).isFalse();
    assertThat(
            gets(
                WatchFilter.NONE,
                "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":{\"apiGroup\":"
                    + "\"ipam.metal3.io\",\"kind\":\"InClusterIPPool\",\"name\":\"pool\"}}}"))
        .as("another group")
        .isFalse();
    WatchFilter filter = new WatchFilter("mine");
    assertThat(gets(filter, claim("InClusterIPPool", "pool", null, null))).isFalse();
    String labelled =
        "{\"metadata\":{\"name\":\"c\",\"labels\":{\"%s\":\"mine\"}},\"spec\":{\"poolRef\":{"
                .formatted(WatchFilter.LABEL)
            + "\"apiGroup\":\"ipam.cluster.x-k8s.io\",\"kind\":\"InClusterIPPool\","
            + "\"name\":\"pool\"}}}";
    assertThat(gets(filter, labelled)).isTrue();
  }

  @Test
  void badInputGetsNothingAndThrowsNothing() throws Exception {
    module.clusterView().known(Optional.empty());

    assertThat(gets(WatchFilter.NONE, "{\"metadata\":{\"name\":\"c\"},\"spec\":7}")).isFalse();
    assertThat(
            gets(
                WatchFilter.NONE,
                "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":\"pool\"}}"))
        .isFalse();
    assertThat(
            gets(
                WatchFilter.NONE,
                "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"poolRef\":{\"kind\":"
                    + "\"InClusterIPPool\"}}}"))
        .as("no pool name")
        .isFalse();
    assertThat(gets(WatchFilter.NONE, "{\"spec\":{}}")).as("no metadata").isFalse();
  }

  private boolean gets(WatchFilter filter, String claim) throws Exception {
    return webhook(filter).serves().test("ns", JSON.readTree(claim));
  }

  /** A claim's JSON as a create carries it (no namespace, no uid). */
  private static String claim(String kind, String pool, String clusterName, String pausedValue)
      throws Exception {
    Map<String, Object> metadata = new java.util.HashMap<>(Map.of("name", "c"));
    if (pausedValue != null) {
      metadata.put("annotations", Map.of(InClusterApi.PAUSED_ANNOTATION, pausedValue));
    }
    Map<String, Object> spec =
        new java.util.HashMap<>(
            Map.of("poolRef", Map.of("apiGroup", InClusterApi.GROUP, "kind", kind, "name", pool)));
    if (clusterName != null) {
      spec.put("clusterName", clusterName);
    }
    JsonNode node = JSON.valueToTree(Map.of("metadata", metadata, "spec", spec));
    return JSON.writeValueAsString(node);
  }

  private static GenericKubernetesResource cluster(String name, boolean paused) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    cluster.setAdditionalProperty("spec", Map.of("paused", paused));
    return cluster;
  }
}
