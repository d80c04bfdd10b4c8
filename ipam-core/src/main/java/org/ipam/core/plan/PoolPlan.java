package org.ipam.core.plan;

import java.math.BigInteger;
import java.util.List;
import org.ipam.core.alloc.PoolCounts;

/**
 * One pool after plan: how full it would be, and what each of its claims would get.
 *
 * @param pool {@code <Kind> <namespace>/<name>}
 * @param source where it was read
 * @param counts the allocator's counts once every claim is served
 * @param claims its claims in the order they would be served
 */
public record PoolPlan(String pool, String source, PoolCounts counts, List<ClaimPlan> claims) {
  public PoolPlan {
    claims = List.copyOf(claims);
  }

  /** Used addresses in percent of the total, rounded down; 0 for a pool with no address. */
  public int percentUsed() {
    return counts.total().signum() == 0
        ? 0
        : counts.used().multiply(BigInteger.valueOf(100)).divide(counts.total()).intValue();
  }
}
