package org.ipam.core.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import org.ipam.core.net.IpRange;

/**
 * One writer's cache of the in-memory API: it queues what the API tells it and hands it to its
 * engine ({@code claimSeen}, {@code holdingSeen} and their {@code Gone} counterparts) only when the
 * test flushes it, claims and address objects each in their own order (two informers, as in a
 * controller), so the test decides how far the cache lags.
 */
final class FakeInformer implements InMemoryApi.Watcher {
  static final String ADDRESS_KIND = "IPAddress";

  private final AllocationEngine engine;
  private final PoolKey pool;
  private final boolean reservationKeyIsName;
  private final Deque<Runnable> claimEvents = new ArrayDeque<>();
  private final Deque<Runnable> objectEvents = new ArrayDeque<>();
  private final Deque<Runnable> ledgerEvents = new ArrayDeque<>();

  /** The ledger entries last handed to the engine, by addresses. */
  private final java.util.Map<IpRange, LedgerEntry> deliveredEntries = new java.util.HashMap<>();

  FakeInformer(AllocationEngine engine, PoolKey pool, boolean reservationKeyIsName) {
    this.engine = engine;
    this.pool = pool;
    this.reservationKeyIsName = reservationKeyIsName;
  }

  static ClaimFacts facts(FakeClaim claim, boolean reservationKeyIsName) {
    return new ClaimFacts(
        claim.id(), reservationKeyIsName ? claim.name() : null, claim.created(), claim.deleting());
  }

  static ObjectKey key(String objectName) {
    return new ObjectKey(ADDRESS_KIND, InMemoryApi.NAMESPACE, objectName);
  }

  static Holding holding(AddressObject object) {
    return new Holding(
        key(object.name()),
        IpRange.single(object.address()),
        object.claimKind(),
        object.claimName(),
        object.ownerUid(),
        object.created(),
        object.deleting());
  }

  @Override
  public synchronized void claimEvent(InMemoryApi.EventType type, FakeClaim claim) {
    if (type == InMemoryApi.EventType.DELETED) {
      claimEvents.add(() -> engine.claimGone(pool, claim.uid()));
    } else {
      ClaimFacts facts = facts(claim, reservationKeyIsName);
      claimEvents.add(() -> engine.claimSeen(pool, claim, facts));
    }
  }

  @Override
  public synchronized void objectEvent(InMemoryApi.EventType type, AddressObject object) {
    if (type == InMemoryApi.EventType.DELETED) {
      objectEvents.add(() -> engine.holdingGone(pool, key(object.name())));
    } else {
      Holding holding = holding(object);
      objectEvents.add(() -> engine.holdingSeen(pool, holding));
    }
  }

  @Override
  public synchronized void ledgerEvent(java.util.List<LedgerEntry> entries) {
    ledgerEvents.add(() -> deliverLedger(entries));
  }

  /** The engine learns the ledger's entries as holdings: the ones added, changed or gone. */
  private void deliverLedger(java.util.List<LedgerEntry> entries) {
    java.util.Map<IpRange, LedgerEntry> now = new java.util.HashMap<>();
    entries.forEach(e -> now.put(e.addresses(), e));
    for (LedgerEntry old : java.util.List.copyOf(deliveredEntries.values())) {
      if (!now.containsKey(old.addresses())) {
        engine.holdingGone(pool, LedgerEntry.keyIn(pool, old.addresses()));
        deliveredEntries.remove(old.addresses());
      }
    }
    for (LedgerEntry entry : entries) {
      if (!entry.equals(deliveredEntries.get(entry.addresses()))) {
        engine.holdingSeen(pool, entry.asHolding(pool, java.time.Instant.EPOCH));
        deliveredEntries.put(entry.addresses(), entry);
      }
    }
  }

  /** Delivers everything queued. */
  void flush() {
    flushClaims();
    flushObjects();
    flushLedger();
  }

  /** Delivers up to {@code count} ledger writes, oldest first. */
  void flushLedger(int count) {
    deliver(ledgerEvents, count);
  }

  void flushLedger() {
    flushLedger(Integer.MAX_VALUE);
  }

  void flushClaims() {
    flushClaims(Integer.MAX_VALUE);
  }

  void flushObjects() {
    flushObjects(Integer.MAX_VALUE);
  }

  /** Delivers up to {@code count} claim events, oldest first. */
  void flushClaims(int count) {
    deliver(claimEvents, count);
  }

  /** Delivers up to {@code count} address object events, oldest first. */
  void flushObjects(int count) {
    deliver(objectEvents, count);
  }

  /** Drops what is queued (a cache that never saw it, as after a relist that missed it). */
  synchronized void forgetQueued() {
    claimEvents.clear();
    objectEvents.clear();
    ledgerEvents.clear();
  }

  synchronized int pendingClaims() {
    return claimEvents.size();
  }

  synchronized int pendingObjects() {
    return objectEvents.size();
  }

  private void deliver(Deque<Runnable> queue, int count) {
    for (int i = 0; i < count; i++) {
      Runnable event;
      synchronized (this) {
        event = queue.poll();
      }
      if (event == null) {
        return;
      }
      event.run();
    }
  }
}
