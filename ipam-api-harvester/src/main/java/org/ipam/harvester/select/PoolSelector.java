package org.ipam.harvester.select;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.ipam.harvester.model.LoadBalancer;

/**
 * Which pool serves a claim (reference section 2), as a pure function of what the claim asks
 * ({@link ClaimAsk}) and the pools:
 *
 * <ol>
 *   <li>{@code spec.ipam: dhcp}: none.
 *   <li>{@code spec.ipPool} names the pool: that one, whatever its network and scope.
 *   <li>The pool of the address it holds ({@code status.allocatedAddress.ipPool}), while that pool
 *       still admits it (matches, or is a global pool it may fall back to): a LoadBalancer keeps
 *       its address when a pool of higher priority appears.
 *   <li>The pools whose selector matches strictly, then loosely (empty project and guest cluster
 *       count as wildcards), the global pools left out: the highest priority wins, a tie goes to
 *       the first name.
 *   <li>The global pool: one of the LoadBalancer's network, else one with no network (which serves
 *       every network, as upstream's only global pool does); of several, the highest priority, then
 *       the first name.
 * </ol>
 *
 * Pools being deleted are chosen for nobody new (3 keeps them while they hold the address). Pools
 * refused (webhooks off: a spec that cannot be served, a conflict with an older pool) are passed
 * over by 4 and 5 while a pool that serves would take the claim: a refused pool of higher priority
 * must not capture the claims of a namespace. Where only refused pools would, one of them is chosen
 * all the same, so that the claim is told what is wrong with it (docs/compat/harvester.md).
 */
public final class PoolSelector {
  private static final Comparator<PoolCandidate> PREFERRED =
      Comparator.comparingLong(PoolCandidate::priority)
          .reversed()
          .thenComparing(PoolCandidate::name);

  private PoolSelector() {}

  /**
   * @param pools every pool of both groups, by name
   */
  public static Selection select(LoadBalancer lb, Map<String, PoolCandidate> pools) {
    return select(ClaimAsk.of(lb), "spec.ipPool", pools);
  }

  /**
   * @param namingField where the claim names its pool, for the message when that pool is missing
   * @param pools every pool of both groups, by name
   */
  public static Selection select(
      ClaimAsk ask, String namingField, Map<String, PoolCandidate> pools) {
    if (!ask.wantsPool()) {
      return new Selection.NotPooled();
    }
    String named = ask.namedPool();
    if (!named.isEmpty()) {
      return pools.containsKey(named)
          ? new Selection.Chosen(named, Selection.Why.NAMED)
          : new Selection.NoPool("IPPool " + named + " (" + namingField + ") does not exist");
    }
    Requirement r = ask.requirement();
    PoolCandidate held = pools.get(ask.heldPool());
    if (held != null && admits(held, r)) {
      return new Selection.Chosen(held.name(), Selection.Why.STICKY);
    }
    return select(r, pools.values());
  }

  /** Automatic selection for a requirement (steps 4 and 5). */
  public static Selection select(Requirement r, Collection<PoolCandidate> pools) {
    List<PoolCandidate> serving = pools.stream().filter(p -> !p.refused()).toList();
    Selection selection = automatic(r, serving);
    return selection instanceof Selection.NoPool && serving.size() < pools.size()
        ? automatic(r, pools)
        : selection;
  }

  private static Selection automatic(Requirement r, Collection<PoolCandidate> pools) {
    Optional<PoolCandidate> strict = best(pools, p -> !p.isGlobal() && ScopeMatch.strictly(p, r));
    if (strict.isPresent()) {
      return new Selection.Chosen(strict.get().name(), Selection.Why.MATCHED);
    }
    Optional<PoolCandidate> loose = best(pools, p -> !p.isGlobal() && ScopeMatch.loosely(p, r));
    if (loose.isPresent()) {
      return new Selection.Chosen(loose.get().name(), Selection.Why.MATCHED_LOOSELY);
    }
    Optional<PoolCandidate> global =
        best(pools, p -> p.isGlobal() && p.network().equals(r.network()))
            .or(() -> best(pools, p -> p.isGlobal() && p.network().isEmpty()));
    if (global.isPresent()) {
      return new Selection.Chosen(global.get().name(), Selection.Why.GLOBAL);
    }
    return new Selection.NoPool("no matched IPPool with requirement " + r);
  }

  /**
   * Whether a pool would serve the requirement, leaving priorities aside. A pool whose scope does
   * not parse keeps the claims it holds: a typo must not send them to another pool (a new address)
   * and release theirs.
   */
  static boolean admits(PoolCandidate pool, Requirement r) {
    if (pool.scopeUnreadable()) {
      return true;
    }
    if (pool.isGlobal()) {
      return pool.network().isEmpty() || pool.network().equals(r.network());
    }
    return ScopeMatch.loosely(pool, r);
  }

  private static Optional<PoolCandidate> best(
      Collection<PoolCandidate> pools, Predicate<PoolCandidate> eligible) {
    return pools.stream().filter(p -> !p.deleting()).filter(eligible).min(PREFERRED);
  }
}
