package org.ipam.core.alloc;

import static org.ipam.core.alloc.U128SortedMap.NONE;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.U128;

/**
 * A set of unsigned 128-bit values kept as disjoint, coalesced intervals [start, end]: touching or
 * overlapping intervals are always merged. Because of that, the value after an interval's end is
 * never in the set, so the first value not in the set at or after x costs one floor lookup. A
 * sequential fill of a /8 is one interval.
 */
final class IntervalSet {
  private final U128SortedMap intervals;

  /**
   * @param wide whether values may exceed 64 bits (IPv6)
   */
  IntervalSet(boolean wide) {
    this.intervals = new U128SortedMap(wide, false);
  }

  int intervalCount() {
    return intervals.size();
  }

  /** Whether no value of [start, end] is in the set. */
  boolean isFree(long sHi, long sLo, long eHi, long eLo) {
    long p = intervals.floor(eHi, eLo);
    return p == NONE || U128.compare(intervals.valHi(p), intervals.valLo(p), sHi, sLo) < 0;
  }

  /**
   * When [start, end] overlaps the set, writes the end of the last interval it overlaps to {@code
   * out} and returns true; a block search continues after that end.
   */
  boolean overlapEnd(long sHi, long sLo, long eHi, long eLo, long[] out) {
    long p = intervals.floor(eHi, eLo);
    if (p == NONE || U128.compare(intervals.valHi(p), intervals.valLo(p), sHi, sLo) < 0) {
      return false;
    }
    out[0] = intervals.valHi(p);
    out[1] = intervals.valLo(p);
    return true;
  }

  /** The intervals that overlap [start, end], clipped to it, in ascending order. */
  List<IpRange> overlapping(IpFamily family, long sHi, long sLo, long eHi, long eLo) {
    List<IpRange> result = new ArrayList<>();
    long p = intervals.floor(eHi, eLo);
    while (p != NONE && U128.compare(intervals.valHi(p), intervals.valLo(p), sHi, sLo) >= 0) {
      long fromHi = intervals.keyHi(p);
      long fromLo = intervals.keyLo(p);
      if (U128.compare(fromHi, fromLo, sHi, sLo) < 0) {
        fromHi = sHi;
        fromLo = sLo;
      }
      long toHi = intervals.valHi(p);
      long toLo = intervals.valLo(p);
      if (U128.compare(toHi, toLo, eHi, eLo) > 0) {
        toHi = eHi;
        toLo = eLo;
      }
      result.add(0, new IpRange(new Ip(family, fromHi, fromLo), new Ip(family, toHi, toLo)));
      p = intervals.previous(p);
    }
    return result;
  }

  /** Every interval, in ascending order. */
  List<IpRange> toRanges(IpFamily family) {
    List<IpRange> result = new ArrayList<>(intervals.size());
    for (long p = intervals.first(); p != NONE; p = intervals.next(p)) {
      result.add(
          new IpRange(
              new Ip(family, intervals.keyHi(p), intervals.keyLo(p)),
              new Ip(family, intervals.valHi(p), intervals.valLo(p))));
    }
    return result;
  }

  boolean contains(long hi, long lo) {
    return !isFree(hi, lo, hi, lo);
  }

  /**
   * The first value at or after x and not after limit that is not in the set, written to {@code
   * out} as (hi, lo); false when there is none.
   */
  boolean firstFree(long xHi, long xLo, long limitHi, long limitLo, long[] out) {
    long p = intervals.floor(xHi, xLo);
    long cHi = xHi;
    long cLo = xLo;
    if (p != NONE && U128.compare(intervals.valHi(p), intervals.valLo(p), xHi, xLo) >= 0) {
      long endHi = intervals.valHi(p);
      long endLo = intervals.valLo(p);
      if (U128.compare(endHi, endLo, limitHi, limitLo) >= 0) {
        return false;
      }
      cHi = U128.incHigh(endHi, endLo);
      cLo = endLo + 1;
    }
    if (U128.compare(cHi, cLo, limitHi, limitLo) > 0) {
      return false;
    }
    out[0] = cHi;
    out[1] = cLo;
    return true;
  }

