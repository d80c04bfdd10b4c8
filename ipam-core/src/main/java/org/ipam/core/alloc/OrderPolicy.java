package org.ipam.core.alloc;

/** Which free address a pool hands out next. Segments are always visited in declaration order. */
public enum OrderPolicy {
  /** The lowest free address of the first segment that has one (Metal3 sequential, in-cluster). */
  LOWEST_FIRST,
  /**
   * The first free address after the last one handed out, wrapping to the first segment
   * (Harvester's round robin). A freed address is reused only when the cursor comes round again.
   */
  NEXT_AFTER_LAST,
  /**
   * A free address of the first segment that has one, drawn uniformly among that segment's free
   * addresses (Metal3 random: it spreads allocations and makes the reuse of a freed address
   * unlikely). The draws come from a generator seeded by {@link PoolSpec#randomSeed()}.
   */
  RANDOM
}
