package org.ipam.harvester.adapter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.select.ClaimAsk;
import org.ipam.harvester.select.PoolCandidate;
import org.ipam.harvester.select.PoolSelector;
import org.ipam.harvester.select.Selection;

/**
 * Which pool serves each claim, LoadBalancer or Service ({@link PoolSelector}), kept current as
 * claims and pools change: a claim is handed to the engine as a claim of the pool it is routed to,
 * and taken from the pool it leaves; both pools' passes are woken. A claim being released stays
 * with the pool that holds it. The pools of both groups share one name space: where both groups
 * have a pool of one name, the {@code loadbalancer.harvesterhci.io} one serves and the other is
 * {@link #shadowed}.
 *
 * <p>Synchronized; it calls into the engine (which takes a pool's lock) but nothing under a pool's
 * lock calls back here, so the two locks are always taken in this order.
 */
final class ClaimRoutes {
  private final AllocationEngine engine;
  private final PoolWakeups wakeups;
  private RoutelessNotices notices;

  /** Pool name to group to the pool as selection sees it. */
  private final Map<String, Map<String, PoolCandidate>> pools = new HashMap<>();

  private final Map<String, HarvesterClaim> claims = new HashMap<>();
  private final Map<String, String> routes = new HashMap<>();

  /** Claim uid to the pool whose ledger holds its address; and each pool's holders. */
  private final Map<String, String> held = new HashMap<>();

  private final Map<String, Set<String>> heldIn = new HashMap<>();

  ClaimRoutes(AllocationEngine engine, PoolWakeups wakeups) {
    this.engine = engine;
    this.wakeups = wakeups;
  }

  void tellUnroutedWith(RoutelessNotices routeless) {
    this.notices = routeless;
  }

  // ---------------------------------------------------------------- pools

  /**
   * Every pool and its ledger as a live list shows them, before the first claim is routed after a
   * start: routing a claim before the pool that holds its address is known would send it to another
   * pool (the global one, say), where it would get a new address. Both claim feeds call it (the
   * second call changes nothing).
   *
   * @param refused whether a pool hands out nothing new ({@link KnownPools#refuses})
   */
  synchronized void seed(
      List<? extends HarvesterIPPool> listed, Predicate<HarvesterIPPool> refused) {
    for (HarvesterIPPool pool : listed) {
      pools
          .computeIfAbsent(pool.getMetadata().getName(), n -> new LinkedHashMap<>())
          .put(pool.group(), PoolCandidate.of(pool).refused(refused.test(pool)));
    }
    for (HarvesterIPPool pool : listed) {
      if (!shadowed(pool)) {
        Set<String> holders = new HashSet<>();
        HarvesterRecords.entriesOf(pool).forEach(e -> holders.add(e.claimUid()));
        ledgerSeen(pool.getMetadata().getName(), holders);
      }
    }
    rerouteAll();
  }

  /**
   * A pool as its reconciler sees it now, before it is judged: whether it hands out nothing new is
   * kept as last judged (a pool not judged yet counts as refused: it is chosen only where no pool
   * that serves would be). Its selector or deletion is seen at once, even while judging it waits
   * for a list of the pools that fails.
   */
  synchronized void poolSeen(HarvesterIPPool pool) {
    Map<String, PoolCandidate> groups = pools.get(pool.getMetadata().getName());
    PoolCandidate before = groups == null ? null : groups.get(pool.group());
    poolSeen(pool, before == null || before.refused());
  }

  /**
   * A pool as its reconciler sees it now, and whether it hands out nothing new; routes follow when
   * its selector or that changed, and the refused pools are judged again (this one may have been
   * what refused them).
   */
  synchronized void poolSeen(HarvesterIPPool pool, boolean refused) {
    PoolCandidate now = PoolCandidate.of(pool).refused(refused);
    PoolCandidate before =
        pools.computeIfAbsent(now.name(), n -> new LinkedHashMap<>()).put(pool.group(), now);
    if (!now.equals(before)) {
      rerouteAll();
      wakeRefused(now.name());
    }
  }

  synchronized void poolGone(HarvesterIPPool pool) {
    Map<String, PoolCandidate> groups = pools.get(pool.getMetadata().getName());
    if (groups != null && groups.remove(pool.group()) != null) {
      if (groups.isEmpty()) {
        pools.remove(pool.getMetadata().getName());
        ledgerSeen(pool.getMetadata().getName(), Set.of());
      }
      rerouteAll();
      wakeRefused(null); // the other group's pool of its name too: it serves the name now
    }
  }

  /**
   * Wakes the passes of the refused pools but those of the name {@code except} (null: none): a pool
   * that went or changed may have been what refused them, and until a pass judges them again
   * selection passes them over (a claim served meanwhile by another pool keeps that pool).
   */
  private void wakeRefused(String except) {
    pools.forEach(
        (name, groups) -> {
          if (!name.equals(except) && serving(groups).refused()) {
            wake(name);
          }
        });
  }

  /** Whether a pool of this name in the other group serves instead of this one. */
  synchronized boolean shadowed(HarvesterIPPool pool) {
    Map<String, PoolCandidate> groups = pools.get(pool.getMetadata().getName());
    return HarvesterApi.NETWORKING_GROUP.equals(pool.group())
        && groups != null
        && groups.containsKey(HarvesterApi.LOADBALANCER_GROUP);
  }

