package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.mandelsoft.adapter.MandelsoftHarness.eventually;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input with webhooks off, on a real API server: every object below is stored (the CRD checks
 * types only, as upstream's), and the controller answers each in status, state {@code Invalid},
 * with the line the webhook would refuse it with (object, field and value), while a good range
 * beside them serves its requests.
 *
 * <p>The bad inputs tried ({@link #BAD_RANGES}, {@link #BAD_REQUESTS}): ranges with no entry, an
 * address with an octet of 300, a prefix of 33, an entry with a leading space, an empty entry, a
 * range whose end is before its start, three parts, CIDRs joined by a dash, a range from IPv4 to
 * IPv6, an inet_aton short form, leading zeros, a zone, an IPv6 prefix of 129, both families in one
 * range, an unknown mode, a mode in lower case, a negative chunkSize, a chunkSize of 33 and of 129,
 * a chunkSize shorter than the range's prefix; requests of a negative size, of size 129, of size 33
 * on IPv4, of size 8 on a /16, a request that is no address, a CIDR with host bits, a prefix of 33,
 * an a-b range, a CIDR outside the range, an IPv6 CIDR on an IPv4 range, an IPv4 address on an IPv6
 * range, a block wider than the range, and an IPv6 CIDR with host bits.
 */
@ExtendWith(ControlPlaneExtension.class)
class MandelsoftWebhooksOffIT {
  private static final String NS = "off";

  /** Range name, spec (YAML, indented two), what its status message must contain. */
  static final List<List<String>> BAD_RANGES =
      List.of(
          List.of("empty", "ranges: []", "spec.ranges is empty"),
          List.of("octet", "ranges: [10.0.0.300]", "spec.ranges[0] \"10.0.0.300\""),
          List.of("prefix33", "ranges: [10.0.0.0/33]", "spec.ranges[0] \"10.0.0.0/33\""),
          List.of("space", "ranges: [\" 10.0.0.0/24\"]", "spec.ranges[0] \" 10.0.0.0/24\""),
          List.of("blank", "ranges: [\"\"]", "spec.ranges[0] \"\""),
          List.of(
              "backwards", "ranges: [10.0.0.9-10.0.0.5]", "spec.ranges[0] \"10.0.0.9-10.0.0.5\""),
          List.of(
              "three",
              "ranges: [10.0.0.1-10.0.0.5-10.0.0.9]",
              "spec.ranges[0] \"10.0.0.1-10.0.0.5-10.0.0.9\""),
          List.of(
              "cidrs",
              "ranges: [10.0.0.0/24-10.0.1.0/24]",
              "spec.ranges[0] \"10.0.0.0/24-10.0.1.0/24\""),
          List.of(
              "families",
              "ranges: [\"10.0.0.1-2001:db8::1\"]",
              "spec.ranges[0] \"10.0.0.1-2001:db8::1\""),
          List.of("short", "ranges: [\"10.1\"]", "spec.ranges[0] \"10.1\""),
          List.of("zeros", "ranges: [010.0.0.1]", "spec.ranges[0] \"010.0.0.1\""),
          List.of("zone", "ranges: [\"fe80::1%eth0\"]", "spec.ranges[0] \"fe80::1%eth0\""),
          List.of("v6prefix", "ranges: [\"2001:db8::/129\"]", "spec.ranges[0] \"2001:db8::/129\""),
          List.of(
              "mixed",
              "ranges: [10.0.0.0/24, \"2001:db8::/64\"]",
              "spec.ranges[1] \"2001:db8::/64\" is IPv6"),
          List.of("mode", "mode: Sideways\nranges: [10.0.0.0/24]", "spec.mode \"Sideways\""),
          List.of(
              "lowermode", "mode: roundrobin\nranges: [10.0.0.0/24]", "spec.mode \"roundrobin\""),
          List.of(
              "negchunk",
              "chunkSize: -1\nranges: [10.0.0.0/24]",
              "spec.chunkSize \"-1\" is negative"),
          List.of(
              "chunk33",
              "chunkSize: 33\nranges: [10.0.0.0/24]",
              "spec.chunkSize \"33\" is too large"),
          List.of(
              "chunk129",
              "chunkSize: 129\nranges: [\"2001:db8::/48\"]",
              "spec.chunkSize \"129\" is too large"),
          List.of(
              "chunkwide",
              "chunkSize: 8\nranges: [10.0.0.0/16]",
              "spec.chunkSize \"8\" is shorter than the widest block"));

  /** Request name, range, size (or ""), request (or ""), what its status message must contain. */
  static final List<List<String>> BAD_REQUESTS =
      List.of(
          List.of("negsize", "good", "-1", "", "spec.size \"-1\" is not a prefix length"),
          List.of("size129", "good", "129", "", "spec.size \"129\""),
          List.of("size33", "good", "33", "", "spec.size \"33\" is larger than the width"),
          List.of("size8", "good", "8", "", "spec.size \"8\" is wider than any block"),
          List.of("word", "good", "", "foo", "spec.request \"foo\""),
          List.of("hostbits", "good", "", "10.50.1.5/24", "spec.request \"10.50.1.5/24\" has host"),
          List.of("req33", "good", "", "10.50.1.0/33", "spec.request \"10.50.1.0/33\""),
          List.of(
              "dash", "good", "", "10.50.1.1-10.50.1.9", "spec.request \"10.50.1.1-10.50.1.9\""),
          List.of(
              "outside", "good", "", "10.9.0.0/24", "spec.request \"10.9.0.0/24\" is not inside"),
          List.of("v6onv4", "good", "", "2001:db8::/64", "spec.request \"2001:db8::/64\" is IPv6"),
          List.of("v4onv6", "good6", "", "10.50.0.1", "spec.request \"10.50.0.1\" is IPv4"),
          List.of("wider", "good", "", "10.0.0.0/8", "spec.request \"10.0.0.0/8\" is not inside"),
          List.of(
              "v6host",
              "good6",
              "",
              "2001:db8:50::1/64",
              "spec.request \"2001:db8:50::1/64\" has host"));

  private static MandelsoftHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = MandelsoftHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static IPAMRange range(String name, String spec) {
    return MandelsoftHarness.yaml(
        "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: IPAMRange\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + NS
            + "\nspec:\n"
            + spec.indent(2),
        IPAMRange.class);
  }

  @Test
  void everyBadRangeAndRequestIsInvalidNamingFieldAndValueAndTheGoodRangeServes(
      KubernetesClient client) {
    assertThat(BAD_RANGES.size() + BAD_REQUESTS.size()).isGreaterThanOrEqualTo(30);
    MandelsoftHarness.createNamespace(client, NS);
    client.resource(range("good", "chunkSize: 24\nranges: [10.50.0.0/16]")).create();
    client.resource(range("good6", "chunkSize: 64\nranges: [\"2001:db8:50::/48\"]")).create();
    for (List<String> bad : BAD_RANGES) {
      client.resource(range(bad.get(0), bad.get(1))).create();
    }
    for (List<String> bad : BAD_REQUESTS) {
      Integer size = bad.get(2).isEmpty() ? null : Integer.valueOf(bad.get(2));
      String specific = bad.get(3).isEmpty() ? null : bad.get(3);
      client
          .resource(MandelsoftHarness.request(NS, bad.get(0), bad.get(1), size, specific))
          .create();
    }
    client.resource(MandelsoftHarness.request(NS, "fine", "good", null, null)).create();
    client.resource(MandelsoftHarness.request(NS, "fine6", "good6", null, null)).create();

    eventually()
        .untilAsserted(
            () -> {
              SoftAssertions soft = new SoftAssertions();
              for (List<String> bad : BAD_RANGES) {
                IPAMRange got =
                    client.resources(IPAMRange.class).inNamespace(NS).withName(bad.get(0)).get();
                answered(
                    soft, "IPAMRange " + NS + "/" + bad.get(0), stateAndMessage(got), bad.get(2));
              }
              for (List<String> bad : BAD_REQUESTS) {
                IPAMRequest got =
                    client.resources(IPAMRequest.class).inNamespace(NS).withName(bad.get(0)).get();
                answered(
                    soft, "IPAMRequest " + NS + "/" + bad.get(0), stateAndMessage(got), bad.get(4));
              }
              soft.assertAll();
            });
    eventually()
        .untilAsserted(
            () -> {
              assertThat(stateAndMessage(request(client, "fine")))
                  .containsEntry("state", MandelsoftApi.STATE_READY);
              assertThat(request(client, "fine").getStatus().getCidr()).isEqualTo("10.50.0.0/24");
              assertThat(request(client, "fine6").getStatus().getCidr())
                  .isEqualTo("2001:db8:50::/64");
            });
  }

  private static IPAMRequest request(KubernetesClient client, String name) {
    return client.resources(IPAMRequest.class).inNamespace(NS).withName(name).get();
  }

  private static void answered(
      SoftAssertions soft, String object, Map<String, String> status, String fragment) {
    soft.assertThat(status.get("state"))
        .as(object + " state")
        .isEqualTo(MandelsoftApi.STATE_INVALID);
    soft.assertThat(status.get("message"))
        .as(object + " message")
        .contains(object + ": ")
        .contains(fragment);
  }

  private static Map<String, String> stateAndMessage(IPAMRange range) {
    return range.getStatus() == null
        ? Map.of()
        : nullSafe(range.getStatus().getState(), range.getStatus().getMessage());
  }

  private static Map<String, String> stateAndMessage(IPAMRequest request) {
    return request.getStatus() == null
        ? Map.of()
        : nullSafe(request.getStatus().getState(), request.getStatus().getMessage());
  }

  private static Map<String, String> nullSafe(String state, String message) {
    Map<String, String> map = new java.util.HashMap<>();
    map.put("state", String.valueOf(state));
    map.put("message", String.valueOf(message));
    return map;
  }
}
