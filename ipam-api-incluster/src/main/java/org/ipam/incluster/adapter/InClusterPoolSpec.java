package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.ipam.incluster.pool.AddressSyntax;
import org.ipam.incluster.pool.IPPoolAddresses;
import org.ipam.incluster.pool.IpSet;
import org.ipam.incluster.pool.PrefixPoolPrefixes;
import org.ipam.incluster.webhook.IPPoolSpecRules;
import org.ipam.incluster.webhook.PrefixPoolSpecRules;

/**
 * A pool's spec as the engine serves it, read once per generation: the allocator's spec (upstream's
 * allocatable set, lowest first), what every IPAddress carries (prefix and gateway), and why the
 * pool cannot serve, if it cannot (null when it can). A pool that cannot serve hands out nothing
 * new and keeps everything it holds.
 *
 * @param prefix written into every IPAddress: an IP pool's {@code spec.prefix}; a prefix pool's
 *     allocation length (its IPAddresses are the child prefixes, reference/incluster.md 1.4)
 * @param prefixPool whether the pool hands out child prefixes (counted in child prefixes) rather
 *     than single addresses
 * @param childPrefixLength a prefix pool's allocation length: each claim gets an aligned block of
 *     it; null for an IP pool (one address each), and for a prefix pool that cannot serve
 * @param childPrefixes how many child prefixes the spec can hand out (a prefix pool's counts are in
 *     child prefixes); null for an IP pool
 * @param reuseGrace how long a deleting claim keeps its address ({@code
 *     addressReuseGracePeriodSeconds}; zero for prefix pools, which have none upstream)
 * @param problem the user's text for what is wrong, naming field and value; null for a usable pool
 */
