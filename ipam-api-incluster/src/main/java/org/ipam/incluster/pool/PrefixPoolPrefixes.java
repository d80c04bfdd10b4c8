package org.ipam.incluster.pool;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;

/**
 * What a prefix pool's spec hands out (reference/incluster.md 2.13): child prefixes of the
 * effective {@code allocationPrefixLength} that lie inside the merged {@code prefixes} and overlap
 * no {@code excludedPrefixes} entry. The gateway blocks nothing. Pure functions; invalid entries
 * are left out.
 */
public final class PrefixPoolPrefixes {
  private PrefixPoolPrefixes() {}

  /** The valid, network-aligned {@code prefixes}, merged. */
  public static IpSet prefixes(InClusterPrefixPoolSpec spec) {
    List<IpRange> ranges = new ArrayList<>();
    if (spec.getPrefixes() != null) {
      for (String entry : spec.getPrefixes()) {
        if (AddressSyntax.parseCidr(entry) instanceof Parsed.Valid<Cidr> valid
            && !valid.value().hasHostBits()) {
          ranges.add(valid.value().range());
        }
      }
    }
    return IpSet.of(ranges);
  }

  /** The valid {@code excludedPrefixes} entries (IPs, ranges, CIDRs), merged. */
  public static IpSet excluded(InClusterPrefixPoolSpec spec) {
    return AddressSyntax.toSet(spec.getExcludedPrefixes());
  }

  /**
   * Whether a child prefix (an IPAddress's {@code address/prefix}, host bits masked) may be handed
   * out by the spec: of the allocation length, inside the prefixes, overlapping no exclusion.
   */
  public static boolean allocatable(InClusterPrefixPoolSpec spec, Cidr child) {
    Cidr masked = child.masked();
    return masked.prefixLength() == spec.effectiveAllocationPrefixLength()
        && prefixes(spec).contains(masked.range())
        && !excluded(spec).overlaps(masked.range());
  }
}
