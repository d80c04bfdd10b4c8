package org.ipam.harvester.select;

import java.util.List;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.ScopeTuple;
import org.ipam.harvester.model.Selector;

/**
 * A pool as selection sees it: its name, network, priority and scope tuples. A pool whose scope
 * does not parse has no tuples and so matches nothing new; the claims it holds stay with it.
 *
 * @param deleting a pool being deleted keeps what it holds but is chosen for nobody new
 * @param scopeUnreadable its {@code spec.selector.scope} does not parse (webhooks off)
 * @param refused it hands out nothing new (webhooks off: its spec cannot be served, or it conflicts
 *     with an older pool): it keeps what it holds, and is chosen for a new claim only when no pool
 *     that serves would take it (so the claim is told why)
 */
public record PoolCandidate(
    String name,
    String network,
    long priority,
    List<ScopeTuple> scope,
    boolean deleting,
    boolean scopeUnreadable,
    boolean refused) {
  public PoolCandidate {
    network = network == null ? "" : network;
    scope = List.copyOf(scope);
  }

  public PoolCandidate(
      String name, String network, long priority, List<ScopeTuple> scope, boolean deleting) {
    this(name, network, priority, scope, deleting, false, false);
  }

  /** The same pool, judged to hand out nothing new or not. */
  public PoolCandidate refused(boolean refused) {
    return new PoolCandidate(name, network, priority, scope, deleting, scopeUnreadable, refused);
  }

  public static PoolCandidate of(HarvesterIPPool pool) {
    Selector selector = pool.getSpec() == null ? null : pool.getSpec().getSelector();
    return new PoolCandidate(
        pool.getMetadata().getName(),
        selector == null ? "" : selector.getNetwork(),
        selector == null || selector.getPriority() == null ? 0 : selector.getPriority(),
        selector == null || selector.getScope() == null ? List.of() : selector.getScope().tuples(),
        pool.getMetadata().getDeletionTimestamp() != null,
        selector != null
            && selector.getScope() != null
            && selector.getScope().problem().isPresent(),
        false);
  }

  /**
   * A global pool, as the Harvester documentation defines it: its scope matches every project,
   * namespace and guest cluster (an entry of three {@code *}). Decided from the spec, not from the
   * {@code global-ip-pool} label upstream's selector reads (compat: a pool the mutating webhook
   * missed is still global).
   */
  public boolean isGlobal() {
    return scope.stream().anyMatch(ScopeTuple::isEverything);
  }
}
