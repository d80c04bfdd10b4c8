package org.ipam.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.net.IpRange;

/**
 * What this process has decided or written that the informer cache may not show yet, per pool. The
 * cache is the truth, but it lags: an address we created a moment ago, or one being committed right
 * now by another pass, must not be handed out again, and an address we deleted must not come back
 * from a stale cache. Entries leave the ledger once the cache agrees, or after {@link #PATIENCE} if
 * it never does (someone else deleted or recreated the object meanwhile).
 *
 * <p>Thread-safe; a pool's entries are touched under that pool's lock by the engine.
 */
public final class AllocationLedger {
  static final Duration PATIENCE = Duration.ofMinutes(2);

  private record Entry(IpRange range, Instant since) {}

  private static final class PoolEntries {
    final Map<String, Entry> held = new HashMap<>();
    final Map<String, Entry> released = new HashMap<>();
  }

  private final Map<PoolKey, PoolEntries> pools = new ConcurrentHashMap<>();
  private final Clock clock;

  public AllocationLedger() {
    this(Clock.systemUTC());
  }

  AllocationLedger(Clock clock) {
    this.clock = clock;
  }

  private PoolEntries of(PoolKey pool) {
    return pools.computeIfAbsent(pool, key -> new PoolEntries());
  }

  /**
   * The allocations of a pool as this process knows them: the cache's, minus what we released, plus
   * what we hold that the cache does not show yet. Entries the cache has caught up with are dropped
   * here.
   */
  synchronized List<ExistingAllocation> view(PoolKey pool, List<ExistingAllocation> cached) {
    PoolEntries entries = of(pool);
    Instant now = clock.instant();
    Set<String> cachedOwners = new HashSet<>();
    List<ExistingAllocation> result = new ArrayList<>(cached.size() + entries.held.size());
    for (ExistingAllocation allocation : cached) {
      cachedOwners.add(allocation.owner());
      Entry released = entries.released.get(allocation.owner());
      if (released != null
          && released.range().equals(allocation.addresses())
          && !expired(released, now)) {
        continue;
      }
      result.add(allocation);
    }
    entries
        .released
        .entrySet()
        .removeIf(e -> !cachedOwners.contains(e.getKey()) || expired(e.getValue(), now));
    entries
        .held
        .entrySet()
        .removeIf(e -> cachedOwners.contains(e.getKey()) || expired(e.getValue(), now));
    entries.held.forEach(
        (owner, entry) -> result.add(new ExistingAllocation(owner, entry.range())));
    return result;
  }

  private static boolean expired(Entry entry, Instant now) {
    return entry.since().plus(PATIENCE).isBefore(now);
  }

  /** A decision about to be written, or written: no other pass may hand out this range. */
  synchronized void hold(PoolKey pool, String owner, IpRange range) {
    PoolEntries entries = of(pool);
    entries.released.remove(owner);
    entries.held.put(owner, new Entry(range, clock.instant()));
  }

  /** The write failed: the decision is void. */
  synchronized void rollBack(PoolKey pool, String owner) {
    of(pool).held.remove(owner);
  }

  /** We deleted what owner held; a stale cache must not bring it back. */
  synchronized void released(PoolKey pool, String owner, IpRange range) {
    PoolEntries entries = of(pool);
    entries.held.remove(owner);
    entries.released.put(owner, new Entry(range, clock.instant()));
  }

  /** The pool is gone; forget it. */
  public void forget(PoolKey pool) {
    pools.remove(pool);
  }
}
