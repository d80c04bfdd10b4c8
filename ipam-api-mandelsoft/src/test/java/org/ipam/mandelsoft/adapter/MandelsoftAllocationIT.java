package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.eventually;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.request;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kubipam dialect on a real API server, webhooks off: the seed examples applied unchanged, a
 * specific block asked twice, a burst of mixed sizes, bad input answered in status, a range being
 * deleted.
 */
@ExtendWith(ControlPlaneExtension.class)
class MandelsoftAllocationIT {
  private static MandelsoftHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = MandelsoftHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static IPAMRequest live(KubernetesClient client, String namespace, String name) {
    return client.resources(IPAMRequest.class).inNamespace(namespace).withName(name).get();
  }

  private static IPAMRange range(KubernetesClient client, String namespace, String name) {
    return client.resources(IPAMRange.class).inNamespace(namespace).withName(name).get();
  }

  private static IPAMRequest ready(KubernetesClient client, String namespace, String name) {
    eventually()
        .untilAsserted(
            () -> {
              IPAMRequest got = live(client, namespace, name);
              assertThat(got.getStatus()).isNotNull();
              assertThat(got.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_READY);
            });
    return live(client, namespace, name);
  }

  private static IPAMRange newRange(String namespace, String name, String specYaml) {
    return MandelsoftHarness.yaml(
        "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: IPAMRange\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n"
            + specYaml,
        IPAMRange.class);
  }

  @Test
  void theSeedExamplesApplyUnchangedAndHandOutChunksAddressesAndExactBlocks(
      KubernetesClient client) {
    client
        .resource(
            MandelsoftHarness.yaml(
                MandelsoftHarness.resource("/seeds/mandelsoft/003-0-IPAMRange.yaml"),
                IPAMRange.class))
        .create();
    // The request exactly as the seed shows it, status block and all: the API server drops the
    // status of a create (status subresource), and the controller writes its own.
    client
        .resource(
            MandelsoftHarness.yaml(
                MandelsoftHarness.resource("/seeds/mandelsoft/003-1-IPAMRequest.yaml"),
                IPAMRequest.class))
        .create();
    IPAMRequest mynet = ready(client, "default", "mynet");
    assertThat(mynet.getStatus().getCidr()).matches("192\\.168\\.\\d{1,3}\\.0/24");
    assertThat(mynet.getMetadata().getFinalizers()).contains(MandelsoftApi.FINALIZER);

    client.resource(request("default", "single", "mynetworkpool", 32, null)).create();
    String single = ready(client, "default", "single").getStatus().getCidr();
    assertThat(single).matches("192\\.168\\.\\d{1,3}\\.\\d{1,3}/32");

    client.resource(request("default", "seven", "mynetworkpool", null, "192.168.7.0/24")).create();
    assertThat(ready(client, "default", "seven").getStatus().getCidr()).isEqualTo("192.168.7.0/24");

    // The same block again is Busy, with a message that says which block, until the first goes.
    client
        .resource(request("default", "seven-again", "mynetworkpool", null, "192.168.7.0/24"))
        .create();
    eventually()
        .untilAsserted(
            () -> {
              IPAMRequest again = live(client, "default", "seven-again");
              assertThat(again.getStatus()).isNotNull();
              assertThat(again.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_BUSY);
              assertThat(again.getStatus().getMessage()).startsWith("192.168.7.0/24 already busy");
              assertThat(again.getStatus().getCidr()).isNull();
            });
    client.resources(IPAMRequest.class).inNamespace("default").withName("seven").delete();
    assertThat(ready(client, "default", "seven-again").getStatus().getCidr())
        .isEqualTo("192.168.7.0/24");

    IPAMRange pool = range(client, "default", "mynetworkpool");
    assertThat(pool.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_READY);
    assertThat(pool.getMetadata().getFinalizers()).contains(MandelsoftApi.FINALIZER);
    eventually()
        .untilAsserted(
            () ->
                assertThat(range(client, "default", "mynetworkpool").getStatus().getAllocations())
                    .extracting(a -> a.getName())
                    .containsExactlyInAnyOrder("mynet", "single", "seven-again"));
  }

