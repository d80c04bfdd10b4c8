package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.ipam.incluster.pool.AddressSyntax;
import org.ipam.incluster.pool.IpSet;
import org.ipam.incluster.pool.PrefixPoolPrefixes;

/**
 * The validating webhook of InClusterPrefixPool and GlobalInClusterPrefixPool
 * (reference/incluster.md 3.2): the spec rules of {@link PrefixPoolSpecRules}; on UPDATE, an
 * immutable effective {@code allocationPrefixLength} (0 and unset mean 64) and no child prefix in
 * use made unallocatable; on DELETE, the protection of {@link PoolValidator}.
 */
public final class PrefixPoolValidator<
        T extends CustomResource<InClusterPrefixPoolSpec, PoolStatus>>
    extends PoolValidator<T, InClusterPrefixPoolSpec> {

  private PrefixPoolValidator(Class<T> type, InUseAddresses inUse) {
    super(type, inUse);
  }

  public static PrefixPoolValidator<InClusterPrefixPool> namespaced(InUseAddresses inUse) {
    return new PrefixPoolValidator<>(InClusterPrefixPool.class, inUse);
  }

  public static PrefixPoolValidator<GlobalInClusterPrefixPool> global(InUseAddresses inUse) {
    return new PrefixPoolValidator<>(GlobalInClusterPrefixPool.class, inUse);
  }

  @Override
  SpecFindings checkSpec(T pool) {
    return PrefixPoolSpecRules.check(pool, pool.getSpec());
  }

  @Override
  void checkUpdate(T pool, T old, FieldProblems problems) {
    if (old.getSpec() == null) {
      return;
    }
    InClusterPrefixPoolSpec spec = pool.getSpec();
    InClusterPrefixPoolSpec before = old.getSpec();
    int length = spec.effectiveAllocationPrefixLength();
    if (length != before.effectiveAllocationPrefixLength()) {
      problems.add(
          "spec.allocationPrefixLength",
          length,
          "cannot be modified (it was "
              + before.effectiveAllocationPrefixLength()
              + "): spec.allocationPrefixLength is immutable");
      return;
    }
    IpSet prefixes = PrefixPoolPrefixes.prefixes(spec);
    IpSet excluded = PrefixPoolPrefixes.excluded(spec);
    IpSet prefixesBefore = PrefixPoolPrefixes.prefixes(before);
    IpSet excludedBefore = PrefixPoolPrefixes.excluded(before);
    if (prefixes.containsAll(prefixesBefore) && excludedBefore.containsAll(excluded)) {
      return;
    }
    Optional<List<InUseAddresses.AddressInUse>> addresses = inUse(old);
    if (addresses.isEmpty()) {
      problems.add(
          "spec",
          "takes prefixes out of the pool while the prefixes in use are not known (the"
              + " IPAddresses of the pool could not be read); try again in a moment");
      return;
    }
    List<String> outside = new ArrayList<>();
    Map<Integer, List<String>> byExcludedEntry = new TreeMap<>();
    List<String> excludedTexts =
        spec.getExcludedPrefixes() == null ? List.of() : spec.getExcludedPrefixes();
    for (InUseAddresses.AddressInUse address : addresses.get()) {
      Cidr child = childPrefix(address);
      if (child == null
          || !allocatable(prefixesBefore, excludedBefore, length, child)
          || allocatable(prefixes, excluded, length, child)) {
        continue;
      }
      String described =
          child + " (" + address.source() + " " + address.namespace() + "/" + address.name() + ")";
      if (!prefixes.contains(child.range())) {
        outside.add(described);
        continue;
      }
      for (int i = 0; i < excludedTexts.size(); i++) {
        if (AddressSyntax.parseEntry(excludedTexts.get(i)) instanceof Parsed.Valid<IpRange> range
            && range.value().overlaps(child.range())) {
          byExcludedEntry.computeIfAbsent(i, k -> new ArrayList<>()).add(described);
          break;
        }
      }
    }
    if (!outside.isEmpty()) {
      problems.add(
          "spec.prefixes",
          "leave out prefixes in use: "
              + EntryChecks.some(outside)
              + " (existing allocations become non-allocatable)");
    }
    byExcludedEntry.forEach(
        (index, inUse) ->
            problems.add(
                "spec.excludedPrefixes[" + index + "]",
                excludedTexts.get(index),
                "overlaps prefixes in use: " + EntryChecks.some(inUse)));
  }

  private static boolean allocatable(IpSet prefixes, IpSet excluded, int length, Cidr child) {
    return child.prefixLength() == length
        && prefixes.contains(child.range())
        && !excluded.overlaps(child.range());
  }

  /** {@code address/prefix} of the IPAddress, masked; null when it does not parse. */
  private static Cidr childPrefix(InUseAddresses.AddressInUse address) {
    if (address.prefix() == null || address.address() == null) {
      return null;
    }
    Parsed<Cidr> parsed = IpParser.parseCidr(address.address() + "/" + address.prefix());
    return parsed instanceof Parsed.Valid<Cidr> valid ? valid.value().masked() : null;
  }
}
