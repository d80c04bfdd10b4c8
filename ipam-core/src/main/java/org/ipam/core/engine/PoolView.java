package org.ipam.core.engine;

import java.util.List;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.PoolCounts;

/**
 * The engine's view of one pool, taken after a pass for its status. The engine takes one only when
 * something changed, at most once per {@link AllocationEngine#STATUS_INTERVAL} per pool, so that a
 * burst of claims costs one status write, not one per claim.
 *
 * @param changeCount moves whenever an allocation, an object or a claim comes or goes
 * @param allocations every allocation in address order, with the claim name it serves (for an
 *     object whose claim is gone or unknown, the name the object gives; null for an address a
 *     competing writer holds whose object the cache does not show yet)
 * @param problems what the pool should tell its user about objects that hold addresses without
 *     serving a claim (a second object of one claim, an object of a claim that is gone, one made by
 *     hand for a claim that does not exist, one of another family), sorted, each naming the object
 * @param objects every address object the pool's state knows, in no particular order (a dialect
 *     checks their names, for example against a changed name prefix)
 */
public record PoolView(
    long changeCount,
    PoolCounts counts,
    List<NamedAllocation> allocations,
    List<String> problems,
    List<ObjectKey> objects) {

  public record NamedAllocation(String claimName, Allocation allocation) {}
}
