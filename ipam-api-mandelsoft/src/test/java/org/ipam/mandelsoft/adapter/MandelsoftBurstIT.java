package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.eventually;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.eventuallyForBursts;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.request;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bursts on a real API server, webhooks off: the seed's {@code 192.168.0.0/16} with {@code
 * chunkSize: 24} filled by 256 requests at once (every {@code /24} handed out once, the 257th
 * {@code Busy} until one goes), and 1,000 IPv6 {@code /64}s from a {@code /48} at once.
 */
@ExtendWith(ControlPlaneExtension.class)
class MandelsoftBurstIT {
  private static MandelsoftHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = MandelsoftHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static IPAMRange range(String namespace, String name, int chunkSize, String cidr) {
    return MandelsoftHarness.yaml(
        "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: IPAMRange\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n  chunkSize: "
            + chunkSize
            + "\n  ranges:\n  - "
            + cidr
            + "\n",
        IPAMRange.class);
  }

  private static List<IPAMRequest> requests(KubernetesClient client, String namespace) {
    return client.resources(IPAMRequest.class).inNamespace(namespace).list().getItems();
  }

  private static boolean ready(IPAMRequest request) {
    return request.getStatus() != null
        && MandelsoftApi.STATE_READY.equals(request.getStatus().getState());
  }

  /** The ledger of the range, uid to block, and what the requests show, uid to block. */
  private static void assertLedgerIsWhatRequestsShow(
      KubernetesClient client, String namespace, String range) {
    eventually()
        .untilAsserted(
            () -> {
              IPAMRange live =
                  client.resources(IPAMRange.class).inNamespace(namespace).withName(range).get();
              Map<String, String> ledger =
                  live.getStatus().getAllocations().stream()
                      .collect(Collectors.toMap(a -> a.getUid(), a -> a.getCidr()));
              Map<String, String> shown =
                  requests(client, namespace).stream()
                      .filter(MandelsoftBurstIT::ready)
                      .collect(
                          Collectors.toMap(
                              r -> r.getMetadata().getUid(), r -> r.getStatus().getCidr()));
              assertThat(ledger).isEqualTo(shown);
            });
  }

  @Test
  void the256Slash24sOfTheSeedRangeGoOnceEachAndThe257thWaitsForARelease(KubernetesClient client)
      throws Exception {
    String ns = "fill";
    MandelsoftHarness.createNamespace(client, ns);
    client.resource(range(ns, "net16", 24, "192.168.0.0/16")).create();
    List<IPAMRequest> burst =
        IntStream.range(0, 256)
            .mapToObj(i -> request(ns, "r%03d".formatted(i), "net16", null, null))
            .toList();
    MandelsoftHarness.createAtOnce(client, burst);
    eventuallyForBursts()
        .untilAsserted(
            () ->
                assertThat(requests(client, ns))
                    .hasSize(256)
                    .allMatch(MandelsoftBurstIT::ready, "Ready"));

    Set<String> expected =
        IntStream.range(0, 256).mapToObj(i -> "192.168." + i + ".0/24").collect(Collectors.toSet());
    List<String> served = requests(client, ns).stream().map(r -> r.getStatus().getCidr()).toList();
    assertThat(new HashSet<>(served)).as("256 distinct /24s, all of the /16").isEqualTo(expected);
    assertLedgerIsWhatRequestsShow(client, ns, "net16");

    client.resource(request(ns, "r256", "net16", null, null)).create();
    eventually()
        .untilAsserted(
            () -> {
              IPAMRequest late =
                  client.resources(IPAMRequest.class).inNamespace(ns).withName("r256").get();
              assertThat(late.getStatus()).isNotNull();
              assertThat(late.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_BUSY);
              assertThat(late.getStatus().getMessage())
                  .isEqualTo(
                      "allocation with size 24 failed: IPAMRange fill/net16 has no free aligned"
                          + " /24 left (the request waits for a release)");
              assertThat(late.getStatus().getCidr()).isNull();
            });

    IPAMRequest leaving =
        client.resources(IPAMRequest.class).inNamespace(ns).withName("r117").get();
    String freed = leaving.getStatus().getCidr();
    client.resource(leaving).delete();
    eventually()
        .untilAsserted(
            () -> {
              IPAMRequest late =
                  client.resources(IPAMRequest.class).inNamespace(ns).withName("r256").get();
              assertThat(ready(late)).isTrue();
              assertThat(late.getStatus().getCidr()).isEqualTo(freed);
            });
    assertLedgerIsWhatRequestsShow(client, ns, "net16");
  }

  @Test
  void aThousandIpv6Slash64sFromASlash48AtOnceAreDistinctAndAligned(KubernetesClient client)
      throws Exception {
    String ns = "six";
    int count = 1000;
    MandelsoftHarness.createNamespace(client, ns);
    client.resource(range(ns, "net48", 64, "2001:db8:1::/48")).create();
    List<IPAMRequest> burst =
        IntStream.range(0, count)
            .mapToObj(i -> request(ns, "v%04d".formatted(i), "net48", null, null))
            .toList();
    MandelsoftHarness.createAtOnce(client, burst);
    eventuallyForBursts()
        .untilAsserted(
            () ->
                assertThat(requests(client, ns))
                    .hasSize(count)
                    .allMatch(MandelsoftBurstIT::ready, "Ready"));

    Cidr range = IpParser.parseCidr("2001:db8:1::/48").orElseThrow();
    List<Cidr> blocks = new ArrayList<>();
    for (IPAMRequest r : requests(client, ns)) {
      Cidr block = IpParser.parseCidr(r.getStatus().getCidr()).orElseThrow();
      assertThat(block.prefixLength()).as(r.getStatus().getCidr()).isEqualTo(64);
      assertThat(block.hasHostBits()).as(r.getStatus().getCidr()).isFalse();
      assertThat(range.range().contains(block.range())).as(r.getStatus().getCidr()).isTrue();
      blocks.add(block);
    }
    // Distinct /64s of one /48 are disjoint: count them by their network numbers.
    Set<BigInteger> networks = new HashSet<>();
    blocks.forEach(b -> networks.add(b.range().first().toBigInteger().shiftRight(64)));
    assertThat(networks).hasSize(count);
    assertLedgerIsWhatRequestsShow(client, ns, "net48");
  }
}
