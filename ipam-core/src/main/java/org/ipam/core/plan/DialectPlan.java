package org.ipam.core.plan;

import java.util.List;

/** A dialect's answer to plan: each valid pool with its claims, and what is wrong. */
public record DialectPlan(List<PoolPlan> pools, List<Finding> findings) {
  public DialectPlan {
    pools = List.copyOf(pools);
    findings = List.copyOf(findings);
  }
}
