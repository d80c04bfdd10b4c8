package org.ipam.harvester.select;

import org.ipam.harvester.model.LoadBalancer;

/**
 * What selection needs of a claim, whatever its kind (a Harvester LoadBalancer or a core Service of
 * our class): whether it wants a pool at all, the pool it names, the pool that holds its address,
 * and the requirement its annotations make.
 *
 * @param wantsPool false for a LoadBalancer with {@code spec.ipam: dhcp}
 * @param namedPool the pool it names; empty for automatic selection
 * @param heldPool the pool its address comes from; empty while it holds none
 */
public record ClaimAsk(
    boolean wantsPool, String namedPool, String heldPool, Requirement requirement) {
  public ClaimAsk {
    namedPool = namedPool == null ? "" : namedPool;
    heldPool = heldPool == null ? "" : heldPool;
  }

  public static ClaimAsk of(LoadBalancer lb) {
    return new ClaimAsk(lb.wantsPool(), lb.namedPool(), lb.allocatedPool(), Requirement.of(lb));
  }

  /**
   * The same ask, held by this pool when it names none itself (the ledger knows, the status not).
   */
  public ClaimAsk heldIn(String pool) {
    return heldPool.isEmpty() && pool != null
        ? new ClaimAsk(wantsPool, namedPool, pool, requirement)
        : this;
  }
}
