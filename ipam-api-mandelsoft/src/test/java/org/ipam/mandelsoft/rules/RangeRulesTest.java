package org.ipam.mandelsoft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.mandelsoft.rules.Objects.range;

import java.util.List;
import java.util.stream.Stream;
import org.ipam.core.net.IpFamily;
import org.ipam.mandelsoft.model.IPAMRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The IPAMRange rules: one row a bad input, each answer naming object, field and value. */
class RangeRulesTest {

  static Stream<Arguments> badRanges() {
    return Stream.of(
        bad(range(null, null), "spec.ranges is empty"),
        bad(range(null, null, "10.0.0.300"), "spec.ranges[0] \"10.0.0.300\""),
        bad(range(null, null, ""), "spec.ranges[0] \"\""),
        bad(range(null, null, " 10.0.0.0/24"), "spec.ranges[0] \" 10.0.0.0/24\""),
        bad(range(null, null, "10.0.0.0/24 "), "spec.ranges[0] \"10.0.0.0/24 \""),
        bad(range(null, null, "10.0.0.0/33"), "spec.ranges[0] \"10.0.0.0/33\""),
        bad(range(null, null, "10.0.0.0/-1"), "spec.ranges[0] \"10.0.0.0/-1\""),
        bad(range(null, null, "10.0.0.0/"), "spec.ranges[0] \"10.0.0.0/\""),
        bad(range(null, null, "/24"), "spec.ranges[0] \"/24\""),
        bad(range(null, null, "10.0.0.9-10.0.0.5"), "spec.ranges[0] \"10.0.0.9-10.0.0.5\""),
        bad(
            range(null, null, "10.0.0.1-10.0.0.5-10.0.0.9"),
            "spec.ranges[0] \"10.0.0.1-10.0.0.5-10.0.0.9\""),
        bad(
            range(null, null, "10.0.0.0/24-10.0.1.0/24"),
            "spec.ranges[0] \"10.0.0.0/24-10.0.1.0/24\""),
        bad(range(null, null, "10.0.0.1-2001:db8::1"), "spec.ranges[0] \"10.0.0.1-2001:db8::1\""),
        bad(range(null, null, "10.1"), "spec.ranges[0] \"10.1\""),
        bad(range(null, null, "010.0.0.1"), "spec.ranges[0] \"010.0.0.1\""),
        bad(range(null, null, "0x0a.0.0.1"), "spec.ranges[0] \"0x0a.0.0.1\""),
        bad(range(null, null, "fe80::1%eth0"), "spec.ranges[0] \"fe80::1%eth0\""),
        bad(range(null, null, "2001:db8::/129"), "spec.ranges[0] \"2001:db8::/129\""),
        bad(range(null, null, "2001:db8:::1"), "spec.ranges[0] \"2001:db8:::1\""),
        bad(range(null, null, "*"), "spec.ranges[0] \"*\""),
        bad(range(null, null, "foo"), "spec.ranges[0] \"foo\""),
        bad(range(null, null, "10.0.0.0/24", "bar"), "spec.ranges[1] \"bar\""),
        bad(
            range(null, null, "10.0.0.0/24", "2001:db8::/64"),
            "spec.ranges[1] \"2001:db8::/64\" is IPv6"),
        bad(range(null, null, "2001:db8::/64", "10.0.0.1"), "spec.ranges[1] \"10.0.0.1\" is IPv4"),
        bad(range(null, null, "10.0.0.1", "::1-::5"), "spec.ranges[1] \"::1-::5\""),
        bad(range(null, "Random", "10.0.0.0/24"), "spec.mode \"Random\""),
        bad(range(null, "firstmatch", "10.0.0.0/24"), "spec.mode \"firstmatch\""),
        bad(range(null, "roundrobin", "10.0.0.0/24"), "spec.mode \"roundrobin\""),
        bad(range(null, " FirstMatch", "10.0.0.0/24"), "spec.mode \" FirstMatch\""),
        bad(range(-1, null, "10.0.0.0/24"), "spec.chunkSize \"-1\" is negative"),
        bad(range(-24, null, "10.0.0.0/24"), "spec.chunkSize \"-24\" is negative"),
        bad(range(33, null, "10.0.0.0/24"), "spec.chunkSize \"33\" is too large"),
        bad(range(64, null, "10.0.0.0/24"), "spec.chunkSize \"64\" is too large"),
        bad(range(129, null, "2001:db8::/48"), "spec.chunkSize \"129\" is too large"),
        bad(
            range(16, null, "192.168.0.0/24"),
            "spec.chunkSize \"16\" is shorter than the widest block"),
        bad(
            range(23, null, "192.168.0.0/24"),
            "spec.chunkSize \"23\" is shorter than the widest block"),
        bad(
            range(8, null, "10.0.0.0/16"),
            "spec.chunkSize \"8\" is shorter than the widest block the ranges hold (/16)"),
        bad(
            range(47, null, "2001:db8::/48"),
            "spec.chunkSize \"47\" is shorter than the widest block the ranges hold (/48)"),
        bad(
            range(28, null, "10.0.0.10-10.0.0.20"),
            "spec.chunkSize \"28\" is shorter than the widest block the ranges hold (/30)"),
        bad(
            range(24, null, "10.0.0.1-10.0.0.254"),
            "spec.chunkSize \"24\" is shorter than the widest block the ranges hold (/26)"),
        bad(range(0, "Sometimes", "10.0.0.0/24", "10.0.0.300"), "spec.mode \"Sometimes\""),
        bad(
            range(null, null, "10.0.0.0/24", "10.0.1.0/24", "fd00::1"),
            "spec.ranges[2] \"fd00::1\""));
  }

