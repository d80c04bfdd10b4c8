package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.adapter.InClusterHarness.addressOf;
import static org.ipam.incluster.adapter.InClusterHarness.claim;
import static org.ipam.incluster.adapter.InClusterHarness.eventually;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --watch-filter=team-a}, as Cluster API providers honour it: a pool and a claim labelled
 * {@code cluster.x-k8s.io/watch-filter=team-a} are served; a claim without the label, or on a pool
 * without it, is left alone (no finalizer, no status, no IPAddress), for another controller.
 */
@ExtendWith(ControlPlaneExtension.class)
class InClusterWatchFilterIT {
  private static final Map<String, String> TEAM_A = Map.of(WatchFilter.LABEL, "team-a");
  private static InClusterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = InClusterHarness.start(client, new WatchFilter("team-a"));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static InClusterIPPool pool(String name, String addresses, Map<String, String> labels) {
    InClusterIPPool pool =
        InClusterHarness.yaml(
            "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: InClusterIPPool\nmetadata:\n  name: "
                + name
                + "\n  namespace: filtered\nspec:\n  addresses: ["
                + addresses
                + "]\n  prefix: 24\n",
            InClusterIPPool.class);
    pool.getMetadata().setLabels(labels);
    return pool;
  }

  private static IPAddressClaim labelled(IPAddressClaim claim, Map<String, String> labels) {
    claim.getMetadata().setLabels(labels);
    return claim;
  }

  @Test
  void onlyLabelledPoolsAndClaimsAreServed(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "filtered");
    client.resource(pool("ours", "10.60.0.1-10.60.0.9", TEAM_A)).create();
    InClusterIPPool theirs =
        client.resource(pool("theirs", "10.61.0.1-10.61.0.9", Map.of())).create();
    IPAddressClaim served =
        client
            .resource(
                labelled(
                    claim("filtered", "served", InClusterApi.IN_CLUSTER_IP_POOL, "ours"), TEAM_A))
            .create();
    IPAddressClaim unlabelled =
        client
            .resource(claim("filtered", "unlabelled", InClusterApi.IN_CLUSTER_IP_POOL, "ours"))
            .create();
    IPAddressClaim onTheirPool =
        client
            .resource(
                labelled(
                    claim("filtered", "on-their-pool", InClusterApi.IN_CLUSTER_IP_POOL, "theirs"),
                    TEAM_A))
            .create();
    // Created last: once it is served, the passes that could have served the others have run.
    IPAddressClaim last =
        client
            .resource(
                labelled(
                    claim("filtered", "last", InClusterApi.IN_CLUSTER_IP_POOL, "ours"), TEAM_A))
            .create();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(addressOf(client, served)).isNotNull();
              assertThat(addressOf(client, last)).isNotNull();
            });
    for (IPAddressClaim left : new IPAddressClaim[] {unlabelled, onTheirPool}) {
      IPAddressClaim live = client.resource(left).get();
      assertThat(live.getStatus() == null || live.getStatus().getAddressRef() == null)
          .as(left.getMetadata().getName() + " has no address")
          .isTrue();
      assertThat(live.getMetadata().getFinalizers())
          .as(left.getMetadata().getName())
          .doesNotContain(InClusterApi.RELEASE_ADDRESS_FINALIZER);
    }
    assertThat(client.resource(theirs).get().getMetadata().getFinalizers())
        .as("a pool without the label is not touched")
        .doesNotContain(InClusterApi.PROTECT_POOL_FINALIZER);
  }

  /**
   * Cold review (helper-50): a pool whose label is removed after it was served is no longer served,
   * so the claim finalizer webhook puts no finalizer on its new claims that no pass of this process
   * would remove; labelled again, it is served again.
   */
  @Test
  void aPoolWhoseLabelIsRemovedIsNoLongerServed(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "relabelled");
    InClusterIPPool pool = pool("moving", "10.62.0.1-10.62.0.9", TEAM_A);
    pool.getMetadata().setNamespace("relabelled");
    client.resource(pool).create();
    IPAddressClaim claim =
        client
            .resource(
                labelled(
                    claim("relabelled", "first", InClusterApi.IN_CLUSTER_IP_POOL, "moving"),
                    TEAM_A))
            .create();
    org.ipam.core.engine.PoolKey key =
        InClusterRecords.poolKey(InClusterApi.IN_CLUSTER_IP_POOL, "relabelled", "moving");
    eventually().untilAsserted(() -> assertThat(addressOf(client, claim)).isNotNull());
    assertThat(harness.serves(key)).isTrue();

    client
        .resources(InClusterIPPool.class)
        .inNamespace("relabelled")
        .withName("moving")
        .edit(
            p -> {
              p.getMetadata().getLabels().remove(WatchFilter.LABEL);
              return p;
            });
    eventually().untilAsserted(() -> assertThat(harness.serves(key)).isFalse());

    client
        .resources(InClusterIPPool.class)
        .inNamespace("relabelled")
        .withName("moving")
        .edit(
            p -> {
              p.getMetadata().getLabels().put(WatchFilter.LABEL, "team-a");
              return p;
            });
    eventually().untilAsserted(() -> assertThat(harness.serves(key)).isTrue());
  }
}
