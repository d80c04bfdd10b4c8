package org.ipam.incluster.pool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;

/**
 * A set of addresses as sorted, disjoint, non-adjacent ranges (IPv4 ranges first): what Go's {@code
 * netipx.IPSet} is to upstream. Immutable; operations cost O(n log n) in the number of ranges,
 * never in the number of addresses, so an IPv6 /64 is one range.
 */
public final class IpSet {
  public static final IpSet EMPTY = new IpSet(List.of());

  private static final BigInteger MAX_INT = BigInteger.valueOf(Long.MAX_VALUE);

  private final List<IpRange> ranges;

  private IpSet(List<IpRange> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** The union of the ranges, in any order, overlapping or not. */
  public static IpSet of(Collection<IpRange> ranges) {
    List<IpRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(IpRange::first));
    List<IpRange> merged = new ArrayList<>(sorted.size());
    for (IpRange range : sorted) {
      int lastIndex = merged.size() - 1;
      if (lastIndex >= 0 && touches(merged.get(lastIndex), range)) {
        IpRange last = merged.get(lastIndex);
        if (range.last().compareTo(last.last()) > 0) {
          merged.set(lastIndex, new IpRange(last.first(), range.last()));
        }
      } else {
        merged.add(range);
      }
    }
    return new IpSet(merged);
  }

  public static IpSet of(IpRange... ranges) {
    return of(List.of(ranges));
  }

  public List<IpRange> ranges() {
    return ranges;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public Optional<Ip> lowest() {
    return ranges.isEmpty() ? Optional.empty() : Optional.of(ranges.get(0).first());
  }

  public Set<IpFamily> families() {
    Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
    ranges.forEach(r -> families.add(r.family()));
    return families;
  }

  public boolean contains(Ip address) {
    IpRange candidate = rangeAtOrBefore(address);
    return candidate != null && candidate.contains(address);
  }

  /** Whether every address of the range is in the set. */
  public boolean contains(IpRange range) {
    IpRange candidate = rangeAtOrBefore(range.first());
    return candidate != null && candidate.contains(range);
  }

  /** Whether some address of the range is in the set. */
  public boolean overlaps(IpRange range) {
    IpRange candidate = rangeAtOrBefore(range.last());
    return candidate != null && candidate.overlaps(range);
  }

  /** Whether every address of the other set is in this one. */
  public boolean containsAll(IpSet other) {
    return other.ranges.stream().allMatch(this::contains);
  }

  public IpSet union(IpSet other) {
    List<IpRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return of(all);
  }

  public IpSet minus(IpSet other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    List<IpRange> result = new ArrayList<>();
    List<IpRange> cut = other.ranges;
    int j = 0;
    for (IpRange range : ranges) {
      while (j < cut.size() && cut.get(j).last().compareTo(range.first()) < 0) {
        j++;
      }
      Ip from = range.first();
      boolean left = true;
      for (int k = j;
          left && k < cut.size() && cut.get(k).first().compareTo(range.last()) <= 0;
          k++) {
        IpRange hole = cut.get(k);
        if (hole.first().compareTo(from) > 0) {
          result.add(new IpRange(from, previous(hole.first())));
        }
        if (hole.last().compareTo(range.last()) >= 0) {
          left = false;
        } else {
          from = next(hole.last());
        }
      }
      if (left) {
        result.add(new IpRange(from, range.last()));
      }
    }
    return new IpSet(result);
  }

  public IpSet minus(Ip address) {
    return minus(of(IpRange.single(address)));
  }

  /** How many addresses, exactly. */
  public BigInteger size() {
    BigInteger total = BigInteger.ZERO;
    for (IpRange range : ranges) {
      total = total.add(range.size());
    }
    return total;
  }

  /** {@link #size()}, capped at 2^63-1 as upstream caps its counts at Go's {@code math.MaxInt}. */
  public long sizeCapped() {
    BigInteger size = size();
    return size.compareTo(MAX_INT) > 0 ? Long.MAX_VALUE : size.longValueExact();
  }

  /** The last range whose first address is not after the address, or null. */
  private IpRange rangeAtOrBefore(Ip address) {
    int low = 0;
    int high = ranges.size() - 1;
    IpRange found = null;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      IpRange range = ranges.get(middle);
      if (range.first().compareTo(address) <= 0) {
        found = range;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** Whether b, which starts no earlier than a, overlaps a or starts right after it. */
  private static boolean touches(IpRange a, IpRange b) {
    if (a.family() != b.family()) {
      return false;
    }
    return b.first().compareTo(a.last()) <= 0
        || (!isLast(a.last()) && next(a.last()).equals(b.first()));
  }

  private static boolean isLast(Ip address) {
    return address.isV4()
        ? address.lo() == 0xffffffffL
        : address.hi() == -1L && address.lo() == -1L;
  }

  /** The address after one that is not the last of its family. */
  static Ip next(Ip address) {
    return address.plus(1);
  }

  /** The address before one that is not the first of its family. */
  static Ip previous(Ip address) {
    long lo = address.lo() - 1;
    long hi = address.lo() == 0 ? address.hi() - 1 : address.hi();
    return new Ip(address.family(), hi, lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpSet other && ranges.equals(other.ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  /** {@code [10.0.0.10 10.0.0.24-10.0.0.32]}, as netipx prints a set's ranges. */
  @Override
  public String toString() {
    return ranges.stream().map(IpRange::toString).collect(Collectors.joining(" ", "[", "]"));
  }
}
