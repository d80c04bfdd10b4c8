package org.ipam.harvester.pool;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipam.core.alloc.OrderPolicy;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.ReservedAddresses;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.PoolRange;

/**
 * An IPPool's ranges as the allocator serves them (reference 1.2 and 3.2): each range is its subnet
 * narrowed to {@code rangeStart..rangeEnd}, in spec order, with its gateway never handed out.
 * Defaults as upstream: start the subnet's second address, end the address before the IPv4
 * broadcast (the last address for IPv6), gateway the second address; an IPv4 /32 (IPv6 /128) is its
 * one address with no gateway. A start after the end is swapped, as upstream does. A round-robin
 * pool's allocator goes on just after {@code status.lastAllocated} ({@link #lastAllocated}) when
 * the engine builds it anew, as upstream's iterator does: the rest of that range, the following
 * ranges, then round to where it stopped.
 *
 * <p>A spec that cannot be served (a range that does not parse, an address outside its subnet,
 * ranges of two families, ranges that overlap) serves nothing new: {@link #problem} names the pool,
 * the field and the value, for the pool's Ready condition and its LoadBalancers.
 */
public record PoolRanges(PoolSpec allocator, long total, String problem) {

  /** Nothing to hand out, for a pool with a problem. */
  private static PoolRanges unusable(String problem) {
    return new PoolRanges(PoolSpec.of(IpFamily.IPV4, List.of()), 0, problem);
  }

  /**
   * The same pool serving nothing new, for a reason outside its own spec (it conflicts with an
   * older pool): what it holds stays held.
   */
  public PoolRanges refused(String why) {
    return new PoolRanges(PoolSpec.of(allocator.family(), List.of()), total, why);
  }

  /**
   * The same pool handing out nothing in {@code taken} (a newer pool's ranges over its own,
   * webhooks off: of two pools created at once, each may have missed the other): what it holds
   * there stays held.
   */
  public PoolRanges excluding(List<IpRange> taken) {
    if (taken.isEmpty()) {
      return this;
    }
    ReservedAddresses reserved = allocator.reserved();
    List<IpRange> excluded = new ArrayList<>(reserved.excluded());
    excluded.addAll(taken);
    return new PoolRanges(
        allocator.withReserved(
            new ReservedAddresses(
                reserved.networkAndBroadcastOf(),
                reserved.allocateReserved(),
                reserved.gateways(),
                excluded)),
        total,
        problem);
  }

  public boolean usable() {
    return problem == null;
  }

