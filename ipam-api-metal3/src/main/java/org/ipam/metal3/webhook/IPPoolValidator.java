package org.ipam.metal3.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.metal3.adapter.FieldProblems;
import org.ipam.metal3.adapter.Metal3PoolTranslation;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolSpec;

/**
 * IPPool: every spec problem the controller would record on the pool (the same translation, so the
 * webhook and the controller never disagree), pre-allocations inside some entry, prefixes that fit
 * the family; on update, an immutable namePrefix and allocationStrategy, and no address in use left
 * outside the new entries.
 */
public final class IPPoolValidator implements AdmissionValidator<IPPool> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Class<IPPool> type() {
    return IPPool.class;
  }

  @Override
  public Target target() {
    return new Target("ipam.metal3.io", "v1alpha1", "ippools", "IPPool");
  }

  @Override
  public List<String> validate(IPPool pool, IPPool old) {
    if (specUntouched(pool, old)) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(pool);
    Metal3PoolTranslation translation = Metal3PoolTranslation.of(pool);
    problems.addAll(translation.errors());
    IPPoolSpec spec = pool.getSpec();
    if (spec == null) {
      return problems.lines();
    }
    List<Segment> segments = translation.usable() ? translation.spec().segments() : List.of();
    if (translation.usable()) {
      checkPrefixes(problems, spec, translation.spec().family());
      checkPreAllocationsInBounds(problems, spec, segments);
    }
    if (old != null && old.getSpec() != null) {
      checkUpdate(problems, spec, old, segments, translation.usable());
    }
    return problems.lines();
  }

  private static void checkPrefixes(FieldProblems problems, IPPoolSpec spec, IpFamily family) {
    int max = family == IpFamily.IPV4 ? 32 : 128;
    if (spec.getPrefix() != null && spec.getPrefix() > max) {
      problems.add("spec.prefix", spec.getPrefix(), "is longer than " + max + " for " + family);
    }
    for (int i = 0; i < spec.getPools().size(); i++) {
      Integer prefix = spec.getPools().get(i).getPrefix();
      if (prefix != null && prefix > max) {
        problems.add(
            "spec.pools[" + i + "].prefix", prefix, "is longer than " + max + " for " + family);
      }
    }
  }

  /** A pre-allocation anywhere inside an entry's range or its subnet (the seed's .8 and .9). */
  private static void checkPreAllocationsInBounds(
      FieldProblems problems, IPPoolSpec spec, List<Segment> segments) {
    outsideEveryEntry(
        spec.getPreAllocations(),
        segments,
        (claim, text) ->
            problems.add(
                "spec.preAllocations." + claim, text, "is out of bounds of the pools given"));
  }

  /**
   * Each (claim, address text) whose address lies in no entry's range or subnet, in claim order.
   * Addresses are compared by value: "2001:DB8::1" is the same address as "2001:db8::1".
   */
  private static void outsideEveryEntry(
      Map<String, String> addresses, List<Segment> segments, BiConsumer<String, String> outside) {
    if (addresses == null) {
      return;
    }
    for (Map.Entry<String, String> entry : new TreeMap<>(addresses).entrySet()) {
      Ip ip = FieldProblems.addressOrNull(entry.getValue());
      if (ip != null && segments.stream().noneMatch(segment -> segment.accepts(ip))) {
        outside.accept(entry.getKey(), entry.getValue());
      }
    }
  }

  private static void checkUpdate(
      FieldProblems problems, IPPoolSpec spec, IPPool old, List<Segment> segments, boolean usable) {
    IPPoolSpec before = old.getSpec();
    if (!Objects.equals(spec.getNamePrefix(), before.getNamePrefix())) {
      problems.add("spec.namePrefix", spec.getNamePrefix(), "cannot be modified");
    }
    if (!strategy(spec).equals(strategy(before))) {
      problems.add("spec.allocationStrategy", spec.getAllocationStrategy(), "cannot be modified");
    }
    if (!usable || old.getStatus() == null) {
      return;
    }
    outsideEveryEntry(
        old.getStatus().getIndexes(),
        segments,
        (claim, text) ->
            problems.add(
                "spec.pools", text, "leaves out an address in use by claim \"" + claim + "\""));
  }

  /**
   * Whether an update may pass without its spec being checked again: the spec did not change, or
   * the pool is being deleted. Upstream re-validates every update, so a pool stored before newer
   * rules could never have its finalizer removed; only spec changes are judged here.
   */
  private static boolean specUntouched(IPPool pool, IPPool old) {
    return old != null
        && (pool.getMetadata().getDeletionTimestamp() != null
            || JSON.valueToTree(pool.getSpec()).equals(JSON.valueToTree(old.getSpec())));
  }

  private static String strategy(IPPoolSpec spec) {
    String strategy = spec.getAllocationStrategy();
    return strategy == null || strategy.isEmpty() ? "sequential" : strategy;
  }
}
