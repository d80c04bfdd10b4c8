package org.ipam.core.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.net.IpRange;

/**
 * Hands the engine a pool's ledger ({@link LedgerBinding}) as the dialect's cache shows it and as
 * each live read of the commit finds it: for each pool, only what changed since the last delivery
 * (entries added, changed or gone), nothing while the ledger's resourceVersion stays the same, and
 * nothing older than what was delivered. So a pass over a pool whose ledger holds 10,000 entries
 * does not look at them again, and a commit that finds an address taken leaves the engine knowing
 * who took it: the next decision avoids it at once, without waiting for the cache.
 */
public final class LedgerFeed {
  private record Delivered(String resourceVersion, Map<IpRange, LedgerEntry> entries) {}

  private final AllocationEngine engine;
  private final Map<PoolKey, Delivered> delivered = new ConcurrentHashMap<>();

  public LedgerFeed(AllocationEngine engine) {
    this.engine = engine;
  }

  /**
   * The pool's ledger at {@code resourceVersion} (the version of the object that carries it), seen
   * {@code at}. Synchronized: a pass's ledger reads (commit, adoption, release, strays) run on the
   * engine's writer threads and each delivers what it read; two overlapping deliveries could both
   * diff against one earlier ledger and leave an entry the newer one removed in the engine's view
   * for good. The engine's calls take the pool's lock, which no thread holds while it delivers.
   */
  public synchronized void deliver(
      PoolKey pool, String resourceVersion, List<LedgerEntry> entries, Instant at) {
    Delivered last = delivered.get(pool);
    if (last != null
        && (last.resourceVersion().equals(resourceVersion)
            || olderThan(resourceVersion, last.resourceVersion()))) {
      // The same ledger, or an older one than a live read already delivered (the cache lags).
      return;
    }
    Map<IpRange, LedgerEntry> before = last == null ? Map.of() : last.entries();
    Map<IpRange, LedgerEntry> now = new HashMap<>();
    entries.forEach(entry -> now.put(entry.addresses(), entry));
    for (IpRange range : before.keySet()) {
      if (!now.containsKey(range)) {
        engine.holdingGone(pool, LedgerEntry.keyIn(pool, range));
      }
    }
    for (LedgerEntry entry : now.values()) {
      if (!entry.equals(before.get(entry.addresses()))) {
        engine.holdingSeen(pool, entry.asHolding(pool, at));
      }
    }
    delivered.put(pool, new Delivered(resourceVersion, now));
  }

  /**
   * Whether one resourceVersion is older than another. Kubernetes calls them opaque; etcd's are
   * increasing integers, which is what this relies on, and only to skip a stale delivery: two that
   * do not both parse are never called older.
   */
  public static boolean olderThan(String version, String than) {
    try {
      return Long.parseLong(version) < Long.parseLong(than);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The resourceVersion of the newest ledger delivered for the pool, if any. */
  public Optional<String> versionOf(PoolKey pool) {
    return Optional.ofNullable(delivered.get(pool)).map(Delivered::resourceVersion);
  }

  /** The pool is gone: its entries are forgotten with it (the engine keeps its own view). */
  public void forget(PoolKey pool) {
    Delivered last = delivered.remove(pool);
    if (last != null) {
      last.entries()
          .keySet()
          .forEach(range -> engine.holdingGone(pool, LedgerEntry.keyIn(pool, range)));
    }
  }
}
