package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.harvester.adapter.HarvesterHarness.eventually;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterCondition;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With webhooks off, the webhook's rules are answered on the pool: of two pools that conflict (here
 * overlapping ranges, then one priority), the newer hands out nothing and its Ready condition names
 * the field and the value, a LoadBalancer that names it is told the same, and the older serves on.
 * Creation times have whole seconds, so two pools made within one second are ordered by name: the
 * names here ("older" before "younger") agree with the order of creation either way.
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterWebhooksOffIT {
  private static HarvesterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = HarvesterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static IPPool pool(KubernetesClient client, String name, String spec) {
    return client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                        + "metadata:\n  name: "
                        + name
                        + "\nspec:\n"
                        + spec.indent(2),
                    IPPool.class))
        .create();
  }

  private static Optional<HarvesterCondition> ready(KubernetesClient client, String pool) {
    IPPool live = client.resources(IPPool.class).withName(pool).get();
    return live.getStatus() == null || live.getStatus().getConditions() == null
        ? Optional.empty()
        : live.getStatus().getConditions().stream()
            .filter(c -> HarvesterApi.READY_CONDITION.equals(c.getType()))
            .findFirst();
  }

  private static LoadBalancer named(KubernetesClient client, String name, String pool) {
    LoadBalancer lb = HarvesterHarness.loadBalancer("off", name, Map.of());
    lb.getSpec().setIpPool(pool);
    return client.resource(lb).create();
  }

  @Test
  void theNewerOfTwoConflictingPoolsSaysWhyAndHandsOutNothing(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "off");
    pool(client, "older", "ranges:\n- subnet: 10.70.0.0/24\nselector:\n  priority: 7");
    eventually().until(() -> ready(client, "older").isPresent());
    pool(client, "younger", "ranges:\n- subnet: 10.70.0.128/25\nselector:\n  priority: 7");

    eventually()
        .until(
            () -> ready(client, "younger").map(c -> "False".equals(c.getStatus())).orElse(false));
    assertThat(ready(client, "younger").get().getMessage())
        .startsWith("IPPool younger (loadbalancer.harvesterhci.io): spec.ranges[0]")
        .contains("\"10.70.0.129-10.70.0.254\" overlaps spec.ranges[0]", "of IPPool older")
        .contains("spec.selector.priority \"7\" is the priority of IPPool older");
    assertThat(ready(client, "older").get().getStatus()).isEqualTo("True");

    LoadBalancer refused = named(client, "to-younger", "younger");
    LoadBalancer served = named(client, "to-older", "older");
    eventually().until(() -> HarvesterHarness.addressOf(client, served) != null);
    assertThat(HarvesterHarness.addressOf(client, served).getIp())
        .isEqualTo("10.70.0.2"); // .1 is the gateway
    eventually()
        .until(
            () ->
                LoadBalancerWrites.ready(HarvesterHarness.live(client, refused))
                    .map(c -> "False".equals(c.getStatus()))
                    .orElse(false));
    assertThat(LoadBalancerWrites.ready(HarvesterHarness.live(client, refused)).get().getMessage())
        .contains("spec.selector.priority \"7\"");
    assertThat(HarvesterHarness.addressOf(client, refused)).isNull();
  }
}
