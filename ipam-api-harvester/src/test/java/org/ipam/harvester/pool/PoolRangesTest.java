package org.ipam.harvester.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.IPPoolStatus;
import org.junit.jupiter.api.Test;

/** Upstream's range defaults and checks, and the order addresses come in (reference 1.2, 3.2). */
class PoolRangesTest {
  private static IPPool pool(String ranges) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata: {name: p}\n"
            + "spec:\n  ranges: "
            + ranges,
        IPPool.class);
  }

  private static List<String> firstAddresses(PoolSpec spec, int count) {
    return firstAddresses(new PoolAllocator(spec), count);
  }

  /** As the engine builds a round-robin pool's allocator: cursor restored from lastAllocated. */
  private static List<String> resumed(HarvesterIPPool pool, int count) {
    PoolAllocator allocator = new PoolAllocator(PoolRanges.of(pool).allocator());
    allocator.restoreCursor(PoolRanges.lastAllocated(pool));
    return firstAddresses(allocator, count);
  }

  private static List<String> firstAddresses(PoolAllocator allocator, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(((Allocation) allocator.allocate("lb-" + i)).address().toString());
    }
    return out;
  }

  @Test
  void aSubnetAloneHandsOutItsSecondToSecondLastAddressButTheGateway() {
    PoolRanges ranges = PoolRanges.of(pool("[{subnet: 192.168.100.0/24}]"));
    assertThat(ranges.problem()).isNull();
    assertThat(ranges.total()).isEqualTo(253); // .1 to .254, less the gateway .1
    assertThat(firstAddresses(ranges.allocator(), 3))
        .containsExactly("192.168.100.2", "192.168.100.3", "192.168.100.4");
  }

  @Test
  void theSeedsRke2PoolHandsOutElevenFromTen() {
    PoolRanges ranges =
        PoolRanges.of(
            pool(
                "[{subnet: 192.168.10.0/24, rangeStart: 192.168.10.10, rangeEnd: 192.168.10.20}]"));
    assertThat(ranges.total()).isEqualTo(11);
    assertThat(firstAddresses(ranges.allocator(), 11))
        .startsWith("192.168.10.10", "192.168.10.11")
        .endsWith("192.168.10.20");
  }

  @Test
  void hostBitsAreIgnoredAndAStartAfterTheEndIsSwapped() {
    PoolRanges ranges =
        PoolRanges.of(pool("[{subnet: 10.1.1.77/24, rangeStart: 10.1.1.20, rangeEnd: 10.1.1.10}]"));
    assertThat(ranges.total()).isEqualTo(11);
    assertThat(ranges.allocator().segments().get(0).range().first())
        .isEqualTo(Ip.parse("10.1.1.10"));
  }

  @Test
  void edgeSubnets() {
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.7/32}]")).total()).isEqualTo(1);
    assertThat(firstAddresses(PoolRanges.of(pool("[{subnet: 10.0.0.7/32}]")).allocator(), 1))
        .containsExactly("10.0.0.7");
    // /31: as upstream, the defaults swap to .0-.1 and .1 is the gateway: .0 is handed out.
    assertThat(firstAddresses(PoolRanges.of(pool("[{subnet: 10.0.0.0/31}]")).allocator(), 1))
        .containsExactly("10.0.0.0");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/30}]")).total()).isEqualTo(1);
    // IPv6: the last address is handed out (no broadcast); a /64 counts past a long: capped.
    assertThat(PoolRanges.of(pool("[{subnet: 'fd00::/126'}]")).total()).isEqualTo(2);
    assertThat(PoolRanges.of(pool("[{subnet: 'fd00::/64'}]")).total()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rangesAreWalkedInSpecOrderAscendingWithinEach() {
    PoolRanges ranges =
        PoolRanges.of(
            pool(
                "[{subnet: 10.0.2.0/24, rangeStart: 10.0.2.10, rangeEnd: 10.0.2.11},"
                    + " {subnet: 10.0.1.0/24, rangeStart: 10.0.1.1, rangeEnd: 10.0.1.3}]"));
    assertThat(firstAddresses(ranges.allocator(), 4))
        .containsExactly("10.0.2.10", "10.0.2.11", "10.0.1.2", "10.0.1.3");
  }

  @Test
  void roundRobinContinuesAfterTheLastAddressInsteadOfReusingTheLowest() {
    IPPool pool = pool("[{subnet: 10.0.0.0/29}]");
    pool.getMetadata()
        .setAnnotations(
            Map.of(HarvesterApi.ALLOCATION_ORDER_ANNOTATION, HarvesterApi.ORDER_ROUND_ROBIN));
    PoolAllocator allocator = new PoolAllocator(PoolRanges.of(pool).allocator());
    allocator.allocate("a");
    allocator.allocate("b");
    allocator.release("a");
    assertThat(((Allocation) allocator.allocate("c")).address()).isEqualTo(Ip.parse("10.0.0.4"));
    PoolAllocator ascending =
        new PoolAllocator(PoolRanges.of(pool("[{subnet: 10.0.0.0/29}]")).allocator());
    ascending.allocate("a");
    ascending.allocate("b");
    ascending.release("a");
    assertThat(((Allocation) ascending.allocate("c")).address()).isEqualTo(Ip.parse("10.0.0.2"));
  }

  private static IPPool roundRobin(String ranges, String lastAllocated) {
    IPPool pool = pool(ranges);
    pool.getMetadata()
        .setAnnotations(
            Map.of(HarvesterApi.ALLOCATION_ORDER_ANNOTATION, HarvesterApi.ORDER_ROUND_ROBIN));
    IPPoolStatus status = new IPPoolStatus();
    status.setLastAllocated(lastAllocated);
    pool.setStatus(status);
    return pool;
  }

  /**
   * A new allocator (after a restart, a change of ranges or of history) goes on after {@code
   * status.lastAllocated}, round the ranges in spec order, as upstream's iterator does.
   */
  @Test
  void roundRobinGoesOnAfterLastAllocatedInANewAllocator() {
    assertThat(resumed(roundRobin("[{subnet: 10.0.0.0/29}]", "10.0.0.4"), 5))
        .containsExactly("10.0.0.5", "10.0.0.6", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    HarvesterIPPool two =
        roundRobin(
            "[{subnet: 10.0.2.0/29}, {subnet: 10.0.1.0/29}, {subnet: 10.0.3.0/29}]", "10.0.1.6");
    assertThat(PoolRanges.of(two).total()).isEqualTo(15);
    assertThat(resumed(two, 7))
        .containsExactly(
            "10.0.3.2", "10.0.3.3", "10.0.3.4", "10.0.3.5", "10.0.3.6", "10.0.2.2", "10.0.2.3");
    // The address carries its own range's gateway and prefix, whichever piece it came from.
    HarvesterIPPool wide = roundRobin("[{subnet: 10.0.0.0/24}, {subnet: 10.0.1.0/24}]", "10.0.0.9");
    PoolAllocator allocator = new PoolAllocator(PoolRanges.of(wide).allocator());
    allocator.restoreCursor(PoolRanges.lastAllocated(wide));
    Allocation next = (Allocation) allocator.allocate("x");
    assertThat(next.address()).isEqualTo(Ip.parse("10.0.0.10"));
    assertThat(next.segment().gateway()).isEqualTo(Ip.parse("10.0.0.1"));
    assertThat(next.segment().prefixLength()).isEqualTo(24);
  }

  @Test
  void roundRobinStartsAtTheFirstRangeWhenLastAllocatedIsInNoRange() {
    for (String last : List.of("", "10.9.9.9", "fd00::1", "not an address")) {
      assertThat(resumed(roundRobin("[{subnet: 10.0.0.0/29}]", last), 2))
          .as(last)
          .containsExactly("10.0.0.2", "10.0.0.3");
    }
    IPPool ascending = pool("[{subnet: 10.0.0.0/29}]");
    IPPoolStatus status = new IPPoolStatus();
    status.setLastAllocated("10.0.0.4");
    ascending.setStatus(status);
    assertThat(firstAddresses(PoolRanges.of(ascending).allocator(), 1)).containsExactly("10.0.0.2");
  }

  @Test
  void historyComesFirstWhileTheAddressIsFree() {
    PoolSpec spec =
        PoolRanges.of(pool("[{subnet: 10.0.0.0/24}]"))
            .allocator()
            .withPreferred(Map.of("recreated", Ip.parse("10.0.0.9")));
    PoolAllocator allocator = new PoolAllocator(spec);
    allocator.allocate("first");
    assertThat(((Allocation) allocator.allocate("recreated")).address())
        .isEqualTo(Ip.parse("10.0.0.9"));
    assertThat(((Allocation) allocator.allocate("next")).address()).isEqualTo(Ip.parse("10.0.0.3"));
  }

  @Test
  void badRangesNameThePoolTheFieldAndTheValue() {
    assertThat(PoolRanges.of(pool("[]")).problem())
        .isEqualTo(
            "IPPool p (loadbalancer.harvesterhci.io): spec.ranges is empty: a pool needs at least one range");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/33}]")).problem())
        .startsWith(
            "IPPool p (loadbalancer.harvesterhci.io): spec.ranges[0].subnet \"10.0.0.0/33\" is not a CIDR")
        .endsWith("a valid example is 192.168.1.0/24");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/24, rangeStart: 10.0.1.5}]")).problem())
        .endsWith("spec.ranges[0].rangeStart \"10.0.1.5\" is outside the subnet 10.0.0.0/24");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/24, rangeEnd: 10.0.0.255}]")).problem())
        .endsWith("spec.ranges[0].rangeEnd \"10.0.0.255\" is the broadcast address of 10.0.0.0/24");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/24, gateway: 10.0.0.0}]")).problem())
        .endsWith("spec.ranges[0].gateway \"10.0.0.0\" is the network address of 10.0.0.0/24");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/24}, {subnet: 'fd00::/64'}]")).problem())
        .endsWith(
            "spec.ranges[1].subnet \"fd00::/64\" is IPv6 but spec.ranges[0] is IPv4: one family per pool");
    assertThat(PoolRanges.of(pool("[{subnet: 10.0.0.0/24}, {subnet: 10.0.0.128/25}]")).problem())
        .contains(
            "spec.ranges[1] 10.0.0.129-10.0.0.254 overlaps spec.ranges[0] 10.0.0.1-10.0.0.254");
  }
}
