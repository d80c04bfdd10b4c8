package org.ipam.core.alloc;

import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The allocator against a deliberately naive model (a map from each address to its owner, pools
 * small enough to enumerate) over seeded random operations: allocate, allocate a specific address,
 * allocate an aligned block, release, and rebuild from the model's allocations. Any difference
 * fails with the seed, the step and the operation.
 */
class AllocatorModelTest {
  private static final int OPERATIONS_PER_RUN = 30_000;

  @ParameterizedTest(name = "{0} {1} seed {2}")
  @CsvSource({
    "IPV4, LOWEST_FIRST, 1",
    "IPV6, LOWEST_FIRST, 2",
    "IPV4, NEXT_AFTER_LAST, 3",
    "IPV6, NEXT_AFTER_LAST, 4",
    "IPV4, RANDOM, 5",
    "IPV6, RANDOM, 6",
  })
  void allocatorAgreesWithTheNaiveModel(IpFamily family, OrderPolicy order, long seed) {
    new Run(family, order, seed).execute();
  }

  /** One seeded run: the pool, the model, and the loop that compares them. */
  private static final class Run {
    private final Random random;
    private final long seed;
    private final PoolSpec spec;
    private final List<IpRange> segments;
    private final TreeSet<BigInteger> reserved = new TreeSet<>();
    private final Map<BigInteger, String> preAllocatedTo = new HashMap<>();
    private final TreeMap<BigInteger, String> holder = new TreeMap<>();
    private final Map<String, List<BigInteger>> held = new HashMap<>();
    private final IpFamily family;
    private PoolAllocator allocator;
    private BigInteger cursor;
    private int step;
    private int allocations;
    private String operation;

    Run(IpFamily family, OrderPolicy order, long seed) {
      this.family = family;
      this.seed = seed;
      this.random = new Random(seed);
      String base = family == IpFamily.IPV4 ? "10.0." : "2001:db8::";
      String sep = family == IpFamily.IPV4 ? "." : ":";
      // Three segments in declaration order, not sorted, one of them a whole CIDR.
      segments =
          List.of(
              range(base + "1" + sep + "5", base + "1" + sep + "40"),
              new Cidr(ip(base + "0" + sep + "0"), family.bits() - 5).range(),
              range(base + "2" + sep + "0", base + "2" + sep + "17"));
      Ip gateway = ip(base + "0" + sep + "1");
      Cidr subnet = new Cidr(ip(base + "0" + sep + "0"), family.bits() - 5);
      ReservedAddresses reservedAddresses =
          new ReservedAddresses(
              List.of(subnet),
              false,
              List.of(gateway),
              List.of(range(base + "1" + sep + "20", base + "1" + sep + "22")));
      for (IpRange r : reservedAddresses.ranges()) {
        for (BigInteger a = big(r.first());
            a.compareTo(big(r.last())) <= 0;
            a = a.add(BigInteger.ONE)) {
          reserved.add(a);
        }
      }
      Map<String, Ip> pre =
          Map.of("pre-a", ip(base + "1" + sep + "9"), "pre-b", ip(base + "2" + sep + "3"));
      pre.forEach((owner, address) -> preAllocatedTo.put(big(address), owner));
      spec =
          new PoolSpec(
              family,
              segments.stream().map(Segment::of).toList(),
              reservedAddresses,
              pre,
              Map.of(),
              order,
              seed);
      allocator = new PoolAllocator(spec);
    }

    void execute() {
      for (step = 0; step < OPERATIONS_PER_RUN; step++) {
        String owner = "owner-" + random.nextInt(140);
        int dice = random.nextInt(100);
        if (dice < 40) {
          allocate(owner);
        } else if (dice < 55) {
          allocateSpecific(owner, randomAddress());
        } else if (dice < 62) {
          allocateBlock(owner, family.bits() - random.nextInt(3) - 1);
        } else if (dice < 97) {
          release(owner);
        } else {
          rebuild();
        }
        compareCounts();
      }
      operation = "the run as a whole (" + allocations + " allocations)";
      expect(allocations > OPERATIONS_PER_RUN / 10);
    }