  @Test
  void aBurstOfTwoHundredMixedSizeRequestsGetsDisjointBlocks(KubernetesClient client) {
    MandelsoftHarness.createNamespace(client, "burst");
    client
        .resource(newRange("burst", "mixed", "  chunkSize: 24\n  ranges:\n  - 10.20.0.0/16\n"))
        .create();
    int[] sizes = {24, 26, 28, 32};
    for (int i = 0; i < 200; i++) {
      client.resource(request("burst", "r" + i, "mixed", sizes[i % 4], null)).create();
    }
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        client.resources(IPAMRequest.class).inNamespace("burst").list().getItems())
                    .allSatisfy(
                        r -> {
                          assertThat(r.getStatus()).isNotNull();
                          assertThat(r.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_READY);
                        }));
    List<IPAMRequest> served =
        client.resources(IPAMRequest.class).inNamespace("burst").list().getItems();
    List<IpRange> blocks = new ArrayList<>();
    for (IPAMRequest r : served) {
      Cidr cidr = IpParser.parseCidr(r.getStatus().getCidr()).orElseThrow();
      assertThat(cidr.hasHostBits()).isFalse();
      assertThat(cidr.prefixLength()).isEqualTo(r.getSpec().getSize());
      assertThat(cidr.toString()).startsWith("10.20.");
      blocks.add(cidr.range());
    }
    blocks.sort(Comparator.comparing(IpRange::first));
    for (int i = 1; i < blocks.size(); i++) {
      // Disjoint by address arithmetic: each block starts after the previous one ends.
      BigInteger previousEnd = blocks.get(i - 1).last().toBigInteger();
      assertThat(blocks.get(i).first().toBigInteger()).isGreaterThan(previousEnd);
    }
    // The ledger records exactly what the requests show.
    eventually()
        .untilAsserted(
            () -> {
              Map<String, String> ledger =
                  range(client, "burst", "mixed").getStatus().getAllocations().stream()
                      .collect(Collectors.toMap(a -> a.getUid(), a -> a.getCidr()));
              Map<String, String> shown =
                  client
                      .resources(IPAMRequest.class)
                      .inNamespace("burst")
                      .list()
                      .getItems()
                      .stream()
                      .collect(
                          Collectors.toMap(
                              r -> r.getMetadata().getUid(), r -> r.getStatus().getCidr()));
              assertThat(ledger).isEqualTo(shown);
            });
    // Every allocation is told on the range, a burst's in one event per second (CoalescedEvents),
    // not one each: 200 events would be 200 more writes.
    eventually()
        .untilAsserted(() -> assertThat(allocationsTold(client, "burst")).isEqualTo(served.size()));
    assertThat(allocationEvents(client, "burst"))
        .as("allocation events of the burst")
        .hasSizeLessThan(served.size());
    // A single request later is told alone, with upstream's message.
    int before = allocationEvents(client, "burst").size();
    client.resource(request("burst", "single", "mixed", 32, null)).create();
    eventually()
        .untilAsserted(() -> assertThat(allocationEvents(client, "burst")).hasSize(before + 1));
    String block =
        client
            .resources(IPAMRequest.class)
            .inNamespace("burst")
            .withName("single")
            .get()
            .getStatus()
            .getCidr();
    assertThat(allocationEvents(client, "burst"))
        .extracting(Event::getMessage)
        .contains("cidr " + block + " allocated");
  }

  private static List<Event> allocationEvents(KubernetesClient client, String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "allocation".equals(e.getReason()) && "Normal".equals(e.getType()))
        .toList();
  }

  /** How many allocations the range's events tell: "N within 1 s: ..." counts N, else 1. */
  private static int allocationsTold(KubernetesClient client, String namespace) {
    int told = 0;
    for (Event event : allocationEvents(client, namespace)) {
      java.util.regex.Matcher several =
          java.util.regex.Pattern.compile("^(\\d+) within ").matcher(event.getMessage());
      told += several.find() ? Integer.parseInt(several.group(1)) : 1;
    }
    return told;
  }

  @Test
  void badInputIsAnsweredInStatusAndOtherRangesServe(KubernetesClient client) {
    MandelsoftHarness.createNamespace(client, "bad");
    client
        .resource(
            newRange("bad", "mixed-family", "  ranges:\n  - 10.0.0.0/24\n  - 2001:db8::/64\n"))
        .create();
    client.resource(newRange("bad", "good", "  ranges:\n  - 10.1.0.0/24\n")).create();
    client.resource(request("bad", "to-mixed", "mixed-family", null, null)).create();
    client.resource(request("bad", "unaligned", "good", null, "10.1.0.5/30")).create();
    client.resource(request("bad", "outside", "good", null, "10.9.0.0/24")).create();
    client.resource(request("bad", "missing", "nowhere", null, null)).create();
    client.resource(request("bad", "fine", "good", null, null)).create();
    assertThat(ready(client, "bad", "fine").getStatus().getCidr()).isEqualTo("10.1.0.0/32");
    eventually()
        .untilAsserted(
            () -> {
              assertThat(range(client, "bad", "mixed-family").getStatus().getState())
                  .isEqualTo("Invalid");
              assertThat(range(client, "bad", "mixed-family").getStatus().getMessage())
                  .contains("spec.ranges[1] \"2001:db8::/64\" is IPv6");
              assertThat(invalidMessage(client, "to-mixed"))
                  .startsWith("IPAMRange bad/mixed-family not valid: ");
              assertThat(invalidMessage(client, "unaligned"))
                  .contains(
                      "spec.request \"10.1.0.5/30\" has host bits set: the block is 10.1.0.4/30");
              assertThat(invalidMessage(client, "outside"))
                  .contains("spec.request \"10.9.0.0/24\" is not inside IPAMRange bad/good");
              assertThat(invalidMessage(client, "missing"))
                  .isEqualTo("IPAMRange bad/nowhere not found");
            });
  }

  private static String invalidMessage(KubernetesClient client, String name) {
    IPAMRequest got = live(client, "bad", name);
    assertThat(got.getStatus()).isNotNull();
    assertThat(got.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_INVALID);
    return got.getStatus().getMessage();
  }

  @Test
  void aRangeBeingDeletedWaitsForItsRequestsAndRefusesNewOnes(KubernetesClient client) {
    MandelsoftHarness.createNamespace(client, "going");
    client
        .resource(newRange("going", "old", "  chunkSize: 28\n  ranges:\n  - 10.3.0.0/24\n"))
        .create();
    client.resource(request("going", "holder", "old", null, null)).create();
    assertThat(ready(client, "going", "holder").getStatus().getCidr()).isEqualTo("10.3.0.0/28");
    client.resources(IPAMRange.class).inNamespace("going").withName("old").delete();
    eventually()
        .untilAsserted(
            () -> {
              IPAMRange deleting = range(client, "going", "old");
              assertThat(deleting.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_DELETING);
              assertThat(deleting.getStatus().getMessage())
                  .isEqualTo(MandelsoftApi.DELETING_MESSAGE);
            });
    client.resource(request("going", "late", "old", null, null)).create();
    eventually()
        .untilAsserted(
            () -> {
              IPAMRequest late = live(client, "going", "late");
              assertThat(late.getStatus()).isNotNull();
              assertThat(late.getStatus().getState()).isEqualTo(MandelsoftApi.STATE_INVALID);
              assertThat(late.getStatus().getMessage())
                  .isEqualTo("IPAMRange going/old not valid: IPRange deleted");
            });
    client.resources(IPAMRequest.class).inNamespace("going").withName("holder").delete();
    eventually().untilAsserted(() -> assertThat(range(client, "going", "old")).isNull());
    eventually().untilAsserted(() -> assertThat(live(client, "going", "holder")).isNull());
  }
}
