package org.ipam.core.plan;

import java.util.List;

/**
 * Everything plan found, for the printer and the exit status.
 *
 * @param objectsRead how many objects the files held
 * @param skipped objects no enabled dialect reads, one line each naming them
 * @param pools every valid pool of every dialect, with its claims
 * @param findings errors and warnings, in the files' order per dialect
 */
public record PlanReport(
    int objectsRead, List<String> skipped, List<PoolPlan> pools, List<Finding> findings) {
  public PlanReport {
    skipped = List.copyOf(skipped);
    pools = List.copyOf(pools);
    findings = List.copyOf(findings);
  }

  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> !f.isError()).toList();
  }

  public List<ClaimPlan> unserved() {
    return pools.stream().flatMap(p -> p.claims().stream()).filter(c -> !c.served()).toList();
  }

  /** Whether every object is valid and every claim would be served: exit status 0. */
  public boolean ok() {
    return errors().isEmpty() && unserved().isEmpty();
  }
}