  /**
   * How many values of [start, end] are not in the set, minus one, written to {@code out} as (hi,
   * lo): the highest rank {@link #freeAtRank} accepts. Minus one so that a free 128-bit space
   * (2^128 values) still fits. False when every value of [start, end] is in the set. Costs a floor
   * lookup and a step per interval that overlaps [start, end]; no allocation.
   */
  boolean maxFreeRank(long sHi, long sLo, long eHi, long eLo, long[] out) {
    // free = (end - start + 1) - occupied, and occupied = sum(to - from) + m over the m clipped
    // intervals: sum(to - from) <= end - start never wraps, where occupied itself could (2^128).
    long spanHi = U128.subHigh(eHi, eLo, sHi, sLo);
    long spanLo = eLo - sLo;
    long dHi = 0;
    long dLo = 0;
    long m = 0;
    for (long p = firstEndingAtOrAfter(sHi, sLo);
        p != NONE && U128.compare(intervals.keyHi(p), intervals.keyLo(p), eHi, eLo) <= 0;
        p = intervals.next(p)) {
      long fromHi = intervals.keyHi(p);
      long fromLo = intervals.keyLo(p);
      if (U128.compare(fromHi, fromLo, sHi, sLo) < 0) {
        fromHi = sHi;
        fromLo = sLo;
      }
      long toHi = intervals.valHi(p);
      long toLo = intervals.valLo(p);
      if (U128.compare(toHi, toLo, eHi, eLo) > 0) {
        toHi = eHi;
        toLo = eLo;
      }
      long lengthLo = toLo - fromLo;
      long lengthHi = U128.subHigh(toHi, toLo, fromHi, fromLo);
      dHi = U128.addHigh(dHi, dLo, lengthHi, lengthLo);
      dLo += lengthLo;
      m++;
    }
    // free - 1 = (span - d) - m; nothing is free when span - d < m.
    long restHi = U128.subHigh(spanHi, spanLo, dHi, dLo);
    long restLo = spanLo - dLo;
    if (U128.compare(restHi, restLo, 0, m) < 0) {
      return false;
    }
    out[0] = U128.subHigh(restHi, restLo, 0, m);
    out[1] = restLo - m;
    return true;
  }

  /**
   * The value of [start, end] that is not in the set and has k values of [start, end] not in the
   * set below it (k counted from 0, so k = 0 is the lowest free value), written to {@code out} as
   * (hi, lo). False when k is above {@link #maxFreeRank}. Walks the gaps between the intervals that
   * overlap [start, end] from the lowest: a floor lookup and a step per interval passed; no
   * allocation. {@code out} may be the array k was read from.
   */
  boolean freeAtRank(long sHi, long sLo, long eHi, long eLo, long kHi, long kLo, long[] out) {
    long cHi = sHi;
    long cLo = sLo;
    for (long p = firstEndingAtOrAfter(sHi, sLo);
        p != NONE && U128.compare(intervals.keyHi(p), intervals.keyLo(p), eHi, eLo) <= 0;
        p = intervals.next(p)) {
      long fromHi = intervals.keyHi(p);
      long fromLo = intervals.keyLo(p);
      // The gap [c, from - 1] holds from - c free values (none when the interval starts before c).
      if (U128.compare(fromHi, fromLo, cHi, cLo) > 0) {
        long gapHi = U128.subHigh(fromHi, fromLo, cHi, cLo);
        long gapLo = fromLo - cLo;
        if (U128.compare(kHi, kLo, gapHi, gapLo) < 0) {
          out[0] = U128.addHigh(cHi, cLo, kHi, kLo);
          out[1] = cLo + kLo;
          return true;
        }
        kHi = U128.subHigh(kHi, kLo, gapHi, gapLo);
        kLo -= gapLo;
      }
      long toHi = intervals.valHi(p);
      long toLo = intervals.valLo(p);
      if (U128.compare(toHi, toLo, eHi, eLo) >= 0) {
        return false;
      }
      cHi = U128.incHigh(toHi, toLo);
      cLo = toLo + 1;
    }
    // The last gap, [c, end]: k must not pass end - c.
    long roomHi = U128.subHigh(eHi, eLo, cHi, cLo);
    long roomLo = eLo - cLo;
    if (U128.compare(kHi, kLo, roomHi, roomLo) > 0) {
      return false;
    }
    out[0] = U128.addHigh(cHi, cLo, kHi, kLo);
    out[1] = cLo + kLo;
    return true;
  }

