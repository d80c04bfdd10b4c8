package org.ipam.metal3.adapter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolSpec;
import org.ipam.metal3.model.PoolEntry;

/**
 * An IPPool's spec as the core allocator sees it (reference/metal3.md, section 2.1). Whatever
 * cannot be read is reported with object, field and value, and left out, so that the valid part of
 * a pool keeps serving; nothing already allocated depends on the spec (the allocator keeps
 * allocations outside every range).
 *
 * @param spec null when nothing of the pool is usable (no valid entry)
 * @param errors one line per problem, for the pool's Ready condition and events
 */
public record Metal3PoolTranslation(PoolSpec spec, List<String> errors) {

  public boolean usable() {
    return spec != null;
  }

  /**
   * The family a pool's entries are written in, for a pool with no usable entry: its held addresses
   * must stay held in their own family (IPv4 when nothing says otherwise).
   */
  public static IpFamily familyOf(IPPool pool) {
    IPPoolSpec spec = pool.getSpec();
    if (spec == null) {
      return IpFamily.IPV4;
    }
    List<String> texts = new ArrayList<>();
    for (PoolEntry entry : spec.getPools() == null ? List.<PoolEntry>of() : spec.getPools()) {
      texts.add(entry.getStart());
      texts.add(entry.getEnd());
      texts.add(entry.getSubnet());
    }
    texts.add(spec.getGateway());
    for (String text : texts) {
      if (text != null && !text.isBlank()) {
        return text.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4;
      }
    }
    return IpFamily.IPV4;
  }

  public static Metal3PoolTranslation of(IPPool pool) {
    return new Translator(pool).translate();
  }

  private static final class Translator {
    private final IPPool pool;
    private final IPPoolSpec spec;
    private final FieldProblems problems;
    private IpFamily family;

    Translator(IPPool pool) {
      this.pool = pool;
      this.spec = pool.getSpec();
      this.problems = new FieldProblems(pool);
    }

    Metal3PoolTranslation translate() {
      if (spec == null) {
        problems.add("spec", "is missing");
        return new Metal3PoolTranslation(null, problems.lines());
      }
      Ip gateway = problems.address("spec.gateway", spec.getGateway());
      List<Ip> dns = addresses("spec.dnsServers", spec.getDnsServers());
      Integer prefix = prefixOrNull("spec.prefix", spec.getPrefix());
      List<Segment> segments = new ArrayList<>();
      List<PoolEntry> entries = spec.getPools() == null ? List.of() : spec.getPools();
      for (int i = 0; i < entries.size(); i++) {
        Segment segment = segment("spec.pools[" + i + "]", entries.get(i), prefix, gateway, dns);
        if (segment != null) {
          segments.add(segment);
        }
      }
      if (segments.isEmpty()) {
        problems.add("spec.pools", "has no usable entry");
        return new Metal3PoolTranslation(null, problems.lines());
      }
      Map<String, Ip> preAllocations = preAllocations();
      OrderPolicy order =
          "random".equals(spec.getAllocationStrategy())
              ? OrderPolicy.RANDOM
              : OrderPolicy.LOWEST_FIRST;
      long seed = pool.getMetadata().getUid() == null ? 0 : pool.getMetadata().getUid().hashCode();
      PoolSpec result =
          new PoolSpec(
              family, segments, ReservedAddresses.NONE, preAllocations, Map.of(), order, seed);
      return new Metal3PoolTranslation(result, problems.lines());
    }

