package org.ipam.metal3.adapter;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
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
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolSpec;
import org.ipam.metal3.model.Metal3Patterns;
import org.ipam.metal3.model.PoolEntry;

/**
 * An IPPool's spec as the core allocator sees it (reference/metal3.md, sections 2.1 and 3.2), and
 * the one rule set for it: the webhook refuses a pool with {@link #errors()} and admits one with
 * {@link #warnings()} (as admission warnings); the controller writes both on the pool's Ready
 * condition. Whatever cannot be read is left out with object, field and value, so that the valid
 * part of a pool keeps serving; nothing already allocated depends on the spec (the allocator keeps
 * allocations outside every range).
 *
 * <p>Errors are what upstream refuses too, plus the differences listed in docs/compat/metal3.md
 * (prefixes that do not fit the family, a negative prefix, an end of the other family than its
 * entry, entries of two families, a namePrefix that cannot form object names). Warnings are what
 * upstream admits although it serves nothing or something surprising: no entry, an end-only entry,
 * a start outside its subnet (or of the other family), a start-only entry (it runs to the family's
 * last address), an end beyond its subnet, a gateway of the other family, a pre-allocation that can
 * never be served (of the other family, a subnet's network address).
 *
 * @param spec the usable entries (possibly none)
 * @param errors one line per problem the webhook refuses
 * @param warnings one line per surprise the webhook admits
 * @param claimProblems claim name to the message that claim gets instead of an address: its
 *     pre-allocation can never be served (other family, unreadable, shared with another claim)
 * @param blockingProblem when set, no claim of the pool can be served at all (its IPAddress names
 *     could not be formed), and every claim is told this
 * @param bounds the entries as upstream's bounds check reads them (start, end, subnet; unreadable
 *     ones left out), for pre-allocations and the addresses in use on update
 */
