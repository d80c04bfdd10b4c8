package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.harvester.adapter.HarvesterHarness.addressOf;
import static org.ipam.harvester.adapter.HarvesterHarness.eventually;
import static org.ipam.harvester.adapter.HarvesterHarness.loadBalancer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.NetworkingIPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Harvester dialect on a real API server, webhooks off: the seed's four IPPools applied
 * unchanged, and LoadBalancers in the namespaces, networks, projects and clusters the seed
 * describes getting addresses from the pool it says; allocation history across a delete and
 * recreate.
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterAllocationIT {
  private static HarvesterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = HarvesterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** A seed example applied unchanged (server-side apply of the YAML text). */
  private static void applySeed(KubernetesClient client, String file) {
    try (InputStream in =
        HarvesterAllocationIT.class.getResourceAsStream("/seeds/harvester/" + file)) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (HasMetadata object :
          client
              .load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
              .items()) {
        client.resource(object).serverSideApply();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AllocatedAddress served(KubernetesClient client, LoadBalancer lb) {
    try {
      eventually().until(() -> addressOf(client, lb) != null);
    } catch (ConditionTimeoutException e) {
      // Say why, from what the LoadBalancer itself shows.
      throw new AssertionError(
          lb.getMetadata().getName()
              + " not served; it shows "
              + client
                  .getKubernetesSerialization()
                  .asYaml(HarvesterHarness.live(client, lb).getStatus()),
          e);
    }
    return addressOf(client, lb);
  }

  @Test
  void theSeedsFourExamplesServeTheLoadBalancersTheyDescribe(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "product-ns");
    // Example 1: every LoadBalancer of namespace default gets an address of default-ip-pool.
    applySeed(client, "002-1-default-ip-pool.yaml");
    LoadBalancer vm = client.resource(loadBalancer("default", "vm-lb", Map.of())).create();
    AllocatedAddress first = served(client, vm);
    assertThat(first.getIpPool()).isEqualTo("default-ip-pool");
    assertThat(first.getIp()).isEqualTo("192.168.100.2"); // .1 is the default gateway
    assertThat(first.getMask()).isEqualTo("255.255.255.0");
    assertThat(first.getGateway()).isEqualTo("192.168.100.1");

    // Example 2: the guest cluster rke2 on network default/vlan1, project/namespace
    // product/default.
    applySeed(client, "002-2-rke2-ip-pool.yaml");
    LoadBalancer rke2 =
        client
            .resource(
                loadBalancer(
                    "default",
                    "rke2-lb",
                    Map.of(
                        HarvesterApi.NETWORK_ANNOTATION, "default/vlan1",
                        HarvesterApi.PROJECT_ANNOTATION, "product",
                        HarvesterApi.NAMESPACE_ANNOTATION, "default",
                        HarvesterApi.CLUSTER_ANNOTATION, "rke2")))
            .create();
    assertThat(served(client, rke2).getIpPool()).isEqualTo("rke2-ip-pool");
    assertThat(addressOf(client, rke2).getIp()).isEqualTo("192.168.10.10");

    // Example 3: default-ip-pool-2 with priority 1 takes over for new LoadBalancers of default;
    // the one already served keeps its address.
    applySeed(client, "002-3-default-ip-pool-2.yaml");
    eventually()
        .until(
            () ->
                client
                        .resources(NetworkingIPPool.class)
                        .withName("default-ip-pool-2")
                        .get()
                        .getStatus()
                    != null);
    LoadBalancer later = client.resource(loadBalancer("default", "later-lb", Map.of())).create();
    assertThat(served(client, later).getIpPool()).isEqualTo("default-ip-pool-2");
    assertThat(addressOf(client, later).getIp()).isEqualTo("192.168.200.2");
    assertThat(addressOf(client, vm).getIp()).isEqualTo("192.168.100.2");

    // Example 4: the global pool serves what nothing else matches.
    applySeed(client, "002-4-global-ip-pool.yaml");
    eventually()
        .until(
            () ->
                client
                        .resources(NetworkingIPPool.class)
                        .withName("global-ip-pool")
                        .get()
                        .getStatus()
                    != null);
    LoadBalancer elsewhere =
        client.resource(loadBalancer("product-ns", "other-lb", Map.of())).create();
    assertThat(served(client, elsewhere).getIpPool()).isEqualTo("global-ip-pool");
    assertThat(addressOf(client, elsewhere).getIp()).isEqualTo("192.168.20.2");

    // The pool's status as upstream writes it, and our ledger beside it.
    NetworkingIPPool pool =
        client.resources(NetworkingIPPool.class).withName("default-ip-pool").get();
    eventually()
        .until(
            () ->
                client
                        .resources(NetworkingIPPool.class)
                        .withName("default-ip-pool")
                        .get()
                        .getStatus()
                        .getAvailable()
                    == 252);
    pool = client.resources(NetworkingIPPool.class).withName("default-ip-pool").get();
    assertThat(pool.getStatus().getTotal()).isEqualTo(253);
    assertThat(pool.getStatus().getAllocated())
        .containsExactly(Map.entry("192.168.100.2", "default/vm-lb"));
    assertThat(pool.getStatus().getLastAllocated()).isEqualTo("192.168.100.2");
    assertThat(pool.getStatus().getAllocations()).hasSize(1);
    assertThat(pool.getStatus().getConditions())
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void aLoadBalancerRecreatedUnderItsNameGetsItsOldAddressBack(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "history");
    IPPool pool =
        client
            .resource(
                client
                    .getKubernetesSerialization()
                    .unmarshal(
                        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                            + "metadata:\n  name: history-pool\n  annotations:\n"
                            + "    ipam.org/allocation-order: round-robin\n"
                            + "spec:\n  ranges:\n  - subnet: 10.50.0.0/24\n",
                        IPPool.class))
            .create();
    Map<String, String> none = Map.of();
    LoadBalancer a = loadBalancer("history", "a", none);
    a.getSpec().setIpPool("history-pool");
    a = client.resource(a).create();
    assertThat(served(client, a).getIp()).isEqualTo("10.50.0.2");
    LoadBalancer b = loadBalancer("history", "b", none);
    b.getSpec().setIpPool("history-pool");
    assertThat(served(client, client.resource(b).create()).getIp()).isEqualTo("10.50.0.3");

    client.resource(a).delete();
    LoadBalancer deleted = a;
    eventually().until(() -> HarvesterHarness.live(client, deleted) == null);
    eventually()
        .until(
            () -> {
              var history =
                  client
                      .resources(IPPool.class)
                      .withName(pool.getMetadata().getName())
                      .get()
                      .getStatus()
                      .getAllocatedHistory();
              return history != null && "history/a".equals(history.get("10.50.0.2"));
            });
    LoadBalancer c = loadBalancer("history", "c", none);
    c.getSpec().setIpPool("history-pool");
    assertThat(served(client, client.resource(c).create()).getIp()).isEqualTo("10.50.0.4");

    LoadBalancer again = loadBalancer("history", "a", none);
    again.getSpec().setIpPool("history-pool");
    assertThat(served(client, client.resource(again).create()).getIp()).isEqualTo("10.50.0.2");
  }

  /**
   * No pool's pass sees a LoadBalancer that names a pool that does not exist: it is told so on its
   * Ready condition. (The no-match message of automatic selection is pinned by PoolSelectorTest;
   * here the seed's global pool would serve it.)
   */
  @Test
  void aLoadBalancerWhosePoolDoesNotExistIsToldSo(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "lonely");
    LoadBalancer wanting = loadBalancer("lonely", "lb", Map.of());
    wanting.getSpec().setIpPool("missing");
    LoadBalancer lb = client.resource(wanting).create();
    eventually()
        .until(
            () ->
                LoadBalancerWrites.ready(HarvesterHarness.live(client, lb))
                    .map(c -> "False".equals(c.getStatus()))
                    .orElse(false));
    assertThat(LoadBalancerWrites.ready(HarvesterHarness.live(client, lb)).get().getMessage())
        .isEqualTo("IPPool missing (spec.ipPool) does not exist");
  }

  /**
   * Cold review: a LoadBalancer moved to another pool (its spec.ipPool changed) that cannot serve
   * it went on showing its old address while the pool it left released that address after the
   * orphan grace and handed it to the next claim: two LoadBalancers showed one address. Now the old
   * pool takes the address off the LoadBalancer's status before it releases it: when the waiting z
   * is served that address, x no longer shows it.
   */
  @Test
  void aLoadBalancerMovedAwayStopsShowingItsOldAddressBeforeItIsHandedOut(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "moving");
    for (String name : new String[] {"move-from", "move-to"}) {
      String subnet = name.equals("move-from") ? "10.88.0" : "10.89.0";
      HarvesterHarness.createPool(
          client,
          name,
          "ranges:\n- subnet: "
              + subnet
              + ".0/24\n  rangeStart: "
              + subnet
              + ".2\n  rangeEnd: "
              + subnet
              + ".2");
    }
    LoadBalancer x = inPool("moving", "x", "move-from");
    assertThat(served(client, client.resource(x).create()).getIp()).isEqualTo("10.88.0.2");
    assertThat(served(client, client.resource(inPool("moving", "y", "move-to")).create()).getIp())
        .isEqualTo("10.89.0.2");
    LoadBalancer z = client.resource(inPool("moving", "z", "move-from")).create();

    LoadBalancer moved = HarvesterHarness.live(client, x);
    moved.getSpec().setIpPool("move-to");
    client.resource(moved).update();

    // After the orphan grace (30 s) of the pool x left.
    Awaitility.await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> addressOf(client, z) != null);
    AllocatedAddress handedOn = addressOf(client, z);
    assertThat(handedOn.getIp()).isEqualTo("10.88.0.2");
    LoadBalancer after = HarvesterHarness.live(client, x);
    assertThat(after.getStatus().getAllocatedAddress())
        .as("x, moved to a full pool, no longer shows the address z was handed")
        .satisfiesAnyOf(
            shown -> assertThat(shown).isNull(),
            shown -> assertThat(shown.getIp()).isNotEqualTo("10.88.0.2"));
  }

  private static LoadBalancer inPool(String namespace, String name, String pool) {
    LoadBalancer lb = loadBalancer(namespace, name, Map.of());
    lb.getSpec().setIpPool(pool);
    return lb;
  }
}
