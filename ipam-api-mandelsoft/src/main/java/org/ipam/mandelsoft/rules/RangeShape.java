package org.ipam.mandelsoft.rules;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;

/**
 * A valid IPAMRange as the allocator needs it: its family, its entries merged into sorted disjoint
 * intervals (overlapping and adjacent entries join, as upstream's buddy blocks do, so a block may
 * span two entries), the default prefix length and the mode.
 *
 * @param widestPrefix the shortest prefix length of any aligned block inside the range: no request
 *     for a shorter one can ever be served
 */
public record RangeShape(
    IpFamily family, List<IpRange> intervals, int widestPrefix, int chunkSize, boolean roundRobin) {

  public RangeShape {
    intervals = List.copyOf(intervals);
  }

  public int width() {
    return family.bits();
  }

  /** The prefix length a request of {@code size} (0 or null: unset) gets. */
  public int effectiveSize(Integer size) {
    if (size != null && size > 0) {
      return size;
    }
    return chunkSize > 0 ? chunkSize : width();
  }

  /** Whether every address of {@code block} is inside one interval of the range. */
  public boolean contains(IpRange block) {
    return intervals.stream().anyMatch(i -> i.contains(block));
  }

  /** Sorted, with overlapping and adjacent ranges joined. */
  static List<IpRange> merge(List<IpRange> ranges) {
    List<IpRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(IpRange::first));
    List<IpRange> merged = new ArrayList<>();
    for (IpRange next : sorted) {
      if (!merged.isEmpty()) {
        IpRange last = merged.get(merged.size() - 1);
        BigInteger end = last.last().toBigInteger();
        if (next.first().toBigInteger().compareTo(end.add(BigInteger.ONE)) <= 0) {
          if (next.last().compareTo(last.last()) > 0) {
            merged.set(merged.size() - 1, new IpRange(last.first(), next.last()));
          }
          continue;
        }
      }
      merged.add(next);
    }
    return merged;
  }

  /** The shortest prefix length of a maximal aligned block inside one of the intervals. */
  static int widestPrefix(IpFamily family, List<IpRange> intervals) {
    int bits = family.bits();
    int widest = bits;
    for (IpRange interval : intervals) {
      BigInteger start = interval.first().toBigInteger();
      BigInteger end = interval.last().toBigInteger();
      while (start.compareTo(end) <= 0) {
        int host = start.signum() == 0 ? bits : Math.min(start.getLowestSetBit(), bits);
        while (host > 0
            && start.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE).compareTo(end)
                > 0) {
          host--;
        }
        widest = Math.min(widest, bits - host);
        start = start.add(BigInteger.ONE.shiftLeft(host));
        if (start.bitLength() > bits) {
          break;
        }
      }
    }
    return widest;
  }

  static Ip ip(IpFamily family, BigInteger value) {
    return Ip.of(family, value);
  }
}