record InClusterPoolSpec(
    PoolSpec allocator,
    Integer prefix,
    Ip gateway,
    boolean prefixPool,
    Integer childPrefixLength,
    BigInteger childPrefixes,
    Duration reuseGrace,
    String problem) {

  boolean handsOutPrefixes() {
    return prefixPool;
  }

  /**
   * {@link #of(InClusterIPPoolSpec)}, unless the IP pool rules refuse the spec: then it serves
   * nothing new and its problem is the rules' errors (the webhook's words, naming field and value),
   * so that with webhooks off the pool says what the webhook would have said, and never hands out
   * an address the webhook would not have admitted (a pool with an unparsable gateway, an exclusion
   * of the other family). Held addresses stay held, as for a prefix pool.
   */
  static InClusterPoolSpec of(HasMetadata pool, InClusterIPPoolSpec spec) {
    InClusterPoolSpec translated = of(spec);
    List<String> errors = IPPoolSpecRules.check(pool, spec).errors();
    if (errors.isEmpty()) {
      return translated;
    }
    // The rules name the object first; the pool's condition names it already.
    String named = HasMetadata.getKind(pool.getClass()) + " ";
    List<String> told = new ArrayList<>();
    for (String error : errors) {
      int colon = error.indexOf(": ");
      told.add(error.startsWith(named) && colon > 0 ? error.substring(colon + 2) : error);
    }
    return unusable(
        translated.allocator().family(),
        translated.prefix(),
        translated.gateway(),
        translated.reuseGrace(),
        String.join("; ", told));
  }

  static InClusterPoolSpec of(InClusterIPPoolSpec spec) {
    IpSet allocatable = spec == null ? IpSet.EMPTY : IPPoolAddresses.allocatable(spec);
    Integer prefix = spec == null ? null : spec.getPrefix();
    Ip gateway = spec == null ? null : IPPoolAddresses.gateway(spec);
    Integer graceSeconds = spec == null ? null : spec.getAddressReuseGracePeriodSeconds();
    // A negative grace (refused by the webhook) counts as none, as upstream's "> 0" test.
    Duration grace =
        graceSeconds == null || graceSeconds <= 0
            ? Duration.ZERO
            : Duration.ofSeconds(graceSeconds);
    Set<IpFamily> families = allocatable.families();
    if (allocatable.isEmpty()) {
      return unusable(
          IpFamily.IPV4,
          prefix,
          gateway,
          grace,
          "spec.addresses "
              + (spec == null ? "[]" : spec.getAddresses())
              + " leaves no address to hand out (after excludedAddresses, the gateway and the"
              + " subnet's reserved addresses)");
    }
    IpFamily family = allocatable.lowest().orElseThrow().family();
    if (families.size() > 1) {
      return unusable(
          family,
          prefix,
          gateway,
          grace,
          "spec.addresses " + spec.getAddresses() + " mixes IPv4 and IPv6");
    }
    if (prefix == null || prefix < 0 || prefix > family.bits()) {
      // Written into every IPAddress, whose own webhook (and Cluster API's) would refuse it: each
      // claim would hold a ledger entry and never get its IPAddress.
      return unusable(
          family,
          prefix,
          gateway,
          grace,
          "spec.prefix "
              + prefix
              + " is not a prefix length of an "
              + family
              + " address (0 to "
              + family.bits()
              + ")");
    }
    List<Segment> segments = new ArrayList<>();
    for (IpRange range : allocatable.ranges()) {
      segments.add(new Segment(range, null, prefix, gateway, List.of()));
    }
    return new InClusterPoolSpec(
        PoolSpec.of(family, segments), prefix, gateway, false, null, null, grace, null);
  }

  /**
   * A prefix pool (IPv6 as upstream, and IPv4): the allocator's segments are the merged {@code
   * prefixes} less the {@code excludedPrefixes}, so that an aligned block inside a segment overlaps
   * no exclusion (upstream skips any candidate that overlaps one). A spec the pool rules refuse
   * serves nothing new: with webhooks off this is where their errors are told.
   */
  static InClusterPoolSpec ofPrefixPool(HasMetadata pool, InClusterPrefixPoolSpec spec) {
    List<String> errors = PrefixPoolSpecRules.check(pool, spec).errors();
    Integer length = spec == null ? null : spec.effectiveAllocationPrefixLength();
    Ip gateway = spec == null ? null : gatewayOf(spec);
    if (!errors.isEmpty()) {
      return unusablePrefixPool(IpFamily.IPV6, length, gateway, String.join("; ", errors));
    }
    IpSet allocatable = PrefixPoolPrefixes.prefixes(spec).minus(PrefixPoolPrefixes.excluded(spec));
    IpFamily family = PrefixPoolPrefixes.prefixes(spec).lowest().orElseThrow().family();
    List<Segment> segments = new ArrayList<>();
    BigInteger children = BigInteger.ZERO;
    for (IpRange range : allocatable.ranges()) {
      BigInteger inRange = alignedChildren(range, length);
      if (inRange.signum() > 0) {
        segments.add(new Segment(range, null, length, gateway, List.of()));
        children = children.add(inRange);
      }
    }
    if (segments.isEmpty()) {
      return unusablePrefixPool(
          family,
          length,
          gateway,
          "spec.prefixes "
              + spec.getPrefixes()
              + " leave no /"
              + length
              + " child prefix to hand out after spec.excludedPrefixes "
              + spec.getExcludedPrefixes());
    }
    return new InClusterPoolSpec(
        PoolSpec.of(family, segments),
        length,
        gateway,
        true,
        length,
        children,
        Duration.ZERO,
        null);
  }

  /** An IP pool that hands out nothing new; its deleting claims still wait out the grace. */
  private static InClusterPoolSpec unusable(
      IpFamily family, Integer prefix, Ip gateway, Duration grace, String problem) {
    return new InClusterPoolSpec(
        PoolSpec.of(family, List.of()), prefix, gateway, false, null, null, grace, problem);
  }

  private static InClusterPoolSpec unusablePrefixPool(
      IpFamily family, Integer length, Ip gateway, String problem) {
    return new InClusterPoolSpec(
        PoolSpec.of(family, List.of()), length, gateway, true, null, null, Duration.ZERO, problem);
  }

  private static Ip gatewayOf(InClusterPrefixPoolSpec spec) {
    return spec.getGateway() != null
            && AddressSyntax.parseAddress(spec.getGateway()) instanceof Parsed.Valid<Ip> valid
        ? valid.value()
        : null;
  }

  /** The aligned blocks of this prefix length that lie wholly inside the range. */
  static BigInteger alignedChildren(IpRange range, int prefixLength) {
    int hostBits = range.family().bits() - prefixLength;
    BigInteger firstAligned =
        range
            .first()
            .toBigInteger()
            .add(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE))
            .shiftRight(hostBits);
    BigInteger endAligned = range.last().toBigInteger().add(BigInteger.ONE).shiftRight(hostBits);
    return endAligned.subtract(firstAligned).max(BigInteger.ZERO);
  }

  /**
   * A prefix pool's counts, in child prefixes as upstream (reference/incluster.md 2.13): total the
   * children the spec can hand out, used everything held, out of range what held is no child of the
   * spec, free total - used + outOfRange (never below 0). The status and {@code plan} both use it.
   */
  PoolCounts childCounts(List<IpRange> held) {
    BigInteger total = childPrefixes == null ? BigInteger.ZERO : childPrefixes;
    long outside = held.stream().filter(range -> !holdsChild(range)).count();
    BigInteger used = BigInteger.valueOf(held.size());
    BigInteger outOfRange = BigInteger.valueOf(outside);
    return new PoolCounts(
        total, used, total.subtract(used).add(outOfRange).max(BigInteger.ZERO), outOfRange);
  }

  /**
   * Whether what an allocation or an IPAddress holds is a child prefix this spec hands out: of the
   * allocation length, aligned, inside the prefixes and overlapping no exclusion (upstream's test
   * for out-of-range prefixes). Only for a prefix pool.
   */
  boolean holdsChild(IpRange held) {
    if (childPrefixLength == null || held.family() != allocator.family()) {
      return false; // a pool that cannot serve has no child prefixes
    }
    int hostBits = held.family().bits() - childPrefixLength;
    BigInteger size = BigInteger.ONE.shiftLeft(hostBits);
    return held.size().equals(size)
        && held.first().toBigInteger().mod(size).signum() == 0
        && allocator.segments().stream().anyMatch(segment -> segment.range().contains(held));
  }
}