    private void allocate(String owner) {
      operation = "allocate " + owner;
      AllocationResult result = allocator.allocate(owner);
      if (held.containsKey(owner)) {
        expect(result instanceof Allocation a && big(a.address()).equals(held.get(owner).get(0)));
        return;
      }
      BigInteger pre = preOf(owner);
      if (pre == null && spec.order() == OrderPolicy.RANDOM) {
        allocateRandom(owner, result);
        return;
      }
      BigInteger expected = pre != null ? pre : nextFree();
      if (expected == null) {
        expect(result instanceof AllocationFailure.Exhausted);
        return;
      }
      expect(result instanceof Allocation a && big(a.address()).equals(expected));
      take(owner, List.of(expected));
      if (pre == null && spec.order() == OrderPolicy.NEXT_AFTER_LAST) {
        cursor = expected;
      }
    }

    /** Random order: any free address of the first segment that has one will do. */
    private void allocateRandom(String owner, AllocationResult result) {
      for (IpRange segment : segments) {
        List<BigInteger> free = new ArrayList<>();
        for (BigInteger a = big(segment.first());
            a.compareTo(big(segment.last())) <= 0;
            a = a.add(BigInteger.ONE)) {
          if (isFreeForPolicy(a)) {
            free.add(a);
          }
        }
        if (!free.isEmpty()) {
          expect(result instanceof Allocation a && free.contains(big(a.address())));
          take(owner, List.of(big(((Allocation) result).address())));
          return;
        }
      }
      expect(result instanceof AllocationFailure.Exhausted);
    }

    private void allocateSpecific(String owner, BigInteger address) {
      operation = "allocateSpecific " + owner + " " + ip(address);
      AllocationResult result = allocator.allocateSpecific(owner, ip(address));
      BigInteger pre = preOf(owner);
      if (held.containsKey(owner)) {
        List<BigInteger> mine = held.get(owner);
        boolean same = mine.size() == 1 && mine.get(0).equals(address);
        expect(
            same
                ? result instanceof Allocation
                : result instanceof AllocationFailure.OwnerHoldsAnother);
      } else if (pre != null && !pre.equals(address)) {
        expect(result instanceof AllocationFailure.DiffersFromPreAllocation);
      } else if (pre != null) {
        expect(result instanceof Allocation);
        take(owner, List.of(address));
      } else if (!inSegments(address)) {
        expect(result instanceof AllocationFailure.OutsideSegments);
      } else if (holder.containsKey(address)) {
        expect(
            result instanceof AllocationFailure.AddressTaken t
                && t.holder().equals(holder.get(address)));
      } else if (preAllocatedTo.containsKey(address)) {
        expect(result instanceof AllocationFailure.PreAllocatedToOther);
      } else if (reserved.contains(address)) {
        expect(result instanceof AllocationFailure.Reserved);
      } else {
        expect(result instanceof Allocation a && big(a.address()).equals(address));
        take(owner, List.of(address));
      }
    }

    private void allocateBlock(String owner, int prefixLength) {
      operation = "allocateBlock " + owner + " /" + prefixLength;
      AllocationResult result =
          allocator.allocateBlock(owner, prefixLength, BlockPlacement.LOWEST_ALIGNED);
      if (held.containsKey(owner)) {
        int heldPrefix = family.bits() - Integer.numberOfTrailingZeros(held.get(owner).size());
        expect(
            heldPrefix == prefixLength
                ? result instanceof Allocation
                : result instanceof AllocationFailure.OwnerHoldsAnother);
        return;
      }
      int size = 1 << (family.bits() - prefixLength);
      for (IpRange segment : segments) {
        BigInteger first = big(segment.first());
        BigInteger start =
            first
                .add(BigInteger.valueOf(size - 1))
                .divide(BigInteger.valueOf(size))
                .multiply(BigInteger.valueOf(size));
        for (;
            start.add(BigInteger.valueOf(size - 1)).compareTo(big(segment.last())) <= 0;
            start = start.add(BigInteger.valueOf(size))) {
          List<BigInteger> block = new ArrayList<>();
          for (int i = 0; i < size; i++) {
            block.add(start.add(BigInteger.valueOf(i)));
          }
          if (block.stream().allMatch(this::isFreeForPolicy)) {
            BigInteger expected = start;
            expect(
                result instanceof Allocation a
                    && big(a.address()).equals(expected)
                    && a.blockPrefixLength() == prefixLength);
            take(owner, block);
            return;
          }
        }
      }
      expect(result instanceof AllocationFailure.Exhausted);
    }

    private void release(String owner) {
      operation = "release " + owner;
      Optional<Allocation> released = allocator.release(owner);
      List<BigInteger> mine = held.remove(owner);
      if (mine == null) {
        expect(released.isEmpty());
        return;
      }
      expect(released.isPresent() && big(released.get().address()).equals(mine.get(0)));
      mine.forEach(holder::remove);
    }