  public static PoolRanges of(HarvesterIPPool pool) {
    String name = pool.describe();
    List<PoolRange> ranges = pool.getSpec() == null ? null : pool.getSpec().getRanges();
    if (ranges == null || ranges.isEmpty()) {
      return unusable(name + ": spec.ranges is empty: a pool needs at least one range");
    }
    if (pool.getSpec().getSelector() != null
        && pool.getSpec().getSelector().getScope() != null
        && pool.getSpec().getSelector().getScope().problem().isPresent()) {
      return unusable(name + ": " + pool.getSpec().getSelector().getScope().problem().get());
    }
    List<Segment> segments = new ArrayList<>();
    List<Ip> gateways = new ArrayList<>();
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < ranges.size(); i++) {
      Parsed<Segment> parsed = segment(ranges.get(i), "spec.ranges[" + i + "]");
      if (parsed instanceof Parsed.Invalid<Segment> invalid) {
        return unusable(name + ": " + invalid.reason());
      }
      Segment segment = parsed.orElseThrow();
      if (!segments.isEmpty() && segment.range().family() != segments.get(0).range().family()) {
        return unusable(
            name
                + ": spec.ranges["
                + i
                + "].subnet \""
                + ranges.get(i).getSubnet()
                + "\" is "
                + segment.range().family()
                + " but spec.ranges[0] is "
                + segments.get(0).range().family()
                + ": one family per pool");
      }
      for (int j = 0; j < segments.size(); j++) {
        if (segments.get(j).range().overlaps(segment.range())) {
          return unusable(
              name
                  + ": spec.ranges["
                  + i
                  + "] "
                  + segment.range()
                  + " overlaps spec.ranges["
                  + j
                  + "] "
                  + segments.get(j).range());
        }
      }
      segments.add(segment);
      BigInteger size = segment.range().size();
      if (segment.gateway() != null) {
        gateways.add(segment.gateway());
        if (segment.range().contains(segment.gateway())) {
          size = size.subtract(BigInteger.ONE);
        }
      }
      total = total.add(size);
    }
    OrderPolicy order = orderOf(pool);
    PoolSpec spec =
        new PoolSpec(
            segments.get(0).range().family(),
            segments,
            new ReservedAddresses(List.of(), false, gateways, List.of()),
            Map.of(),
            Map.of(),
            order,
            0);
    return new PoolRanges(
        spec, total.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact(), null);
  }

  /** Ascending unless the pool asks for upstream's round robin ({@link HarvesterApi}). */
  static OrderPolicy orderOf(HarvesterIPPool pool) {
    Map<String, String> annotations = pool.getMetadata().getAnnotations();
    String order =
        annotations == null ? null : annotations.get(HarvesterApi.ALLOCATION_ORDER_ANNOTATION);
    return HarvesterApi.ORDER_ROUND_ROBIN.equals(order)
        ? OrderPolicy.NEXT_AFTER_LAST
        : OrderPolicy.LOWEST_FIRST;
  }

  /** {@code status.lastAllocated}, where round robin goes on; null when absent or no address. */
  public static Ip lastAllocated(HarvesterIPPool pool) {
    String text = pool.getStatus() == null ? null : pool.getStatus().getLastAllocated();
    return text != null && IpParser.parseAddress(text) instanceof Parsed.Valid<Ip> ip
        ? ip.value()
        : null;
  }

  /** One range with upstream's defaults, or what is wrong with it (field and value). */
  static Parsed<Segment> segment(PoolRange range, String field) {
    Parsed<Cidr> parsedSubnet = IpParser.parseCidr(range.getSubnet());
    if (parsedSubnet instanceof Parsed.Invalid<Cidr> invalid) {
      return Parsed.invalid(
          range.getSubnet(),
          field + ".subnet " + invalid.message() + ", a valid example is 192.168.1.0/24");
    }
    Cidr subnet = parsedSubnet.orElseThrow().masked();
    boolean single = subnet.prefixLength() == subnet.family().bits();
    Ip network = subnet.network();
    Ip last = subnet.last();
    Ip second = single ? network : network.plus(1);
    Ip defaultEnd = single || !subnet.address().isV4() ? last : minusOne(last);
    Parsed<Ip> start = address(range.getRangeStart(), second, subnet, field + ".rangeStart");
    Parsed<Ip> end = address(range.getRangeEnd(), defaultEnd, subnet, field + ".rangeEnd");
    Parsed<Ip> gateway =
        address(range.getGateway(), single ? null : second, subnet, field + ".gateway");
    for (Parsed<Ip> parsed : List.of(start, end)) {
      if (parsed instanceof Parsed.Invalid<Ip> invalid) {
        return Parsed.invalid(invalid.text(), invalid.reason());
      }
    }
    if (gateway instanceof Parsed.Invalid<Ip> invalid) {
      return Parsed.invalid(invalid.text(), invalid.reason());
    }
    Ip first = start.orElseThrow();
    Ip lastHandedOut = end.orElseThrow();
    if (first.compareTo(lastHandedOut) > 0) {
      // As upstream (and what the defaults of an IPv4 /31 come to): swapped, not refused.
      Ip swap = first;
      first = lastHandedOut;
      lastHandedOut = swap;
    }
    return Parsed.valid(
        new Segment(
            new IpRange(first, lastHandedOut),
            subnet,
            subnet.prefixLength(),
            gateway.orElseThrow(),
            List.of()));
  }

  /**
   * An address of the range: the default when not given; inside the subnet, and (for subnets larger
   * than two addresses) neither its network nor its last address, as upstream checks.
   */
  private static Parsed<Ip> address(String text, Ip fallback, Cidr subnet, String field) {
    if (text == null || text.isEmpty()) {
      return new Parsed.Valid<>(fallback);
    }
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    if (parsed instanceof Parsed.Invalid<Ip> invalid) {
      return Parsed.invalid(text, field + " " + invalid.message());
    }
    Ip ip = parsed.orElseThrow();
    if (!subnet.contains(ip)) {
      return Parsed.invalid(text, field + " \"" + text + "\" is outside the subnet " + subnet);
    }
    boolean tiny = subnet.family().bits() - subnet.prefixLength() < 2;
    if (!tiny && ip.equals(subnet.network())) {
      return Parsed.invalid(text, field + " \"" + text + "\" is the network address of " + subnet);
    }
    if (!tiny && ip.equals(subnet.last())) {
      return Parsed.invalid(
          text,
          field
              + " \""
              + text
              + "\" is the "
              + (ip.isV4() ? "broadcast" : "last")
              + " address of "
              + subnet);
    }
    return parsed;
  }

  private static Ip minusOne(Ip ip) {
    return Ip.of(ip.family(), ip.toBigInteger().subtract(BigInteger.ONE));
  }
}
