package org.ipam.mandelsoft.place;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;

/**
 * RoundRobin placement, pure: the first free aligned block of a prefix length at or after a cursor,
 * wrapping to the start of the range once. Unlike upstream (reference/mandelsoft.md 2.10) it never
 * looks at a block before the cursor on the first lap, so it cannot compute a negative offset: the
 * panic it fixes. Cost: one floor lookup per occupied run skipped.
 */
public final class RoundRobinPlacement {
  private RoundRobinPlacement() {}

  /**
   * @param intervals the range's sorted disjoint intervals
   * @param occupied what is held, in any order (overlaps allowed)
   * @param from the cursor: where the last block of this size ended, plus one; null to start at the
   *     beginning
   */
  public static Optional<Cidr> next(
      IpFamily family, List<IpRange> intervals, Collection<IpRange> occupied, int prefix, Ip from) {
    TreeMap<BigInteger, BigInteger> runs = coalesce(occupied);
    BigInteger size = BigInteger.ONE.shiftLeft(family.bits() - prefix);
    BigInteger start = from == null ? BigInteger.ZERO : from.toBigInteger();
    Optional<BigInteger> found = scan(intervals, runs, size, start);
    if (found.isEmpty() && from != null) {
      found = scan(intervals, runs, size, BigInteger.ZERO);
    }
    return found.map(x -> new Cidr(Ip.of(family, x), prefix));
  }

  private static Optional<BigInteger> scan(
      List<IpRange> intervals,
      TreeMap<BigInteger, BigInteger> runs,
      BigInteger size,
      BigInteger from) {
    for (IpRange interval : intervals) {
      BigInteger last = interval.last().toBigInteger();
      BigInteger x = alignUp(interval.first().toBigInteger().max(from), size);
      while (x.add(size).subtract(BigInteger.ONE).compareTo(last) <= 0) {
        BigInteger end = x.add(size).subtract(BigInteger.ONE);
        Map.Entry<BigInteger, BigInteger> run = runs.floorEntry(end);
        if (run == null || run.getValue().compareTo(x) < 0) {
          return Optional.of(x);
        }
        x = alignUp(run.getValue().add(BigInteger.ONE), size);
      }
    }
    return Optional.empty();
  }

  private static BigInteger alignUp(BigInteger x, BigInteger size) {
    BigInteger rest = x.mod(size);
    return rest.signum() == 0 ? x : x.add(size).subtract(rest);
  }

  /** Disjoint runs, start to end: with them, the run that ends last before x is one floor away. */
  private static TreeMap<BigInteger, BigInteger> coalesce(Collection<IpRange> occupied) {
    TreeMap<BigInteger, BigInteger> sorted = new TreeMap<>();
    for (IpRange range : occupied) {
      sorted.merge(range.first().toBigInteger(), range.last().toBigInteger(), BigInteger::max);
    }
    TreeMap<BigInteger, BigInteger> runs = new TreeMap<>();
    BigInteger runStart = null;
    BigInteger runEnd = null;
    for (Map.Entry<BigInteger, BigInteger> next : sorted.entrySet()) {
      if (runEnd != null && next.getKey().compareTo(runEnd.add(BigInteger.ONE)) <= 0) {
        runEnd = runEnd.max(next.getValue());
        continue;
      }
      if (runStart != null) {
        runs.put(runStart, runEnd);
      }
      runStart = next.getKey();
      runEnd = next.getValue();
    }
    if (runStart != null) {
      runs.put(runStart, runEnd);
    }
    return runs;
  }
}
