package org.ipam.mandelsoft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.mandelsoft.rules.Objects.range;
import static org.ipam.mandelsoft.rules.Objects.request;

import java.util.List;
import java.util.stream.Stream;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The IPAMRequest rules, alone and against a range: one row a bad input. */
class RequestRulesTest {
  private static final RangeShape V4 = RangeRules.check(range(24, null, "192.168.0.0/16")).shape();
  private static final RangeShape V6 = RangeRules.check(range(64, null, "2001:db8:1::/48")).shape();
  private static final RangeShape ODD =
      RangeRules.check(range(null, null, "10.0.0.10-10.0.0.20")).shape();
  private static final String POOL = "IPAMRange default/pool";

  /** Bad without any range: what a webhook can refuse on its own. */
  static Stream<Arguments> badAlone() {
    return Stream.of(
        bad(request(null, null, null, null), "spec.ipam.name \"\" is empty"),
        bad(request("", null, null, null), "spec.ipam.name \"\" is empty"),
        bad(request("Pool", null, null, null), "spec.ipam.name \"Pool\""),
        bad(request("pool_1", null, null, null), "spec.ipam.name \"pool_1\""),
        bad(request("-pool", null, null, null), "spec.ipam.name \"-pool\""),
        bad(request("pool.", null, null, null), "spec.ipam.name \"pool.\""),
        bad(request("a".repeat(254), null, null, null), "spec.ipam.name \"aaaa"),
        bad(request("pool", "Default", null, null), "spec.ipam.namespace \"Default\""),
        bad(request("pool", "ns.with.dots", null, null), "spec.ipam.namespace \"ns.with.dots\""),
        bad(request("pool", "a".repeat(64), null, null), "spec.ipam.namespace \"aaaa"),
        bad(request("pool", "-ns", null, null), "spec.ipam.namespace \"-ns\""),
        bad(request("pool", null, -1, null), "spec.size \"-1\" is not a prefix length"),
        bad(request("pool", null, -32, null), "spec.size \"-32\""),
        bad(request("pool", null, 129, null), "spec.size \"129\""),
        bad(request("pool", null, 1000, null), "spec.size \"1000\""),
        bad(request("pool", null, null, "foo"), "spec.request \"foo\""),
        bad(
            request("pool", null, null, "192.168.1.5/24"),
            "spec.request \"192.168.1.5/24\" has host bits set: the block is 192.168.1.0/24"),
        bad(
            request("pool", null, null, "10.0.0.5/30"),
            "spec.request \"10.0.0.5/30\" has host bits set: the block is 10.0.0.4/30"),
        bad(
            request("pool", null, null, "2001:db8:1::1/64"),
            "spec.request \"2001:db8:1::1/64\" has host bits"),
        bad(request("pool", null, null, "192.168.7.0/33"), "spec.request \"192.168.7.0/33\""),
        bad(request("pool", null, null, "192.168.7.0/"), "spec.request \"192.168.7.0/\""),
        bad(request("pool", null, null, "192.168.7.0/24/24"), "spec.request \"192.168.7.0/24/24\""),
        bad(
            request("pool", null, null, "192.168.7.1-192.168.7.9"),
            "spec.request \"192.168.7.1-192.168.7.9\""),
        bad(request("pool", null, null, "192.168.7"), "spec.request \"192.168.7\""),
        bad(request("pool", null, null, "192.168.007.1"), "spec.request \"192.168.007.1\""),
        bad(request("pool", null, null, "fe80::1%eth0"), "spec.request \"fe80::1%eth0\""),
        bad(request("pool", null, null, "2001:db8::/200"), "spec.request \"2001:db8::/200\""));
  }

