package org.ipam.metal3.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ipam.core.net.Ip;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.adapter.Metal3PoolTranslation;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolSpec;

/**
 * IPPool: refuses the errors and warns of the surprises the controller records on the pool (one
 * translation, so the webhook and the controller never disagree); on update, also an immutable
 * namePrefix and allocationStrategy, and no address in use left outside the new entries.
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
    return review(pool, old).refusals();
  }

  @Override
  public Verdict review(IPPool pool, IPPool old) {
    if (specUntouched(pool, old)) {
      return new Verdict(List.of(), List.of());
    }
    Metal3PoolTranslation translation = Metal3PoolTranslation.of(pool);
    FieldProblems problems = new FieldProblems(pool);
    problems.addAll(translation.errors());
    if (pool.getSpec() != null && old != null && old.getSpec() != null) {
      checkUpdate(problems, pool.getSpec(), old, translation);
    }
    return new Verdict(problems.lines(), translation.warnings());
  }

  /**
   * Immutable namePrefix and allocationStrategy, and no address in use (the old status's indexes)
   * left outside the new entries' bounds, as upstream's update check (a claim's own pre-allocation
   * may also lie anywhere in a subnet, as on create). Above 10,000 allocations the status carries
   * no indexes, and the check has nothing to go on (docs/compat/metal3.md).
   */
  private static void checkUpdate(
      FieldProblems problems, IPPoolSpec spec, IPPool old, Metal3PoolTranslation translation) {
    IPPoolSpec before = old.getSpec();
    if (!Objects.equals(spec.getNamePrefix(), before.getNamePrefix())) {
      problems.add("spec.namePrefix", spec.getNamePrefix(), "cannot be modified");
    }
    if (!strategy(spec).equals(strategy(before))) {
      problems.add("spec.allocationStrategy", spec.getAllocationStrategy(), "cannot be modified");
    }
    Map<String, String> inUse = old.getStatus() == null ? null : old.getStatus().getIndexes();
    if (inUse == null) {
      return;
    }
    // Compared by value: "2001:DB8::1" is the same address as "2001:db8::1".
    for (Map.Entry<String, String> entry : new TreeMap<>(inUse).entrySet()) {
      Ip ip = FieldProblems.addressOrNull(entry.getValue());
      if (ip != null && !translation.keepsInUse(entry.getKey(), ip)) {
        problems.add(
            "spec.pools",
            entry.getValue(),
            "leaves out an address in use by claim \"" + entry.getKey() + "\"");
      }
    }
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
