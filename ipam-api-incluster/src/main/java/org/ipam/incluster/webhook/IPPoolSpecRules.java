package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.pool.AddressSyntax;
import org.ipam.incluster.pool.IPPoolAddresses;

/**
 * The rules of an IP pool's spec (InClusterIPPool and GlobalInClusterIPPool v1alpha2), upstream's
 * V1-V12 (reference/incluster.md 3.1): addresses required and each a valid IP, range or CIDR, of
 * one family (an IPv4-mapped IPv6 address is IPv6); a prefix from 0 to the family's length; a
 * gateway of that family; excluded entries valid and of that family; a grace period not negative;
 * every address inside the subnet of the lowest address with the prefix. Every problem is reported
 * at once (upstream checks the prefix and the subnet only once the rest is clean). A pool that
 * hands out no address at all is admitted with a warning.
 */
public final class IPPoolSpecRules {
  private IPPoolSpecRules() {}

  public static SpecFindings check(HasMetadata pool, InClusterIPPoolSpec spec) {
    FieldProblems errors = new FieldProblems(pool);
    FieldProblems warnings = new FieldProblems(pool);
    if (spec == null) {
      errors.add("spec", "is required");
      return new SpecFindings(errors.lines(), List.of());
    }
    List<String> addresses = spec.getAddresses();
    if (addresses == null || addresses.isEmpty()) {
      errors.add("spec.addresses", "is required: name at least one IP, a-b range or CIDR");
    }
    Integer prefix = spec.getPrefix();
    if (prefix == null) {
      errors.add("spec.prefix", "is required");
    } else if (prefix < 0) {
      errors.add("spec.prefix", prefix, "must not be negative");
    }
    EntryChecks.Checked<IpRange> entries =
        EntryChecks.check(
            errors, "spec.addresses", addresses, AddressSyntax::parseEntry, r -> r, null, null);
    IpFamily family = entries.family();
    checkGateway(errors, spec.getGateway(), family);
    EntryChecks.check(
        errors,
        "spec.excludedAddresses",
        spec.getExcludedAddresses(),
        AddressSyntax::parseEntry,
        r -> r,
        family,
        family == null ? null : "the addresses");
    Integer grace = spec.getAddressReuseGracePeriodSeconds();
    if (grace != null && grace < 0) {
      errors.add("spec.addressReuseGracePeriodSeconds", grace, "must not be negative");
    }
    if (family != null && prefix != null && prefix >= 0) {
      if (prefix > family.bits()) {
        errors.add(
            "spec.prefix",
            prefix,
            "is longer than " + family.bits() + ", the length of an " + family + " address");
      } else if (entries.allValid()) {
        checkOneSubnet(errors, entries, prefix);
      }
    }
    if (errors.isEmpty() && IPPoolAddresses.allocatable(spec).isEmpty()) {
      warnings.add("spec", "hands out no address: " + whyEmpty(spec, family));
    }
    return new SpecFindings(errors.lines(), warnings.lines());
  }

  private static void checkGateway(FieldProblems errors, String gateway, IpFamily family) {
    if (gateway == null || gateway.isEmpty()) {
      return;
    }
    Parsed<Ip> parsed = AddressSyntax.parseAddress(gateway);
    if (parsed instanceof Parsed.Invalid<Ip> invalid) {
      errors.add("spec.gateway", gateway, invalid.reason());
    } else if (family != null && parsed.orElseThrow().family() != family) {
      errors.add(
          "spec.gateway",
          gateway,
          "is " + parsed.orElseThrow().family() + " but the addresses are " + family);
    }
  }

  /** V12: every entry inside {@code <lowest address>/<prefix>}. */
  private static void checkOneSubnet(
      FieldProblems errors, EntryChecks.Checked<IpRange> entries, int prefix) {
    Ip lowest = null;
    for (EntryChecks.Entry<IpRange> entry : entries.entries()) {
      if (lowest == null || entry.range().first().compareTo(lowest) < 0) {
        lowest = entry.range().first();
      }
    }
    if (lowest == null) {
      return;
    }
    Cidr subnet = new Cidr(lowest, prefix).masked();
    for (EntryChecks.Entry<IpRange> entry : entries.entries()) {
      if (!subnet.range().contains(entry.range())) {
        errors.add(
            "spec.addresses[" + entry.index() + "]",
            entry.text(),
            "is outside "
                + subnet
                + ", the subnet of the lowest address "
                + lowest
                + " with spec.prefix "
                + prefix
                + ": all addresses must belong to one subnet");
      }
    }
  }

  private static String whyEmpty(InClusterIPPoolSpec spec, IpFamily family) {
    boolean reserved = Boolean.TRUE.equals(spec.getAllocateReservedIPAddresses());
    if (!reserved
        && family == IpFamily.IPV4
        && spec.getPrefix() != null
        && spec.getPrefix() >= 31) {
      return "the network and broadcast addresses of an IPv4 /"
          + spec.getPrefix()
          + " subnet are reserved unless spec.allocateReservedIPAddresses is true";
    }
    return "every address is excluded, reserved (the subnet's network or broadcast address) or"
        + " the gateway";
  }
}