public record Metal3PoolTranslation(
    PoolSpec spec,
    List<String> errors,
    List<String> warnings,
    Map<String, String> claimProblems,
    String blockingProblem,
    List<EntryBounds> bounds) {

  /** Longest address text in an IPAddress name: 255-255-255-255, or eight groups of four. */
  private static final int LONGEST_V4_NAME_PART = 15;

  private static final int LONGEST_V6_NAME_PART = 39;

  /** Kubernetes object names (DNS-1123 subdomain), what a claim name must be. */
  static final java.util.regex.Pattern OBJECT_NAME =
      java.util.regex.Pattern.compile(
          "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The CRD schema's namePrefix pattern, applied by the controller when the schema was not. */
  private static final java.util.regex.Pattern NAME_PREFIX =
      java.util.regex.Pattern.compile(Metal3Patterns.NAME_PREFIX);

  static final int MAX_OBJECT_NAME = 253;

  public boolean usable() {
    return !spec.segments().isEmpty();
  }

  /**
   * Whether an address in use by a claim stays inside this spec, as upstream's update check reads
   * it (3.2 isAddressInBounds): inside every present bound of some entry. The claim's own
   * pre-allocation may also lie anywhere inside an entry's subnet, as it may on create
   * (docs/compat/metal3.md row 8); any other address beside start..end is refused, as upstream.
   */
  public boolean keepsInUse(String claim, Ip ip) {
    boolean preAllocated = ip.equals(spec.preAllocations().get(claim));
    return bounds.stream()
        .anyMatch(b -> preAllocated ? b.admitsPreAllocation(ip) : b.admitsAsUpstream(ip));
  }

  /** One entry's bounds as upstream's webhook reads them (start, end, subnet; each optional). */
  public record EntryBounds(Ip start, Ip end, Cidr subnet) {
    /** Every present bound holds, start and end compared with IPv4 before IPv6 (as upstream). */
    boolean admitsAsUpstream(Ip ip) {
      return (start == null || compareAcrossFamilies(start, ip) <= 0)
          && (end == null || compareAcrossFamilies(ip, end) <= 0)
          && (subnet == null || subnet.contains(ip));
    }

    /**
     * A pre-allocation: as upstream, or anywhere inside the subnet (docs/compat/metal3.md row 8:
     * the documentation's example pre-allocates addresses beside start..end).
     */
    boolean admitsPreAllocation(Ip ip) {
      return admitsAsUpstream(ip) || (subnet != null && subnet.contains(ip));
    }

    private static int compareAcrossFamilies(Ip a, Ip b) {
      return a.family() != b.family() ? (a.family() == IpFamily.IPV4 ? -1 : 1) : a.compareTo(b);
    }
  }

  /**
   * The translation with a fresh seed for a random pool (so the sequence differs from one process
   * and one pool generation to the next; the generator spreads addresses, it is no secret: a {@code
   * java.util.Random}, not a source of unguessable numbers), and seed 0 for a sequential one, so
   * that a spec change that is not one of the entries (the cluster name, a gateway) does not look
   * like a new order to the allocator.
   */
  public static Metal3PoolTranslation of(IPPool pool) {
    boolean random =
        pool.getSpec() != null && "random".equals(pool.getSpec().getAllocationStrategy());
    return of(pool, random ? ThreadLocalRandom.current().nextLong() : 0);
  }

  /** The translation with a given seed for the random strategy, for tests. */
  public static Metal3PoolTranslation of(IPPool pool, long randomSeed) {
    return new Translator(pool, randomSeed).translate();
  }

  /**
   * Why a namePrefix cannot start the names of IPAddress objects of a pool of that family, or null.
   * The name is {@code <namePrefix>-<address with dashes>}, so the prefix must begin and end with a
   * letter or digit, hold only lower-case letters, digits, '-' and '.', and leave room for the
   * longest address.
   */
  public static String namePrefixProblem(String namePrefix, IpFamily family) {
    if (namePrefix == null || namePrefix.isEmpty()) {
      return "cannot be empty";
    }
    if (!NAME_PREFIX.matcher(namePrefix).matches()) {
      return "cannot start an object name: use lower-case letters, digits, '-' and '.', beginning"
          + " with a letter or digit, with a letter or digit on both sides of every '.'";
    }
    int room =
        MAX_OBJECT_NAME
            - 1
            - (family == IpFamily.IPV6 ? LONGEST_V6_NAME_PART : LONGEST_V4_NAME_PART);
    if (namePrefix.length() > room) {
      return "is "
          + namePrefix.length()
          + " characters long; at most "
          + room
          + " leave room for an "
          + family
          + " address in a "
          + MAX_OBJECT_NAME
          + "-character object name";
    }
    return null;
  }

  private static final class Translator {
    private final IPPool pool;
    private final IPPoolSpec spec;
    private final long randomSeed;
    private final FieldProblems errors;
    private final FieldProblems warnings;
    private final Map<String, String> claimProblems = new LinkedHashMap<>();
    private final List<EntryBounds> bounds = new ArrayList<>();
    private final boolean random;
    private IpFamily family;

    /** Whether an entry gave the family (always, while entries are read). */
    private boolean familyKnown = true;

    Translator(IPPool pool, long randomSeed) {
      this.pool = pool;
      this.spec = pool.getSpec();
      this.randomSeed = randomSeed;
      this.errors = new FieldProblems(pool);
      this.warnings = new FieldProblems(pool);
      this.random = spec != null && "random".equals(spec.getAllocationStrategy());
    }

    private String poolName() {
      return "IPPool " + pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
    }

    Metal3PoolTranslation translate() {
      if (spec == null) {
        errors.add("spec", "is missing");
        return result(List.of(), Map.of(), poolName() + " has no spec");
      }
      Ip gateway = errors.address("spec.gateway", spec.getGateway());
      List<Ip> dns = addresses("spec.dnsServers", spec.getDnsServers());
      List<PoolEntry> entries = spec.getPools() == null ? List.of() : spec.getPools();
      List<Segment> segments = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        Segment segment = segment("spec.pools[" + i + "]", entries.get(i), gateway, dns);
        if (segment != null) {
          segments.add(segment);
        }
      }
      familyKnown = family != null;
      if (family == null) {
        family = Metal3PoolTranslation.familyOf(pool);
      }
      prefix("spec.prefix");
      if (entries.isEmpty()) {
        warnings.add(
            "spec.pools", "has no entry: every claim is told the pool is exhausted (as upstream)");
      } else if (segments.isEmpty() && errors.isEmpty()) {
        warnings.add("spec.pools", "has no entry that yields an address");
      }
      checkGatewayFamily("spec.gateway", gateway);
      String blocking = null;
      String prefixProblem = namePrefixProblem(spec.getNamePrefix(), family);
      if (prefixProblem != null) {
        errors.add("spec.namePrefix", String.valueOf(spec.getNamePrefix()), prefixProblem);
        blocking =
            poolName()
                + ": spec.namePrefix \""
                + spec.getNamePrefix()
                + "\" "
                + prefixProblem
                + "; no IPAddress can be created until it is fixed";
      }
      Map<String, Ip> preAllocations = preAllocations(segments);
      return result(segments, preAllocations, blocking);
    }

    private Metal3PoolTranslation result(
        List<Segment> segments, Map<String, Ip> preAllocations, String blocking) {
      IpFamily poolFamily = family == null ? Metal3PoolTranslation.familyOf(pool) : family;
      OrderPolicy order = random ? OrderPolicy.RANDOM : OrderPolicy.LOWEST_FIRST;
      PoolSpec result =
          new PoolSpec(
              poolFamily,
              segments,
              ReservedAddresses.NONE,
              preAllocations,
              Map.of(),
              order,
              randomSeed);
      return new Metal3PoolTranslation(
          result,
          List.copyOf(errors.lines()),
          List.copyOf(warnings.lines()),
          Map.copyOf(claimProblems),
          blocking,
          List.copyOf(bounds));
    }

    private Segment segment(String field, PoolEntry entry, Ip poolGateway, List<Ip> poolDns) {
      if (entry.getStart() == null && entry.getEnd() == null && entry.getSubnet() == null) {
        errors.add(field, "must specify at least one of start, end, or subnet");
        return null;
      }
      Ip start = errors.address(field + ".start", entry.getStart());
      Ip end = errors.address(field + ".end", entry.getEnd());
      Cidr subnet = null;
      if (entry.getSubnet() != null) {
        Parsed<Cidr> parsed = IpParser.parseCidr(entry.getSubnet());
        if (parsed instanceof Parsed.Invalid<Cidr> invalid) {
          errors.add(field + ".subnet", entry.getSubnet(), invalid.reason());
          return null;
        }
        subnet = parsed.orElseThrow();
      }
      if ((entry.getStart() != null && start == null) || (entry.getEnd() != null && end == null)) {
        return null;
      }
      bounds.add(new EntryBounds(start, end, subnet));
      if (start != null && subnet != null && start.family() != subnet.family()) {
        // A start outside its own subnet, as upstream reads it: admitted, and the entry yields
        // nothing (docs/compat/metal3.md row 29).
        warnings.add(
            field + ".start",
            entry.getStart(),
            "is "
                + start.family()
                + ", outside "
                + subnet.family()
                + " subnet "
                + entry.getSubnet()
                + ": the entry yields no address");
        return null;
      }
      if (!sameFamily(field, start, end, subnet)) {
        return null;
      }
      if (start != null && end != null && end.compareTo(start) < 0) {
        errors.add(field + ".end", entry.getEnd(), "is before start " + entry.getStart());
        return null;
      }
      if (random && !randomSizeFits(field, start, end, subnet)) {
        return null;
      }
      Integer prefix = prefix(field + ".prefix", entry.getPrefix());
      // A refused entry prefix (null) refuses the entry: never the pool's prefix in its place.
      Integer effectivePrefix =
          prefix == null ? null : prefix != 0 ? prefix : prefix("spec.prefix");
      Ip gateway = errors.address(field + ".gateway", entry.getGateway());
      checkGatewayFamily(field + ".gateway", gateway);
      List<Ip> dns = addresses(field + ".dnsServers", entry.getDnsServers());
      IpRange range = range(field, entry, start, end, subnet);
      if (range == null || effectivePrefix == null) {
        // An entry that yields nothing (a warning), or one whose prefix is refused: its addresses
        // are not handed out, so that nothing invalid is ever written into an IPAddress.
        return null;
      }
      return new Segment(
          range,
          subnet == null ? null : subnet.masked(),
          effectivePrefix,
          entry.getGateway() != null ? gateway : poolGateway,
          dns.isEmpty() ? poolDns : dns);
    }

    /**
     * The addresses an entry yields as upstream indexes them (reference 2.1), or null with a
     * warning when it yields none.
     */
    private IpRange range(String field, PoolEntry entry, Ip start, Ip end, Cidr subnet) {
      Ip first;
      Ip last;
      if (start != null) {
        first = start;
        if (subnet != null && !subnet.contains(start)) {
          warnings.add(
              field + ".start",
              entry.getStart(),
              "is outside subnet " + entry.getSubnet() + ": the entry yields no address");
          return null;
        }
        if (end == null && subnet == null) {
          warnings.add(
              field,
              "has a start and neither end nor subnet: it runs to "
                  + familyMax(start.family())
                  + " (as upstream)");
        }
        last = end != null ? end : (subnet != null ? subnet.last() : familyMax(start.family()));
      } else if (subnet != null) {
        // Upstream starts after the address as written, host bits included: 192.168.1.10/24 hands
        // out .11 first. Kept for wire compatibility.
        if (subnet.address().equals(subnet.last())) {
          warnings.add(
              field + ".subnet",
              entry.getSubnet(),
              "yields no address (upstream starts after " + subnet.address() + ")");
          return null;
        }
        first = subnet.address().plus(1);
        last = end != null && end.compareTo(subnet.last()) < 0 ? end : subnet.last();
      } else {
        warnings.add(field, "has only an end: it yields no address (start or subnet is required)");
        return null;
      }
      if (subnet != null && end != null && end.compareTo(subnet.last()) > 0) {
        warnings.add(
            field + ".end",
            entry.getEnd(),
            "is beyond subnet " + entry.getSubnet() + ": the entry stops at " + subnet.last());
        last = subnet.last();
      }
      if (last.compareTo(first) < 0) {
        warnings.add(field, "yields no address (" + first + " is after " + last + ")");
        return null;
      }
      return new IpRange(first, last);
    }

    /**
     * Upstream sizes a random entry (GetPoolSize) and refuses one whose size it cannot compute: a
     * start or end without the other bound, or more addresses than a 64-bit signed integer holds.
     */
    private boolean randomSizeFits(String field, Ip start, Ip end, Cidr subnet) {
      BigInteger size;
      if (start != null && end != null) {
        size = end.toBigInteger().subtract(start.toBigInteger()).add(BigInteger.ONE);
      } else if (start != null && subnet != null) {
        size = subnet.last().toBigInteger().subtract(start.toBigInteger()).add(BigInteger.ONE);
      } else if (start == null && subnet != null) {
        size = subnet.last().toBigInteger().subtract(subnet.network().toBigInteger());
      } else {
        errors.add(
            field,
            "cannot be used with allocationStrategy \"random\": its size is unbounded (start or"
                + " end without the other bound or a subnet)");
        return false;
      }
      if (size.bitLength() > 63) {
        errors.add(
            field,
            "cannot be used with allocationStrategy \"random\": "
                + size
                + " addresses are more than 2^63-1");
        return false;
      }
      return true;
    }

    /**
     * An entry of one family (an end of the other family is refused: what upstream makes of it
     * depends on how it compares the two, docs/compat/metal3.md row 43), the same as the entries
     * before it.
     */
    private boolean sameFamily(String field, Ip start, Ip end, Cidr subnet) {
      IpFamily entryFamily =
          start != null ? start.family() : subnet != null ? subnet.family() : end.family();
      if ((end != null && end.family() != entryFamily)
          || (subnet != null && subnet.family() != entryFamily)) {
        errors.add(field, "mixes IPv4 and IPv6 addresses");
        return false;
      }
      if (family == null) {
        family = entryFamily;
      } else if (family != entryFamily) {
        errors.add(field, "is " + entryFamily + " but the pool's first entry is " + family);
        return false;
      }
      return true;
    }

    private void checkGatewayFamily(String field, Ip gateway) {
      if (gateway != null && family != null && gateway.family() != family) {
        warnings.add(
            field,
            gateway.toString(),
            "is "
                + gateway.family()
                + " in an "
                + family
                + " pool (written into IPAddresses as is)");
      }
    }

    /** The pool's default prefix, checked once against the family; null when refused. */
    private Integer prefix(String field) {
      return prefix(field, spec.getPrefix());
    }

    /** A prefix as given (0 or absent: none), or null with an error when it cannot be one. */
    private Integer prefix(String field, Integer prefix) {
      if (prefix == null) {
        return 0;
      }
      // A pool whose family nothing tells (no entry) is judged by the widest family.
      int max = family == IpFamily.IPV4 && familyKnown ? 32 : 128;
      if (prefix < 0) {
        addOnce(field, prefix, "is negative");
        return null;
      }
      if (prefix > max) {
        addOnce(
            field,
            prefix,
            "is longer than "
                + max
                + (familyKnown ? " for " + family : " (no entry gives the pool a family)"));
        return null;
      }
      return prefix;
    }

    private void addOnce(String field, Object value, String problem) {
      FieldProblems one = new FieldProblems(pool);
      one.add(field, value, problem);
      if (!errors.lines().contains(one.lines().get(0))) {
        errors.addAll(one.lines());
      }
    }

    private Map<String, Ip> preAllocations(List<Segment> segments) {
      Map<String, Ip> result = new LinkedHashMap<>();
      if (spec.getPreAllocations() == null) {
        return result;
      }
      Map<Ip, String> byAddress = new LinkedHashMap<>();
      // Sorted by claim name, so which of two duplicates is refused does not depend on map order.
      for (Map.Entry<String, String> entry : new TreeMap<>(spec.getPreAllocations()).entrySet()) {
        String claim = entry.getKey();
        String field = "spec.preAllocations." + claim;
        if (!OBJECT_NAME.matcher(claim).matches() || claim.length() > MAX_OBJECT_NAME) {
          warnings.add(field, "names no possible claim (not an object name): it is never used");
        }
        Ip ip = errors.address(field, entry.getValue());
        if (ip == null) {
          claimProblems.put(
              claim,
              "Pre-allocated IP out of bounds: "
                  + field
                  + " \""
                  + entry.getValue()
                  + "\" of "
                  + poolName()
                  + " is not an IP address");
          continue;
        }
        String other = byAddress.putIfAbsent(ip, claim);
        if (other != null) {
          errors.add(
              field, entry.getValue(), "is already pre-allocated to claim \"" + other + "\"");
          claimProblems.put(
              claim,
              "Pre-allocated IP "
                  + ip
                  + " ("
                  + field
                  + " of "
                  + poolName()
                  + ") is also pre-allocated to claim \""
                  + other
                  + "\"");
          continue;
        }
        boolean inBounds = bounds.stream().anyMatch(b -> b.admitsPreAllocation(ip));
        if (!inBounds) {
          errors.add(field, entry.getValue(), "is out of bounds of the pools given");
        }
        if (ip.family() != family) {
          if (inBounds) {
            warnings.add(
                field,
                entry.getValue(),
                "is " + ip.family() + " in an " + family + " pool: it can never be allocated");
          }
          claimProblems.put(
              claim,
              "Pre-allocated IP out of bounds: "
                  + ip
                  + " is "
                  + ip.family()
                  + " but "
                  + poolName()
                  + " is "
                  + family);
          continue;
        }
        Cidr networkOf = subnetWhoseNetworkIs(segments, ip);
        if (networkOf != null) {
          // Upstream's bounds check admits it, but no entry ever produces it (derived-024).
          warnings.add(
              field,
              entry.getValue(),
              "is the network address of subnet " + networkOf + ": it is never handed out");
          claimProblems.put(
              claim,
              "Pre-allocated IP out of bounds: "
                  + ip
                  + " is the network address of subnet "
                  + networkOf
                  + " of "
                  + poolName()
                  + ", which no entry hands out");
          continue;
        }
        // Kept even out of bounds: the claim waits for it and is told "Pre-allocated IP out of
        // bounds" with the address, as upstream (without the address).
        result.put(claim, ip);
      }
      return result;
    }

    /**
     * The subnet whose network address this is, when no entry's range holds it: row 8 admits a
     * pre-allocation anywhere in a subnet, but not its network address, which upstream never hands
     * out. Null otherwise.
     */
    private static Cidr subnetWhoseNetworkIs(List<Segment> segments, Ip ip) {
      if (segments.stream().anyMatch(s -> s.range().contains(ip))) {
        return null;
      }
      return segments.stream()
          .map(Segment::subnet)
          .filter(subnet -> subnet != null && subnet.network().equals(ip))
          .findFirst()
          .orElse(null);
    }

    private List<Ip> addresses(String field, List<String> texts) {
      List<Ip> result = new ArrayList<>();
      if (texts != null) {
        for (int i = 0; i < texts.size(); i++) {
          Ip ip = errors.address(field + "[" + i + "]", texts.get(i));
          if (ip != null) {
            result.add(ip);
          }
        }
      }
      return result;
    }
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

  private static Ip familyMax(IpFamily family) {
    return family == IpFamily.IPV4 ? Ip.v4(0xFFFF_FFFFL) : Ip.v6(-1L, -1L);
  }
}
