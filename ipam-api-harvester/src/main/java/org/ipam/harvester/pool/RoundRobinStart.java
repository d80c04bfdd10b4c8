package org.ipam.harvester.pool;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * Where upstream's round robin starts (reference 3.2): just after {@code status.lastAllocated} when
 * that address lies in one of the ranges, wrapping from the last range to the first and back to the
 * range it started in; from the first range's start otherwise.
 *
 * <p>The cursor is persisted by the pool's status, not by the allocator, which the engine builds
 * anew after a restart, a change of ranges or of the history preferences: the segments are rotated
 * so that the allocator's first pick after any rebuild is the address upstream's iterator would try
 * first. Within one allocator's life its own cursor moves on from there, round the same cycle.
 */
final class RoundRobinStart {
  private RoundRobinStart() {}

  /**
   * The segments in the order upstream's iterator visits them after {@code last}: the rest of the
   * segment that holds it, the following segments, the preceding ones, then the start of its own
   * segment up to {@code last}. Unchanged when {@code last} is null or in no segment.
   */
  static List<Segment> after(List<Segment> segments, Ip last) {
    int at = -1;
    for (int i = 0; last != null && i < segments.size(); i++) {
      if (segments.get(i).range().contains(last)) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return segments;
    }
    Segment holder = segments.get(at);
    IpRange range = holder.range();
    List<Segment> rotated = new ArrayList<>();
    if (last.compareTo(range.last()) < 0) {
      rotated.add(piece(holder, new IpRange(last.plus(1), range.last())));
    }
    rotated.addAll(segments.subList(at + 1, segments.size()));
    rotated.addAll(segments.subList(0, at));
    rotated.add(piece(holder, new IpRange(range.first(), last)));
    return rotated;
  }

  /** Part of a segment: the same subnet and gateway, so an address from it carries the same. */
  private static Segment piece(Segment segment, IpRange range) {
    return new Segment(
        range, segment.subnet(), segment.prefixLength(), segment.gateway(), segment.dnsServers());
  }
}
