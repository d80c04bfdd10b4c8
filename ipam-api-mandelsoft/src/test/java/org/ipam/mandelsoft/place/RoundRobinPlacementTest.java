package org.ipam.mandelsoft.place;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/** RoundRobin order: after the last block of the size, wrapping, never panicking. */
class RoundRobinPlacementTest {
  private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  private static IpRange range(String text) {
    return IpParser.parseEntry(text).orElseThrow().range();
  }

  private static List<String> take(
      RoundRobinCursors cursors, List<IpRange> intervals, List<IpRange> held, int prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Optional<Cidr> next = cursors.choose(intervals.get(0).family(), intervals, held, prefix, NOW);
      out.add(next.map(Cidr::toString).orElse("none"));
    }
    return out;
  }

  @Test
  void blocksFollowTheLastOfTheirSizeAndWrap() {
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("10.0.0.0/24"));
    assertThat(take(cursors, intervals, List.of(), 26, 5))
        .containsExactly("10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26", "none");
  }

  @Test
  void eachSizeHasItsOwnPointerAndAFreedBlockWaitsForTheWrap() {
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("10.0.0.0/24"));
    assertThat(take(cursors, intervals, List.of(), 32, 2))
        .containsExactly("10.0.0.0/32", "10.0.0.1/32");
    // The /28 pointer starts at the bottom; the recent /32s keep .0/28 busy.
    assertThat(take(cursors, intervals, List.of(), 28, 1)).containsExactly("10.0.0.16/28");
    assertThat(take(cursors, intervals, List.of(), 32, 1)).containsExactly("10.0.0.2/32");
    assertThat(cursors.persisted()).containsExactly("10.0.0.32/28", "10.0.0.3/32");
  }

  @Test
  void aPoolFilledWithSinglesThenFreedInTwoPlacesWrapsWithoutPanic() {
    // Upstream's d-rr-panic-single-cidr: fill a /24 with /32s, free .70 and .200, allocate twice.
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("10.0.0.0/24"));
    cursors.restore(List.of("10.0.1.0/32")); // past the end: the pointer after the last address
    List<IpRange> held = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      if (i != 70 && i != 200) {
        held.add(IpRange.single(Ip.parse("10.0.0." + i)));
      }
    }
    assertThat(take(cursors, intervals, held, 32, 3))
        .containsExactly("10.0.0.70/32", "10.0.0.200/32", "none");
  }

  @Test
  void twoDisjointSmallRangesAndGapsAreWalkedInOrder() {
    // Upstream's d-ctl-rr-two-ranges-panic.
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("10.0.0.0/30"), range("10.0.1.0/30"));
    assertThat(take(cursors, intervals, List.of(range("10.0.0.1")), 32, 7))
        .containsExactly(
            "10.0.0.0/32",
            "10.0.0.2/32",
            "10.0.0.3/32",
            "10.0.1.0/32",
            "10.0.1.1/32",
            "10.0.1.2/32",
            "10.0.1.3/32");
  }

  @Test
  void ipv6ChunksOfSlash64FromASlash48() {
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("2001:db8:1::/48"));
    assertThat(take(cursors, intervals, List.of(range("2001:db8:1:1::/64")), 64, 3))
        .containsExactly("2001:db8:1::/64", "2001:db8:1:2::/64", "2001:db8:1:3::/64");
    assertThat(
            RoundRobinPlacement.next(
                IpFamily.IPV6, intervals, List.of(), 64, Ip.parse("2001:db8:1:ffff::")))
        .contains(new Cidr(Ip.parse("2001:db8:1:ffff::"), 64));
  }

  @Test
  void theTopOfTheAddressSpaceWrapsToTheBottom() {
    RoundRobinCursors cursors = new RoundRobinCursors();
    List<IpRange> intervals = List.of(range("255.255.255.252/30"));
    assertThat(take(cursors, intervals, List.of(), 31, 3))
        .containsExactly("255.255.255.252/31", "255.255.255.254/31", "none");
  }
}
