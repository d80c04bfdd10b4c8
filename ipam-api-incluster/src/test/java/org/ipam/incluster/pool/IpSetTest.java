package org.ipam.incluster.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

class IpSetTest {
  private static IpRange r(String text) {
    return AddressSyntax.parseEntry(text).orElseThrow();
  }

  private static IpSet set(String... entries) {
    return AddressSyntax.toSet(List.of(entries));
  }

  @Test
  void mergesAdjacentAndOverlappingRangesButNotFamilies() {
    assertThat(set("10.0.0.1", "10.0.0.2-10.0.0.4", "10.0.0.6", "10.0.0.5").toString())
        .isEqualTo("[10.0.0.1-10.0.0.6]");
    assertThat(set("255.255.255.255", "::", "255.255.255.254").toString())
        .isEqualTo("[255.255.255.254-255.255.255.255 ::]");
    assertThat(set("fd00::/64", "10.0.0.0/30").families())
        .containsExactlyInAnyOrder(IpFamily.IPV4, IpFamily.IPV6);
  }

  @Test
  void subtractsHolesFromEveryRange() {
    IpSet pool = set("10.0.0.0-10.0.0.10", "10.0.1.0/30", "fd00::/126");
    IpSet holes = set("10.0.0.0", "10.0.0.5-10.0.0.7", "10.0.0.10-10.0.1.1", "fd00::2");
    assertThat(pool.minus(holes).toString())
        .isEqualTo(
            "[10.0.0.1-10.0.0.4 10.0.0.8-10.0.0.9 10.0.1.2-10.0.1.3 fd00::-fd00::1 fd00::3]");
    assertThat(pool.minus(set("0.0.0.0/0")).toString()).isEqualTo("[fd00::-fd00::3]");
    assertThat(pool.minus(pool)).isEqualTo(IpSet.EMPTY);
    assertThat(pool.minus(IpSet.EMPTY)).isEqualTo(pool);
    assertThat(
            set("::/0")
                .minus(Ip.parse("::"))
                .minus(Ip.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
                .ranges())
        .containsExactly(r("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
  }

  @Test
  void answersContainsAndOverlapsByBinarySearch() {
    IpSet pool = set("10.0.0.10", "10.0.0.24-10.0.0.32", "10.0.0.128/28");
    assertThat(pool.contains(Ip.parse("10.0.0.24"))).isTrue();
    assertThat(pool.contains(Ip.parse("10.0.0.33"))).isFalse();
    assertThat(pool.contains(Ip.parse("fd00::a"))).isFalse();
    assertThat(pool.contains(r("10.0.0.128/29"))).isTrue();
    assertThat(pool.contains(r("10.0.0.30-10.0.0.40"))).isFalse();
    assertThat(pool.overlaps(r("10.0.0.30-10.0.0.40"))).isTrue();
    assertThat(pool.overlaps(r("10.0.0.11-10.0.0.23"))).isFalse();
    assertThat(pool.overlaps(r("10.0.0.0/24"))).isTrue();
    assertThat(pool.lowest()).contains(Ip.parse("10.0.0.10"));
    assertThat(pool.containsAll(set("10.0.0.25", "10.0.0.130"))).isTrue();
    assertThat(pool.containsAll(set("10.0.0.25", "10.0.0.150"))).isFalse();
  }

  @Test
  void countsExactlyAndCapsAtMaxInt() {
    assertThat(set("10.0.0.10", "10.0.0.24-10.0.0.32", "10.0.0.128/28").size())
        .isEqualTo(BigInteger.valueOf(26));
    assertThat(set("::/0").size()).isEqualTo(BigInteger.ONE.shiftLeft(128));
    assertThat(set("::/0").sizeCapped()).isEqualTo(Long.MAX_VALUE);
    assertThat(set("fd00::/65").sizeCapped()).isEqualTo(Long.MAX_VALUE);
    assertThat(set("fd00::/66").sizeCapped()).isEqualTo(1L << 62);
    assertThat(IpSet.EMPTY.sizeCapped()).isZero();
  }
}
