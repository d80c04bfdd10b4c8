package org.ipam.core.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One behaviour a test; the parameterized ones run IPv4 and IPv6 side by side. */
class PoolAllocatorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10.0.0.10-10.0.0.12, 10.0.0.10, 10.0.0.11",
    "2001:db8::a-2001:db8::c, 2001:db8::a, 2001:db8::b"
  })
  void lowestFirstAndTheSameOwnerGetsTheSameAnswer(String range, String first, String second) {
    PoolAllocator pool = pool(range);
    assertThat(address(pool.allocate("a"))).isEqualTo(first);
    assertThat(address(pool.allocate("b"))).isEqualTo(second);
    assertThat(address(pool.allocate("a"))).isEqualTo(first);
    assertThat(pool.allocationCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.0.0.10-10.0.0.11", "2001:db8::a-2001:db8::b"})
  void anExhaustedPoolSaysSoAndAFreedAddressIsReused(String range) {
    PoolAllocator pool = pool(range);
    pool.allocate("a");
    pool.allocate("b");
    assertThat(pool.allocate("c")).isInstanceOf(AllocationFailure.Exhausted.class);
    pool.release("a");
    assertThat(pool.allocate("c")).isInstanceOf(Allocation.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"10.0.0.0/29, 10.0.0.1, 10.0.0.7", "2001:db8::/125, 2001:db8::1, 2001:db8::7"})
  void networkBroadcastAndGatewayAreReservedUnlessAllowed(
      String cidr, String gateway, String last) {
    Cidr subnet = IpParser.parseCidr(cidr).orElseThrow();
    PoolSpec spec =
        PoolSpec.of(subnet.family(), List.of(Segment.of(subnet)))
            .withReserved(
                new ReservedAddresses(
                    List.of(subnet), false, List.of(Ip.parse(gateway)), List.of()));
    PoolAllocator pool = new PoolAllocator(spec);
    assertThat(address(pool.allocate("a"))).isEqualTo(subnet.network().plus(2).toString());
    assertThat(pool.allocateSpecific("b", subnet.network()))
        .isInstanceOf(AllocationFailure.Reserved.class);
    assertThat(pool.allocateSpecific("b", Ip.parse(gateway)))
        .isInstanceOf(AllocationFailure.Reserved.class);
    boolean v4 = subnet.address().isV4();
    assertThat(pool.allocateSpecific("b", Ip.parse(last)).succeeded()).isEqualTo(!v4);
    // 8 addresses: network, gateway, and for IPv4 the broadcast are not counted.
    assertThat(pool.counts().total()).isEqualTo(BigInteger.valueOf(v4 ? 5 : 6));

    PoolAllocator permissive =
        new PoolAllocator(
            spec.withReserved(
                new ReservedAddresses(
                    List.of(subnet), true, List.of(Ip.parse(gateway)), List.of())));
    assertThat(address(permissive.allocate("a"))).isEqualTo(subnet.network().toString());
  }

  @Test
  void segmentsAreUsedInDeclarationOrderAndResultsCarryTheirSegment() {
    Segment second =
        new Segment(
            range("10.0.1.10-10.0.1.10"),
            null,
            25,
            Ip.parse("10.0.1.1"),
            List.of(Ip.parse("8.8.8.8")));
    Segment first =
        new Segment(range("10.0.2.10-10.0.2.10"), null, 24, Ip.parse("10.0.2.1"), List.of());
    PoolAllocator pool = new PoolAllocator(PoolSpec.of(IpFamily.IPV4, List.of(first, second)));
    Allocation a = (Allocation) pool.allocate("a");
    Allocation b = (Allocation) pool.allocate("b");
    assertThat(a.address()).hasToString("10.0.2.10");
    assertThat(a.segment().gateway()).hasToString("10.0.2.1");
    assertThat(b.address()).hasToString("10.0.1.10");
    assertThat(b.segment().prefixLength()).isEqualTo(25);
    assertThat(b.segment().dnsServers()).containsExactly(Ip.parse("8.8.8.8"));
  }

  @Test
  void preAllocationsAreKeptForTheirOwnerEvenOutsideTheRangeButInsideTheSubnet() {
    // The Metal3 seed: 192.168.0.8 and .9 lie outside 10..15 but inside 192.168.0.0/24.
    Segment segment =
        new Segment(
            range("192.168.0.10-192.168.0.15"),
            IpParser.parseCidr("192.168.0.0/24").orElseThrow(),
            24,
            null,
            List.of());
    PoolAllocator pool =
        new PoolAllocator(
            PoolSpec.of(IpFamily.IPV4, List.of(segment))
                .withPreAllocations(
                    Map.of(
                        "RenderedData-9",
                        Ip.parse("192.168.0.8"),
                        "RenderedData-10",
                        Ip.parse("192.168.0.11"))));
    assertThat(address(pool.allocate("RenderedData-9"))).isEqualTo("192.168.0.8");
    assertThat(address(pool.allocate("other"))).isEqualTo("192.168.0.10");
    assertThat(address(pool.allocate("other-2"))).isEqualTo("192.168.0.12");
    assertThat(pool.allocateSpecific("x", Ip.parse("192.168.0.11")))
        .isEqualTo(
            new AllocationFailure.PreAllocatedToOther(Ip.parse("192.168.0.11"), "RenderedData-10"));
    assertThat(pool.allocateSpecific("RenderedData-10", Ip.parse("192.168.0.12")))
        .isInstanceOf(AllocationFailure.DiffersFromPreAllocation.class);
    pool.release("RenderedData-10");
    assertThat(pool.allocateSpecific("x", Ip.parse("192.168.0.11")))
        .isInstanceOf(AllocationFailure.PreAllocatedToOther.class);
  }

  @Test
  void aTakenAddressNamesItsHolder() {
    PoolAllocator pool = pool("2001:db8::1-2001:db8::ff");
    pool.allocateSpecific("first", Ip.parse("2001:db8::10"));
    assertThat(pool.allocateSpecific("second", Ip.parse("2001:db8::10")))
        .isEqualTo(new AllocationFailure.AddressTaken(Ip.parse("2001:db8::10"), "first"));
    assertThat(pool.allocateSpecific("second", Ip.parse("2001:db8::1:0")))
        .isInstanceOf(AllocationFailure.OutsideSegments.class);
    assertThat(pool.allocateSpecific("second", Ip.parse("10.0.0.1")))
        .isEqualTo(new AllocationFailure.OutsideSegments(Ip.parse("10.0.0.1")));
  }

  @Test
  void anAddressOfTheOtherFamilyIsOutsideEverySegmentOrDiffersFromThePreAllocation() {
    Segment segment = Segment.of(range("2001:db8::1-2001:db8::ff"));
    PoolAllocator pool =
        new PoolAllocator(
            PoolSpec.of(IpFamily.IPV6, List.of(segment))
                .withPreAllocations(Map.of("pre", Ip.parse("2001:db8::7"))));
    assertThat(pool.allocateSpecific("plain", Ip.parse("10.0.0.5")))
        .isEqualTo(new AllocationFailure.OutsideSegments(Ip.parse("10.0.0.5")));
    // The pre-allocation is judged first, as upstream does: a conflict, not a family problem.
    assertThat(pool.allocateSpecific("pre", Ip.parse("10.0.0.5")))
        .isEqualTo(
            new AllocationFailure.DiffersFromPreAllocation(
                Ip.parse("10.0.0.5"), Ip.parse("2001:db8::7")));
    // ::a00:5 has the bits of 10.0.0.5: an IPv6 pool around them still refuses the IPv4 address.
    PoolAllocator low = pool("::a00:1-::a00:ff");
    assertThat(low.allocateSpecific("plain", Ip.parse("10.0.0.5")))
        .isEqualTo(new AllocationFailure.OutsideSegments(Ip.parse("10.0.0.5")));
    assertThat(low.allocationCount()).isZero();
  }

  @Test
  void roundRobinContinuesAfterTheLastAddressAndWraps() {
    PoolAllocator pool =
        new PoolAllocator(
            PoolSpec.of(IpFamily.IPV4, List.of(Segment.of(range("10.0.0.1-10.0.0.3"))))
                .withOrder(OrderPolicy.NEXT_AFTER_LAST, 0));
    pool.allocate("a");
    pool.allocate("b");
    pool.release("a");
    assertThat(address(pool.allocate("c"))).isEqualTo("10.0.0.3");
    assertThat(address(pool.allocate("d"))).isEqualTo("10.0.0.1");
    assertThat(pool.cursor()).contains(Ip.parse("10.0.0.1"));
  }

  @Test
  void aPreferredAddressComesBackWhenItIsFree() {
    PoolAllocator pool = pool("10.0.0.1-10.0.0.9");
    pool.prefer("lb", Ip.parse("10.0.0.7"));
    assertThat(address(pool.allocate("lb"))).isEqualTo("10.0.0.7");
    pool.release("lb");
    pool.allocateSpecific("thief", Ip.parse("10.0.0.7"));
    assertThat(address(pool.allocate("lb"))).isEqualTo("10.0.0.1");
  }

  @Test
  void randomOrderIsReproducibleFromItsSeed() {
    PoolSpec spec =
        PoolSpec.of(
                IpFamily.IPV6,
                List.of(Segment.of(IpParser.parseCidr("2001:db8::/48").orElseThrow())))
            .withOrder(OrderPolicy.RANDOM, 42);
    PoolAllocator one = new PoolAllocator(spec);
    PoolAllocator two = new PoolAllocator(spec);
    for (int i = 0; i < 100; i++) {
      assertThat(address(one.allocate("o" + i))).isEqualTo(address(two.allocate("o" + i)));
    }
    assertThat(one.counts().total()).isEqualTo(BigInteger.ONE.shiftLeft(80));
  }

  @Test
  void bestFitKeepsBigBlocksWhole() {
    // kubipam's d-bestfit-not-lowest vector on 10.0.0.0/24.
    PoolAllocator pool =
        new PoolAllocator(
            PoolSpec.of(
                IpFamily.IPV4,
                List.of(Segment.of(IpParser.parseCidr("10.0.0.0/24").orElseThrow()))));
    assertThat(block(pool.allocateBlock("a", 25, BlockPlacement.BEST_FIT)))
        .isEqualTo("10.0.0.0/25");
    assertThat(block(pool.allocateBlock("b", 27, BlockPlacement.BEST_FIT)))
        .isEqualTo("10.0.0.128/27");
    pool.release("a");
    assertThat(block(pool.allocateBlock("c", 26, BlockPlacement.BEST_FIT)))
        .isEqualTo("10.0.0.192/26");
    assertThat(block(pool.allocateBlock("d", 26, BlockPlacement.LOWEST_ALIGNED)))
        .isEqualTo("10.0.0.0/26");
  }

  @Test
  void blocksStayInsideOneSegmentAndAreAligned() {
    // kubipam's d-nonaligned-chunks: 10.0.0.10-10.0.0.20 offers no /29 and two /30s.
    PoolAllocator pool = pool("10.0.0.10-10.0.0.20");
    assertThat(pool.allocateBlock("a", 29, BlockPlacement.LOWEST_ALIGNED))
        .isInstanceOf(AllocationFailure.Exhausted.class);
    assertThat(block(pool.allocateBlock("b", 30, BlockPlacement.LOWEST_ALIGNED)))
        .isEqualTo("10.0.0.12/30");
    assertThat(block(pool.allocateBlock("c", 30, BlockPlacement.LOWEST_ALIGNED)))
        .isEqualTo("10.0.0.16/30");
    assertThat(pool.allocateSpecificBlock("d", new Cidr(Ip.parse("10.0.0.5"), 30)).succeeded())
        .isFalse();
    assertThat(pool.allocateSpecificBlock("d", new Cidr(Ip.parse("10.0.0.10"), 31)))
        .isInstanceOf(Allocation.class);
  }

  @Test
  void rebuildReportsConflictsAndKeepsOutOfRangeAllocations() {
    PoolSpec spec = PoolSpec.of(IpFamily.IPV4, List.of(Segment.of(range("10.0.0.1-10.0.0.5"))));
    PoolAllocator.Rebuilt rebuilt =
        PoolAllocator.rebuild(
            spec,
            List.of(
                ExistingAllocation.of("a", Ip.parse("10.0.0.1")),
                ExistingAllocation.of("b", Ip.parse("10.0.0.1")),
                ExistingAllocation.of("a", Ip.parse("10.0.0.2")),
                ExistingAllocation.of("c", Ip.parse("10.0.9.9"))));
    assertThat(rebuilt.conflicts())
        .extracting(RebuildConflict::reason)
        .containsExactly("10.0.0.1 is already allocated to a", "a already holds 10.0.0.1");
    PoolCounts counts = rebuilt.allocator().counts();
    assertThat(counts.used()).isEqualTo(BigInteger.ONE);
    assertThat(counts.outOfRange()).isEqualTo(BigInteger.ONE);
    assertThat(address(rebuilt.allocator().allocate("d"))).isEqualTo("10.0.0.2");
  }

  @Test
  void aSlash8FillsInASingleOccupiedInterval() {
    PoolAllocator pool =
        new PoolAllocator(
            PoolSpec.of(
                IpFamily.IPV4,
                List.of(Segment.of(IpParser.parseCidr("10.0.0.0/8").orElseThrow()))));
    for (int i = 0; i < 100_000; i++) {
      pool.allocate("owner-" + i);
    }
    assertThat(pool.occupiedIntervalCount()).isEqualTo(1);
    assertThat(pool.holding(Ip.parse("10.1.134.159")).orElseThrow().owner())
        .isEqualTo("owner-99999");
  }

  private static PoolAllocator pool(String range) {
    IpRange r = range(range);
    return new PoolAllocator(PoolSpec.of(r.family(), List.of(Segment.of(r))));
  }

  private static IpRange range(String text) {
    return IpParser.parseRange(text).orElseThrow();
  }

  private static String address(AllocationResult result) {
    assertThat(result).isInstanceOf(Allocation.class);
    return ((Allocation) result).address().toString();
  }

  private static String block(AllocationResult result) {
    assertThat(result).isInstanceOf(Allocation.class);
    return ((Allocation) result).block().toString();
  }
}