    private Segment segment(
        String field, PoolEntry entry, Integer poolPrefix, Ip poolGateway, List<Ip> poolDns) {
      if (entry.getStart() == null && entry.getEnd() == null && entry.getSubnet() == null) {
        problems.add(field, "must specify at least one of start, end, or subnet");
        return null;
      }
      Ip start = problems.address(field + ".start", entry.getStart());
      Ip end = problems.address(field + ".end", entry.getEnd());
      Cidr subnet = null;
      if (entry.getSubnet() != null) {
        Parsed<Cidr> parsed = IpParser.parseCidr(entry.getSubnet());
        if (parsed instanceof Parsed.Invalid<Cidr> invalid) {
          problems.add(field + ".subnet", entry.getSubnet(), invalid.reason());
          return null;
        }
        subnet = parsed.orElseThrow();
      }
      if ((entry.getStart() != null && start == null) || (entry.getEnd() != null && end == null)) {
        return null;
      }
      if (!sameFamily(field, start, end, subnet)) {
        return null;
      }
      Ip first;
      Ip last;
      if (start != null) {
        first = start;
        last = end != null ? end : (subnet != null ? subnet.last() : familyMax(start.family()));
        if (subnet != null) {
          if (!subnet.contains(start)) {
            problems.add(
                field + ".start", entry.getStart(), "is outside subnet " + entry.getSubnet());
            return null;
          }
          if (last.compareTo(subnet.last()) > 0) {
            last = subnet.last();
          }
        }
      } else if (subnet != null) {
        // Upstream starts after the address as written, host bits included: 192.168.1.10/24 hands
        // out .11 first. Kept for wire compatibility.
        if (subnet.address().equals(subnet.last())) {
          problems.add(
              field + ".subnet", entry.getSubnet(), "leaves no address after " + subnet.address());
          return null;
        }
        first = subnet.address().plus(1);
        last = subnet.last();
        if (end != null && end.compareTo(last) < 0) {
          last = end;
        }
      } else {
        problems.add(field, "has only an end; start or subnet is required");
        return null;
      }
      if (last.compareTo(first) < 0) {
        problems.add(field + ".end", entry.getEnd(), "is before start " + first);
        return null;
      }
      Integer prefix = prefixOrNull(field + ".prefix", entry.getPrefix());
      Ip gateway = problems.address(field + ".gateway", entry.getGateway());
      List<Ip> dns = addresses(field + ".dnsServers", entry.getDnsServers());
      return new Segment(
          new IpRange(first, last),
          subnet == null ? null : subnet.masked(),
          prefix != null && prefix != 0 ? prefix : poolPrefix,
          entry.getGateway() != null ? gateway : poolGateway,
          dns.isEmpty() ? poolDns : dns);
    }

    private boolean sameFamily(String field, Ip start, Ip end, Cidr subnet) {
      IpFamily entryFamily =
          start != null ? start.family() : subnet != null ? subnet.family() : end.family();
      if ((end != null && end.family() != entryFamily)
          || (subnet != null && subnet.family() != entryFamily)) {
        problems.add(field, "mixes IPv4 and IPv6 addresses");
        return false;
      }
      if (family == null) {
        family = entryFamily;
      } else if (family != entryFamily) {
        problems.add(field, "is " + entryFamily + " but the pool's first entry is " + family);
        return false;
      }
      return true;
    }

    private Map<String, Ip> preAllocations() {
      Map<String, Ip> result = new LinkedHashMap<>();
      if (spec.getPreAllocations() == null) {
        return result;
      }
      Map<Ip, String> byAddress = new LinkedHashMap<>();
      // Sorted by claim name, so which of two duplicates is refused does not depend on map order.
      for (Map.Entry<String, String> entry : new TreeMap<>(spec.getPreAllocations()).entrySet()) {
        String field = "spec.preAllocations." + entry.getKey();
        Ip ip = problems.address(field, entry.getValue());
        if (ip == null) {
          continue;
        }
        if (ip.family() != family) {
          problems.add(field, entry.getValue(), "is " + ip.family() + " but the pool is " + family);
          continue;
        }
        String other = byAddress.putIfAbsent(ip, entry.getKey());
        if (other != null) {
          problems.add(
              field, entry.getValue(), "is already pre-allocated to claim \"" + other + "\"");
          continue;
        }
        result.put(entry.getKey(), ip);
      }
      return result;
    }

    private List<Ip> addresses(String field, List<String> texts) {
      List<Ip> result = new ArrayList<>();
      if (texts != null) {
        for (int i = 0; i < texts.size(); i++) {
          Ip ip = problems.address(field + "[" + i + "]", texts.get(i));
          if (ip != null) {
            result.add(ip);
          }
        }
      }
      return result;
    }

    private Integer prefixOrNull(String field, Integer prefix) {
      if (prefix != null && (prefix < 0 || prefix > 128)) {
        problems.add(field, prefix.toString(), "is outside 0..128");
        return null;
      }
      return prefix;
    }

    private static Ip familyMax(IpFamily family) {
      return family == IpFamily.IPV4 ? Ip.v4(0xFFFF_FFFFL) : Ip.v6(-1L, -1L);
    }
  }
}