  private Map<String, PoolCandidate> candidates() {
    Map<String, PoolCandidate> serving = new HashMap<>();
    pools.forEach((name, groups) -> serving.put(name, serving(groups)));
    return serving;
  }

  private static PoolCandidate serving(Map<String, PoolCandidate> groups) {
    PoolCandidate primary = groups.get(HarvesterApi.LOADBALANCER_GROUP);
    return primary != null ? primary : groups.values().iterator().next();
  }

  private String groupOf(String pool) {
    Map<String, PoolCandidate> groups = pools.get(pool);
    if (groups == null || groups.isEmpty()) {
      return null;
    }
    return groups.containsKey(HarvesterApi.LOADBALANCER_GROUP)
        ? HarvesterApi.LOADBALANCER_GROUP
        : HarvesterApi.NETWORKING_GROUP;
  }

  // ---------------------------------------------------------------- claims

  /**
   * The claims a pool's ledger holds, as its reconciler sees the pool now: a claim that holds an
   * address there keeps that pool (while it admits the claim), also when its status does not say so
   * (a Service's status names no pool; a restart forgot the routes).
   */
  synchronized void ledgerSeen(String pool, Set<String> uids) {
    Set<String> before = heldIn.put(pool, Set.copyOf(uids));
    if (before != null) {
      for (String uid : before) {
        if (!uids.contains(uid) && held.remove(uid, pool)) {
          // Held elsewhere too (it moved, and this pool let go first): that pool holds it now.
          heldIn.forEach(
              (other, holders) -> {
                if (holders.contains(uid)) {
                  held.putIfAbsent(uid, other);
                }
              });
        }
      }
    }
    for (String uid : uids) {
      // The first pool seen holding it keeps it: a claim held in two pools for a while (it moved)
      // must not be routed to and fro as their ledgers are seen in turn.
      held.putIfAbsent(uid, pool);
      if (claims.containsKey(uid) && !held.get(uid).equals(routes.get(uid))) {
        route(claims.get(uid));
      }
    }
  }

  synchronized void claimSeen(HarvesterClaim claim) {
    if (!claim.concerned()) {
      claimGone(claim);
      return;
    }
    claims.put(claim.uid(), claim);
    route(claim);
  }

  synchronized void claimGone(HarvesterClaim claim) {
    String uid = claim.uid();
    claims.remove(uid);
    String before = routes.remove(uid);
    if (before != null) {
      engine.claimGone(HarvesterRecords.poolKey(before), uid);
      wake(before);
    }
  }

  /** The pool a claim is routed to now; empty when none. */
  synchronized Optional<String> routeOf(String uid) {
    return Optional.ofNullable(routes.get(uid));
  }

  /** The pool whose ledger is taken to hold the claim's address (the first seen holding it). */
  synchronized Optional<String> holderOf(String uid) {
    return Optional.ofNullable(held.get(uid));
  }

  /** Whether a pool's ledger, as last seen, holds an address of this claim. */
  synchronized boolean holdsSomewhere(String uid) {
    return held.containsKey(uid);
  }

  /** The selection for a claim as things stand (for a notice about to be written). */
  synchronized Selection selectionOf(HarvesterClaim claim) {
    return PoolSelector.select(askOf(claim), claim.namingField(), candidates());
  }

  /** The claims routed to a pool: uid to how the pool's status names them. */
  synchronized Map<String, String> claimsIn(String pool) {
    Map<String, String> in = new HashMap<>();
    routes.forEach(
        (uid, routed) -> {
          if (routed.equals(pool)) {
            in.put(uid, claims.get(uid).id());
          }
        });
    return in;
  }

  private ClaimAsk askOf(HarvesterClaim claim) {
    return claim.ask().heldIn(held.get(claim.uid()));
  }

  private void rerouteAll() {
    claims.values().forEach(this::route);
  }

  private void route(HarvesterClaim claim) {
    String uid = claim.uid();
    String before = routes.get(uid);
    String after;
    if (claim.releasing()) {
      // On its way out: released where it is held, wherever selection would send it now; a pool
      // that no longer exists holds nothing of it (no route: it is let go).
      after = known(before) ? before : known(held.get(uid)) ? held.get(uid) : null;
      if (after == null && claim instanceof LoadBalancerClaim) {
        after = chosen(claim); // its status names the pool that holds it
      }
    } else {
      after = chosen(claim);
    }
    if (before != null && !before.equals(after)) {
      engine.claimGone(HarvesterRecords.poolKey(before), uid);
      wake(before);
    }
    if (after == null) {
      routes.remove(uid);
      if (notices != null) {
        notices.tell(claim);
      }
      return;
    }
    routes.put(uid, after);
    engine.claimSeen(HarvesterRecords.poolKey(after), claim, claim.facts());
    wake(after);
  }

  private boolean known(String pool) {
    return pool != null && pools.containsKey(pool);
  }

  private String chosen(HarvesterClaim claim) {
    Selection selection = PoolSelector.select(askOf(claim), claim.namingField(), candidates());
    return selection instanceof Selection.Chosen chosen ? chosen.pool() : null;
  }

  private void wake(String pool) {
    String group = groupOf(pool);
    if (group != null) {
      wakeups.wake(group, pool);
    }
  }
}