  /** Valid alone, bad against the IPv4 seed range (or the IPv6 or odd one). */
  static Stream<Arguments> badAgainstRange() {
    return Stream.of(
        against(
            request("pool", null, 33, null),
            V4,
            "spec.size \"33\" is larger than the width of " + POOL),
        against(request("pool", null, 64, null), V4, "spec.size \"64\" is larger than the width"),
        against(request("pool", null, 128, null), V4, "spec.size \"128\""),
        against(
            request("pool", null, 8, null),
            V4,
            "spec.size \"8\" is wider than any block of " + POOL + " (the widest is /16)"),
        against(request("pool", null, 15, null), V4, "spec.size \"15\" is wider than any block"),
        against(request("pool", null, 1, null), V4, "spec.size \"1\""),
        against(
            request("pool", null, null, "10.0.0.0/24"),
            V4,
            "spec.request \"10.0.0.0/24\" is not inside " + POOL),
        against(
            request("pool", null, null, "192.169.0.0/24"),
            V4,
            "spec.request \"192.169.0.0/24\" is not inside"),
        against(
            request("pool", null, null, "192.168.0.0/15"),
            V4,
            "spec.request \"192.168.0.0/15\" is not inside"),
        against(
            request("pool", null, null, "0.0.0.0/0"),
            V4,
            "spec.request \"0.0.0.0/0\" is not inside"),
        against(
            request("pool", null, null, "2001:db8:1::/64"),
            V4,
            "spec.request \"2001:db8:1::/64\" is IPv6 but " + POOL + " is IPv4"),
        against(request("pool", null, null, "::1"), V4, "spec.request \"::1\" is IPv6"),
        against(
            request("pool", null, null, "192.168.7.0/24"),
            V6,
            "spec.request \"192.168.7.0/24\" is IPv4"),
        against(
            request("pool", null, null, "2001:db8:2::/64"),
            V6,
            "spec.request \"2001:db8:2::/64\" is not inside"),
        against(
            request("pool", null, null, "2001:db8::/47"),
            V6,
            "spec.request \"2001:db8::/47\" is not inside"),
        against(request("pool", null, 40, null), V6, "spec.size \"40\" is wider than any block"),
        against(
            request("pool", null, null, "10.0.0.8/29"),
            ODD,
            "spec.request \"10.0.0.8/29\" is not inside"),
        against(
            request("pool", null, null, "10.0.0.21"),
            ODD,
            "spec.request \"10.0.0.21\" is not inside"),
        against(
            request("pool", null, null, "10.0.0.9"),
            ODD,
            "spec.request \"10.0.0.9\" is not inside"),
        against(request("pool", null, 28, null), ODD, "spec.size \"28\" is wider than any block"));
  }

  private static Arguments bad(IPAMRequest request, String expected) {
    return Arguments.of(request, expected);
  }

  private static Arguments against(IPAMRequest request, RangeShape range, String expected) {
    return Arguments.of(request, range, expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badAlone")
  void aBadRequestIsRefusedAloneAndAgainstAnyRange(IPAMRequest request, String expected) {
    assertThat(RequestRules.validate(request, null))
        .anySatisfy(
            line -> assertThat(line).startsWith("IPAMRequest default/req: ").contains(expected));
    Ask ask = RequestRules.against(request, V4, POOL);
    assertThat(ask).isInstanceOf(Ask.Refused.class);
    assertThat(((Ask.Refused) ask).problems())
        .anySatisfy(line -> assertThat(line).contains(expected));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badAgainstRange")
  void aRequestTheRangeCannotServeIsRefusedNamingFieldAndValue(
      IPAMRequest request, RangeShape range, String expected) {
    assertThat(RequestRules.validate(request, null)).isEmpty();
    Ask ask = RequestRules.against(request, range, POOL);
    assertThat(ask).isInstanceOf(Ask.Refused.class);
    assertThat(((Ask.Refused) ask).problems())
        .anySatisfy(
            line -> assertThat(line).startsWith("IPAMRequest default/req: ").contains(expected));
  }

  @Test
  void thereAreAtLeastFortyBadRequests() {
    assertThat(badAlone().count() + badAgainstRange().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theSeedRequestsAskForAChunkAnAddressAndAnExactBlock() {
    assertThat(RequestRules.against(request("mynetworkpool", null, null, null), V4, POOL))
        .isEqualTo(new Ask.Sized(24));
    assertThat(RequestRules.against(request("mynetworkpool", null, 32, null), V4, POOL))
        .isEqualTo(new Ask.Sized(32));
    assertThat(
            RequestRules.against(request("mynetworkpool", null, null, "192.168.7.0/24"), V4, POOL))
        .isEqualTo(new Ask.Exact(new Cidr(Ip.parse("192.168.7.0"), 24)));
    // Trimmed as upstream trims; an IP is a /32, and size is ignored beside a request.
    assertThat(RequestRules.against(request("p", "other", 24, " 192.168.7.9 "), V4, POOL))
        .isEqualTo(new Ask.Exact(new Cidr(Ip.parse("192.168.7.9"), 32)));
    assertThat(RequestRules.against(request("p", null, null, null), V6, POOL))
        .isEqualTo(new Ask.Sized(64));
  }

  @Test
  void aRequestSpecCannotChangeButItsDescriptionCan() {
    IPAMRequest old = request("pool", null, 24, null);
    IPAMRequest described = request("pool", null, 24, null);
    described.getSpec().setDescription("for the lab");
    assertThat(RequestRules.validate(described, old)).isEmpty();
    List<String> moved = RequestRules.validate(request("other", null, 24, null), old);
    assertThat(moved)
        .singleElement()
        .asString()
        .contains("spec.ipam \"other\" cannot be modified (was pool)");
    assertThat(RequestRules.validate(request("pool", null, 25, null), old))
        .singleElement()
        .asString()
        .contains("spec.size \"25\" cannot be modified (was 24)");
    assertThat(RequestRules.validate(request("pool", null, 24, "192.168.1.0/24"), old))
        .singleElement()
        .asString()
        .contains("spec.request \"192.168.1.0/24\" cannot be modified");
  }
}