  /**
   * The start of the first interval after x (exclusive), written to {@code out}; false when there
   * is none.
   */
  boolean nextStartAfter(long xHi, long xLo, long[] out) {
    long p = intervals.floor(xHi, xLo);
    p = p == NONE ? intervals.first() : intervals.next(p);
    if (p == NONE) {
      return false;
    }
    out[0] = intervals.keyHi(p);
    out[1] = intervals.keyLo(p);
    return true;
  }

  /** Adds [start, end], merging with whatever it touches. */
  void add(long sHi, long sLo, long eHi, long eLo) {
    long p = intervals.floor(sHi, sLo);
    if (p != NONE && touches(intervals.valHi(p), intervals.valLo(p), sHi, sLo)) {
      // Extend the interval on the left.
      sHi = intervals.keyHi(p);
      sLo = intervals.keyLo(p);
      if (U128.compare(intervals.valHi(p), intervals.valLo(p), eHi, eLo) > 0) {
        eHi = intervals.valHi(p);
        eLo = intervals.valLo(p);
      }
    } else {
      p = NONE;
    }
    // Swallow every later interval that starts at or before end + 1.
    long q = p == NONE ? firstAfter(sHi, sLo) : intervals.next(p);
    while (q != NONE && touches(eHi, eLo, intervals.keyHi(q), intervals.keyLo(q))) {
      if (U128.compare(intervals.valHi(q), intervals.valLo(q), eHi, eLo) > 0) {
        eHi = intervals.valHi(q);
        eLo = intervals.valLo(q);
      }
      intervals.removeAt(q);
      // Positions after a removal are stale: look the neighbours up again.
      p = p == NONE ? NONE : intervals.find(sHi, sLo);
      q = p == NONE ? firstAfter(sHi, sLo) : intervals.next(p);
    }
    if (p != NONE) {
      intervals.setValue(p, eHi, eLo);
    } else {
      intervals.insert(sHi, sLo, eHi, eLo, null);
    }
  }

  /** Removes [start, end]; values of it that are not in the set are ignored. */
  void remove(long sHi, long sLo, long eHi, long eLo) {
    long p = intervals.floor(eHi, eLo);
    while (p != NONE && U128.compare(intervals.valHi(p), intervals.valLo(p), sHi, sLo) >= 0) {
      long kHi = intervals.keyHi(p);
      long kLo = intervals.keyLo(p);
      long vHi = intervals.valHi(p);
      long vLo = intervals.valLo(p);
      boolean keepsLeft = U128.compare(kHi, kLo, sHi, sLo) < 0;
      boolean keepsRight = U128.compare(vHi, vLo, eHi, eLo) > 0;
      if (keepsLeft) {
        intervals.setValue(p, U128.decHigh(sHi, sLo), sLo - 1);
      } else {
        intervals.removeAt(p);
      }
      if (keepsRight) {
        intervals.insert(U128.incHigh(eHi, eLo), eLo + 1, vHi, vLo, null);
      }
      if (keepsLeft) {
        return;
      }
      p = intervals.floor(eHi, eLo);
    }
  }

  /** The first interval that ends at or after x (it holds x or lies above it), or NONE. */
  private long firstEndingAtOrAfter(long xHi, long xLo) {
    long p = intervals.floor(xHi, xLo);
    if (p != NONE && U128.compare(intervals.valHi(p), intervals.valLo(p), xHi, xLo) >= 0) {
      return p;
    }
    return p == NONE ? intervals.first() : intervals.next(p);
  }

  private long firstAfter(long hi, long lo) {
    long p = intervals.floor(hi, lo);
    return p == NONE ? intervals.first() : intervals.next(p);
  }

  /**
   * Whether an interval ending at end touches or overlaps one that starts at start (end + 1 >=
   * start).
   */
  private static boolean touches(long endHi, long endLo, long startHi, long startLo) {
    if (U128.compare(endHi, endLo, startHi, startLo) >= 0) {
      return true;
    }
    return U128.incHigh(endHi, endLo) == startHi && endLo + 1 == startLo;
  }
}
