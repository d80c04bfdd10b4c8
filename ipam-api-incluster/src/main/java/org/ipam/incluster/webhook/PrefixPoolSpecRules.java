package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.ipam.incluster.pool.AddressSyntax;
import org.ipam.incluster.pool.PrefixPoolPrefixes;

/**
 * The rules of a prefix pool's spec (InClusterPrefixPool and GlobalInClusterPrefixPool v1alpha2),
 * upstream's P1-P8 (reference/incluster.md 3.2) for IPv6 and, unlike upstream, IPv4 too: prefixes
 * required, each a network-aligned CIDR no longer than the allocation length, all of one family; an
 * allocation length from 1 to the family's length (the default 64 does not fit IPv4: an IPv4 pool
 * sets it); a gateway and excluded entries of that family. Warnings as upstream's when a child
 * prefix is a single address.
 */
public final class PrefixPoolSpecRules {
  private PrefixPoolSpecRules() {}

  public static SpecFindings check(HasMetadata pool, InClusterPrefixPoolSpec spec) {
    FieldProblems errors = new FieldProblems(pool);
    List<String> warnings = new ArrayList<>();
    if (spec == null) {
      errors.add("spec", "is required");
      return new SpecFindings(errors.lines(), warnings);
    }
    if (spec.getPrefixes() == null || spec.getPrefixes().isEmpty()) {
      errors.add("spec.prefixes", "is required: name at least one CIDR");
    }
    int length = spec.effectiveAllocationPrefixLength();
    boolean lengthInRange = length >= 1 && length <= 128;
    if (!lengthInRange) {
      errors.add(
          "spec.allocationPrefixLength", length, "must be between 1 and 128 (0 or unset means 64)");
    }
    EntryChecks.Checked<Cidr> prefixes =
        EntryChecks.check(
            errors,
            "spec.prefixes",
            spec.getPrefixes(),
            AddressSyntax::parseCidr,
            Cidr::range,
            null,
            null);
    IpFamily family = prefixes.family();
    if (family != null && lengthInRange && length > family.bits()) {
      errors.add(
          "spec.allocationPrefixLength",
          length,
          "is longer than "
              + family.bits()
              + ", the length of an "
              + family
              + " address"
              + (spec.getAllocationPrefixLength() == null
                      || spec.getAllocationPrefixLength()
                          == InClusterApi.DEFAULT_ALLOCATION_PREFIX_LENGTH
                  ? " (64 is the default, for IPv6: an IPv4 pool sets its own)"
                  : ""));
    }
    for (EntryChecks.Entry<Cidr> entry : prefixes.entries()) {
      String field = "spec.prefixes[" + entry.index() + "]";
      if (entry.value().hasHostBits()) {
        errors.add(
            field,
            entry.text(),
            "is not network-aligned: its network is " + entry.value().masked());
      }
      if (lengthInRange && entry.value().prefixLength() > length) {
        errors.add(
            field,
            entry.text(),
            "is longer than spec.allocationPrefixLength "
                + length
                + ": a CIDR must hold at least one child prefix");
      }
    }
    String gateway = spec.getGateway();
    Ip gatewayIp = null;
    if (gateway != null && !gateway.isEmpty()) {
      Parsed<Ip> parsed = AddressSyntax.parseAddress(gateway);
      if (parsed instanceof Parsed.Invalid<Ip> invalid) {
        errors.add("spec.gateway", gateway, invalid.reason());
      } else if (family != null && parsed.orElseThrow().family() != family) {
        errors.add(
            "spec.gateway",
            gateway,
            "is " + parsed.orElseThrow().family() + " but the prefixes are " + family);
      } else {
        gatewayIp = parsed.orElseThrow();
      }
    }
    EntryChecks.check(
        errors,
        "spec.excludedPrefixes",
        spec.getExcludedPrefixes(),
        AddressSyntax::parseEntry,
        r -> r,
        family,
        family == null ? null : "the prefixes");
    if (errors.isEmpty() && family != null && length == family.bits()) {
      warnings.add(
          FieldProblems.describe(pool)
              + ": spec.allocationPrefixLength="
              + length
              + " behaves like host-address allocation; consider "
              + (pool.getKind() != null && pool.getKind().startsWith("Global") ? "Global" : "")
              + "InClusterIPPool for single-address semantics");
      if (gatewayIp != null && PrefixPoolPrefixes.prefixes(spec).contains(gatewayIp)) {
        warnings.add(
            FieldProblems.describe(pool)
                + ": spec.gateway \""
                + gateway
                + "\" is within spec.prefixes and is not reserved; with /"
                + length
                + " allocationPrefixLength it may also be allocated to claims");
      }
    }
    return new SpecFindings(errors.lines(), warnings);
  }
}
