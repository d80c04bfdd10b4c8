package org.ipam.core.plan;

import java.math.BigInteger;
import java.util.List;
import org.ipam.core.alloc.PoolCounts;

/**
 * One pool after plan: how full it would be, and what each of its claims would get.
 *
 * @param pool {@code <Kind> <namespace>/<name>} ({@code <Kind> <name>} for a cluster-scoped pool)
 * @param source where it was read
 * @param counts once every claim is served: the allocator's counts, or the dialect's own where it
 *     counts in other units (a prefix pool counts child prefixes, as its status does)
 * @param unit what the counts count
 * @param claims its claims in the order they would be served
 */
public record PoolPlan(
    String pool, String source, PoolCounts counts, Unit unit, List<ClaimPlan> claims) {
  public PoolPlan {
    claims = List.copyOf(claims);
  }

  /** A pool that counts addresses. */
  public PoolPlan(String pool, String source, PoolCounts counts, List<ClaimPlan> claims) {
    this(pool, source, counts, Unit.ADDRESSES, claims);
  }

  /** What a pool's counts count, in the words of one and of several. */
  public record Unit(String one, String several) {
    public static final Unit ADDRESSES = new Unit("address", "addresses");

    /** Child prefixes of this length, as a prefix pool hands them out. */
    public static Unit prefixes(int length) {
      return new Unit("/" + length + " prefix", "/" + length + " prefixes");
    }

    /** {@code 1 address}, {@code 12 addresses}. */
    public String of(BigInteger count) {
      return count + " " + (count.equals(BigInteger.ONE) ? one : several);
    }
  }

  /** Used in percent of the total, rounded down; 0 for a pool with nothing to hand out. */
  public int percentUsed() {
    return counts.total().signum() == 0
        ? 0
        : counts.used().multiply(BigInteger.valueOf(100)).divide(counts.total()).intValue();
  }
}