  private static Arguments bad(IPAMRange range, String expected) {
    return Arguments.of(range, expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badRanges")
  void aBadRangeIsRefusedNamingObjectFieldAndValue(IPAMRange range, String expected) {
    List<String> problems = RangeRules.validate(range, null);
    assertThat(problems)
        .anySatisfy(
            line -> assertThat(line).startsWith("IPAMRange default/pool: ").contains(expected));
    assertThat(RangeRules.check(range).valid()).isFalse();
  }

  @Test
  void thereAreAtLeastFortyBadRanges() {
    assertThat(badRanges().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theSeedRangeIsValid() {
    RangeRules.Checked checked = RangeRules.check(range(24, null, "192.168.0.0/16"));
    assertThat(checked.problems()).isEmpty();
    assertThat(checked.shape().family()).isEqualTo(IpFamily.IPV4);
    assertThat(checked.shape().widestPrefix()).isEqualTo(16);
    assertThat(checked.shape().effectiveSize(null)).isEqualTo(24);
    assertThat(checked.shape().effectiveSize(32)).isEqualTo(32);
  }

  @Test
  void entriesThatOverlapOrTouchJoin() {
    RangeRules.Checked checked =
        RangeRules.check(
            range(null, "RoundRobin", "10.0.0.128-10.0.0.255", "10.0.0.0/25", "10.0.0.5"));
    assertThat(checked.shape().intervals()).hasSize(1);
    assertThat(checked.shape().widestPrefix()).isEqualTo(24);
    assertThat(checked.shape().roundRobin()).isTrue();
    assertThat(checked.shape().effectiveSize(null)).isEqualTo(32);
  }

  @Test
  void anIpv6RangeServesSlash64Chunks() {
    assertThat(RangeRules.check(range(64, null, "2001:db8:1::/48")).valid()).isTrue();
  }

  @Test
  void rangesMayGrowButNotShrinkAndChunkSizeAndModeStay() {
    IPAMRange old = range(24, null, "10.0.0.0/16");
    assertThat(RangeRules.validate(range(24, null, "10.0.0.0/16", "10.1.0.0/16"), old)).isEmpty();
    assertThat(RangeRules.validate(range(24, "FirstMatch", "10.0.0.0/15"), old)).isEmpty();
    assertThat(RangeRules.validate(range(24, null, "10.0.0.0/17"), old))
        .singleElement()
        .asString()
        .contains("spec.ranges \"10.0.0.0/17\" no longer covers 10.0.0.0-10.0.255.255");
    assertThat(RangeRules.validate(range(25, null, "10.0.0.0/16"), old))
        .singleElement()
        .asString()
        .contains("spec.chunkSize \"25\" cannot be modified (was 24)");
    assertThat(RangeRules.validate(range(24, "RoundRobin", "10.0.0.0/16"), old))
        .singleElement()
        .asString()
        .contains("spec.mode \"RoundRobin\" cannot be modified");
  }
}
