package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.adapter.InClusterHarness.addressOf;
import static org.ipam.incluster.adapter.InClusterHarness.claim;
import static org.ipam.incluster.adapter.InClusterHarness.eventually;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prefix pools on a real API server, webhooks off: IPv6 /64s from a /56 and IPv4 /28s from a /24
 * (upstream serves IPv6 only), {@code excludedPrefixes} skipping every child they overlap, counts
 * in child prefixes, exhaustion told and served on release, the ledger recording child prefixes as
 * CIDRs. Bad inputs tried (webhooks off): an IPv4 prefix pool left at the default length 64, and a
 * pool whose exclusions cover every child.
 */
@ExtendWith(ControlPlaneExtension.class)
class InClusterPrefixPoolIT {
  private static InClusterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = InClusterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static InClusterPrefixPool pool(String namespace, String name, String specYaml) {
    return InClusterHarness.yaml(
        "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: InClusterPrefixPool\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n"
            + specYaml,
        InClusterPrefixPool.class);
  }

  private static PoolStatus status(KubernetesClient client, InClusterPrefixPool pool) {
    InClusterPrefixPool live = client.resource(pool).get();
    return live == null ? null : live.getStatus();
  }

  @Test
  void anIpv6PoolHandsOutSixtyFourSkippingExcludedChildrenLowestFirst(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "prefix-v6");
    InClusterPrefixPool pool =
        client
            .resource(
                pool(
                    "prefix-v6",
                    "v6",
                    "  prefixes: [\"fd00:0:0:100::/56\"]\n"
                        + "  allocationPrefixLength: 64\n"
                        + "  gateway: \"fd00:0:0:100::1\"\n"
                        + "  excludedPrefixes: [\"fd00:0:0:100::/63\", \"fd00:0:0:103::5\"]\n"))
            .create();
    List<IPAddressClaim> claims = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      claims.add(
          client
              .resource(claim("prefix-v6", "c" + i, InClusterApi.IN_CLUSTER_PREFIX_POOL, "v6"))
              .create());
    }

    // 100:: and 101:: are excluded by the /63, 103:: overlaps the excluded single address.
    List<String> expected = List.of("fd00:0:0:102::", "fd00:0:0:104::", "fd00:0:0:105::");
    eventually()
        .untilAsserted(
            () -> {
              Set<String> got = new HashSet<>();
              for (IPAddressClaim created : claims) {
                IPAddress address = addressOf(client, created);
                assertThat(address).as(created.getMetadata().getName()).isNotNull();
                assertThat(address.getSpec().getPrefix()).isEqualTo(64);
                assertThat(address.getSpec().getGateway()).isEqualTo("fd00:0:0:100::1");
                assertThat(address.getSpec().getPoolRef().getKind())
                    .isEqualTo(InClusterApi.IN_CLUSTER_PREFIX_POOL);
                got.add(address.getSpec().getAddress());
                assertThat(ClaimReady.is(client.resource(created).get(), "True")).isTrue();
              }
              assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
            });
    eventually()
        .untilAsserted(
            () -> {
              PoolStatus status = status(client, pool);
              // 256 children of the /56, less the two of the /63 and the one holding ::5.
              assertThat(status.getIpAddresses().getTotal()).isEqualTo(253L);
              assertThat(status.getIpAddresses().getUsed()).isEqualTo(3L);
              assertThat(status.getIpAddresses().getFree()).isEqualTo(250L);
              assertThat(status.getAllocations())
                  .extracting(AllocationRecord::getAddress)
                  .containsExactlyInAnyOrder(
                      "fd00:0:0:102::/64", "fd00:0:0:104::/64", "fd00:0:0:105::/64");
            });
  }

  @Test
  void aGlobalIpv4PoolHandsOutAlignedTwentyEightsUntilExhaustedThenServesOnRelease(
      KubernetesClient client) {
    GlobalInClusterPrefixPool pool =
        client
            .resource(
                InClusterHarness.yaml(
                    "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterPrefixPool\n"
                        + "metadata:\n  name: v4-28s\nspec:\n  prefixes: [10.20.0.0/24]\n"
                        + "  allocationPrefixLength: 28\n  excludedPrefixes: [10.20.0.20]\n",
                    GlobalInClusterPrefixPool.class))
            .create();
    List<IPAddressClaim> claims = new ArrayList<>();
    for (String namespace : List.of("prefix-a", "prefix-b", "prefix-c")) {
      InClusterHarness.createNamespace(client, namespace);
      for (int i = 0; i < 5; i++) {
        claims.add(
            client
                .resource(
                    claim(namespace, "c" + i, InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL, "v4-28s"))
                .create());
      }
    }

    // 16 children of the /24, less 10.20.0.16/28 which holds the excluded address: 15 claims.
    eventually()
        .untilAsserted(
            () -> {
              Set<String> blocks = new HashSet<>();
              for (IPAddressClaim created : claims) {
                IPAddress address = addressOf(client, created);
                assertThat(address).as(created.getMetadata().getName()).isNotNull();
                assertThat(address.getSpec().getPrefix()).isEqualTo(28);
                Ip base = Ip.parse(address.getSpec().getAddress());
                assertThat(new Cidr(base, 28).hasHostBits()).as(base.toString()).isFalse();
                assertThat(base).isNotEqualTo(Ip.parse("10.20.0.16"));
                blocks.add(address.getSpec().getAddress());
              }
              assertThat(blocks).hasSize(15);
            });

    IPAddressClaim waiting =
        client
            .resource(
                claim("prefix-a", "waiting", InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL, "v4-28s"))
            .create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(ClaimReady.of(client.resource(waiting).get()))
                    .hasValueSatisfying(
                        ready -> {
                          assertThat(ready.getStatus()).isEqualTo("False");
                          assertThat(ready.getReason()).isEqualTo("PoolExhausted");
                          assertThat(ready.getMessage())
                              .isEqualTo("GlobalInClusterPrefixPool v4-28s has no free /28 prefix");
                        }));
    eventually()
        .untilAsserted(
            () -> {
              GlobalInClusterPrefixPool live = client.resource(pool).get();
              assertThat(live.getStatus().getIpAddresses().getTotal()).isEqualTo(15L);
              assertThat(live.getStatus().getIpAddresses().getUsed()).isEqualTo(15L);
              assertThat(live.getStatus().getIpAddresses().getFree()).isZero();
            });

    IPAddressClaim released = claims.get(7);
    String freed = addressOf(client, released).getSpec().getAddress();
    client.resource(released).delete();

    eventually()
        .untilAsserted(
            () -> {
              IPAddress address = addressOf(client, waiting);
              assertThat(address).isNotNull();
              assertThat(address.getSpec().getAddress()).isEqualTo(freed);
              assertThat(client.resource(released).get()).isNull();
            });
  }

  @Test
  void anIpPoolAndAPrefixPoolOfOneNameAreTwoPools(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "prefix-twin");
    client
        .resource(
            InClusterHarness.yaml(
                "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: InClusterIPPool\nmetadata:\n"
                    + "  name: twin\n  namespace: prefix-twin\nspec:\n"
                    + "  addresses: [10.40.0.1-10.40.0.2]\n  prefix: 24\n",
                org.ipam.incluster.model.v1alpha2.InClusterIPPool.class))
        .create();
    InClusterPrefixPool prefixes =
        client
            .resource(
                pool(
                    "prefix-twin",
                    "twin",
                    "  prefixes: [\"fd00:40::/120\"]\n  allocationPrefixLength: 124\n"))
            .create();
    IPAddressClaim ip =
        client
            .resource(claim("prefix-twin", "ip", InClusterApi.IN_CLUSTER_IP_POOL, "twin"))
            .create();
    IPAddressClaim prefix =
        client
            .resource(claim("prefix-twin", "prefix", InClusterApi.IN_CLUSTER_PREFIX_POOL, "twin"))
            .create();

    eventually()
        .untilAsserted(
            () -> {
              IPAddress fromIpPool = addressOf(client, ip);
              IPAddress fromPrefixPool = addressOf(client, prefix);
              assertThat(fromIpPool).isNotNull();
              assertThat(fromPrefixPool).isNotNull();
              assertThat(fromIpPool.getSpec().getAddress()).isEqualTo("10.40.0.1");
              assertThat(fromPrefixPool.getSpec().getAddress()).isEqualTo("fd00:40::");
              assertThat(fromPrefixPool.getSpec().getPrefix()).isEqualTo(124);
              assertThat(status(client, prefixes).getAllocations())
                  .extracting(AllocationRecord::getAddress)
                  .containsExactly("fd00:40::/124");
            });
  }

  @Test
  void aPrefixPoolThatCannotServeSaysWhyOnThePoolAndItsClaims(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "prefix-bad");
    // IPv4 prefixes with the default allocation length 64 (upstream's default, for IPv6).
    InClusterPrefixPool defaulted =
        client.resource(pool("prefix-bad", "v4-default", "  prefixes: [10.30.0.0/24]\n")).create();
    // Every child overlaps an exclusion.
    InClusterPrefixPool covered =
        client
            .resource(
                pool(
                    "prefix-bad",
                    "covered",
                    "  prefixes: [10.31.0.0/24]\n  allocationPrefixLength: 26\n"
                        + "  excludedPrefixes: [10.31.0.1, 10.31.0.64-10.31.0.200, 10.31.0.255]\n"))
            .create();
    IPAddressClaim first =
        client
            .resource(
                claim("prefix-bad", "first", InClusterApi.IN_CLUSTER_PREFIX_POOL, "v4-default"))
            .create();
    IPAddressClaim second =
        client
            .resource(claim("prefix-bad", "second", InClusterApi.IN_CLUSTER_PREFIX_POOL, "covered"))
            .create();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(ClaimReady.of(client.resource(first).get()))
                  .hasValueSatisfying(
                      ready -> {
                        assertThat(ready.getReason()).isEqualTo("PoolNotReady");
                        assertThat(ready.getMessage())
                            .contains("spec.allocationPrefixLength")
                            .contains("64");
                      });
              assertThat(ClaimReady.of(client.resource(second).get()))
                  .hasValueSatisfying(
                      ready -> {
                        assertThat(ready.getReason()).isEqualTo("PoolNotReady");
                        assertThat(ready.getMessage())
                            .contains("leave no /26 child prefix")
                            .contains("10.31.0.64-10.31.0.200");
                      });
              for (InClusterPrefixPool pool : List.of(defaulted, covered)) {
                Condition ready =
                    status(client, pool).getConditions().stream()
                        .filter(c -> c.getType().equals("Ready"))
                        .findFirst()
                        .orElseThrow();
                assertThat(ready.getStatus()).isEqualTo("False");
                assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              }
            });
    assertThat(addressOf(client, first)).isNull();
    assertThat(addressOf(client, second)).isNull();
  }
}