    private void rebuild() {
      operation = "rebuild";
      List<ExistingAllocation> existing = new ArrayList<>();
      held.forEach(
          (owner, addresses) ->
              existing.add(
                  new ExistingAllocation(
                      owner,
                      new IpRange(ip(addresses.get(0)), ip(addresses.get(addresses.size() - 1))))));
      PoolAllocator.Rebuilt rebuilt = PoolAllocator.rebuild(spec, existing);
      expect(rebuilt.conflicts().isEmpty());
      allocator = rebuilt.allocator();
      if (cursor != null) {
        allocator.restoreCursor(ip(cursor));
      }
      Map<String, BigInteger> seen = new HashMap<>();
      allocator.forEach(a -> seen.put(a.owner(), big(a.address())));
      Map<String, BigInteger> expected = new HashMap<>();
      held.forEach((owner, addresses) -> expected.put(owner, addresses.get(0)));
      expect(seen.equals(expected));
    }

    private void compareCounts() {
      BigInteger total = BigInteger.ZERO;
      BigInteger used = BigInteger.ZERO;
      for (BigInteger a : allAddressesInSegments()) {
        if (!reserved.contains(a)) {
          total = total.add(BigInteger.ONE);
          if (holder.containsKey(a) || preAllocatedTo.containsKey(a)) {
            used = used.add(BigInteger.ONE);
          }
        }
      }
      PoolCounts counts = allocator.counts();
      operation = operation + " (counts " + counts + ")";
      expect(
          counts.total().equals(total)
              && counts.used().equals(used)
              && counts.free().equals(total.subtract(used)));
      expect(counts.outOfRange().signum() == 0);
    }

    private BigInteger nextFree() {
      List<BigInteger> order = new ArrayList<>();
      for (IpRange segment : segments) {
        for (BigInteger a = big(segment.first());
            a.compareTo(big(segment.last())) <= 0;
            a = a.add(BigInteger.ONE)) {
          order.add(a);
        }
      }
      int start = 0;
      if (spec.order() == OrderPolicy.NEXT_AFTER_LAST && cursor != null) {
        int at = order.indexOf(cursor);
        start = at < 0 ? 0 : at + 1;
      }
      for (int i = 0; i < order.size(); i++) {
        BigInteger candidate = order.get((start + i) % order.size());
        if (isFreeForPolicy(candidate)) {
          return candidate;
        }
      }
      return null;
    }

    private boolean isFreeForPolicy(BigInteger address) {
      return !holder.containsKey(address)
          && !reserved.contains(address)
          && !preAllocatedTo.containsKey(address);
    }

    private boolean inSegments(BigInteger address) {
      return segments.stream().anyMatch(s -> s.contains(ip(address)));
    }

    private List<BigInteger> allAddressesInSegments() {
      TreeSet<BigInteger> all = new TreeSet<>();
      for (IpRange segment : segments) {
        for (BigInteger a = big(segment.first());
            a.compareTo(big(segment.last())) <= 0;
            a = a.add(BigInteger.ONE)) {
          all.add(a);
        }
      }
      return new ArrayList<>(all);
    }

    /** An address in or just around a random segment, so every failure kind comes up. */
    private BigInteger randomAddress() {
      IpRange segment = segments.get(random.nextInt(segments.size()));
      int size = segment.size().intValueExact();
      return big(segment.first()).add(BigInteger.valueOf(random.nextInt(size + 6) - 3));
    }

    private BigInteger preOf(String owner) {
      Ip pre = spec.preAllocations().get(owner);
      return pre == null ? null : big(pre);
    }

    private void take(String owner, List<BigInteger> addresses) {
      allocations++;
      held.put(owner, addresses);
      addresses.forEach(a -> holder.put(a, owner));
    }

    private void expect(boolean condition) {
      if (!condition) {
        fail("seed " + seed + ", step " + step + ": " + operation + " disagrees with the model");
      }
    }

    private IpRange range(String first, String last) {
      return new IpRange(ip(first), ip(last));
    }

    private static Ip ip(String text) {
      return Ip.parse(text);
    }

    private Ip ip(BigInteger value) {
      return Ip.of(family, value);
    }

    private static BigInteger big(Ip address) {
      return address.toBigInteger();
    }
  }
}
