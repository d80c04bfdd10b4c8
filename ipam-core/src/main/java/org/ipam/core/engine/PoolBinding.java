package org.ipam.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;

/**
 * The seam between the engine and a dialect, for one pool during one pass (C is the dialect's claim
 * type). The dialect feeds the engine what its informers see ({@link AllocationEngine#claimSeen},
 * {@link AllocationEngine#holdingSeen} and their {@code Gone} counterparts); a pass then asks this
 * binding for the pool's spec and for the writes. The engine decides, orders, commits, rolls back
 * and keeps every address occupied that any object holds.
 *
 * <p>Read methods ({@link #spec}, {@link #request}, {@link #showsAllocation}) are called under the
 * pool's lock and must not do I/O. Write methods are called with no lock held, concurrently for
 * different claims of the pool, never twice at once for the same claim, and never after the engine
 * was fenced ({@link AllocationEngine#fence}). A write method may throw a runtime exception; the
 * engine logs it and tries that claim again after a backoff.
 *
 * <p>Commit strategy: {@link #commit} must be a write that a second writer cannot also win for the
 * same addresses, whatever kind of claim it serves ({@link CommitStrategy}).
 */
public interface PoolBinding<C> {

  PoolKey pool();

  /**
   * The pool as the allocator sees it. A pool with nothing usable gives a spec with no segments (in
   * the family its allocations are in): nothing new is handed out, nothing held is lost.
   */
  PoolSpec spec();

  /** How {@link #commit} makes an allocation exclusive. */
  CommitStrategy strategy();

  /**
   * Whether this binding watches claims of this kind. Only objects of a watched kind whose claim is
   * gone are released as orphans; others are left alone.
   */
  boolean watchesClaimKind(String kind);

  /**
   * Whether the claim is to be left alone for now (the Cluster API pause contract: the claim, or
   * the Cluster it belongs to, is paused): nothing is decided or written for it, allocation and
   * release alike, and what it holds stays its own. It is looked at again when it changes, or when
   * the dialect feeds it to the engine again (its Cluster unpaused). Read under the pool's lock: no
   * I/O (a cache lookup).
   */
  default boolean paused(C claim) {
    return false;
  }

  /**
   * When a deleting claim's addresses may be released: until then the claim keeps them and its
   * objects stay (in-cluster's {@code addressReuseGracePeriodSeconds}, counted from the claim's
   * deletion). Empty, the default, releases at once. Read under the pool's lock: no I/O.
   */
  default Optional<Instant> releaseNotBefore(C claim) {
    return Optional.empty();
  }

  /** What the claim asks for, read from its fields (and the pool's, such as pre-allocations). */
  AllocationRequest request(C claim);

  /**
   * Where {@link org.ipam.core.alloc.OrderPolicy#NEXT_AFTER_LAST} goes on when the engine builds
   * the pool's allocator anew (start, restart, spec change): the last address the dialect persisted
   * (Harvester's {@code status.lastAllocated}). Within an allocator's life its own cursor moves on.
   * Empty, the default, starts from the first segment. Read under the pool's lock: no I/O.
   */
  default Optional<Ip> roundRobinCursor() {
    return Optional.empty();
  }

  /**
   * Whether the claim already shows this allocation (status, finalizer); if not, the engine calls
   * {@link #reportAllocated}. {@code held} are the cached objects of this claim that hold it (empty
   * right after a commit the cache does not show yet).
   */
  boolean showsAllocation(C claim, Allocation allocation, List<Holding> held);

  /**
   * The commit point. Writes the allocation so that a competing writer cannot write the same
   * addresses; on a name clash, {@link CommitOutcome.Committed#found()} only for an object of this
   * very claim (same uid, not being deleted: nothing written now, and no allocation counted),
   * {@link CommitOutcome.Taken} otherwise. Safe to call again for an allocation that exists.
   */
  CommitOutcome commit(C claim, Allocation allocation);

  /**
   * Makes the claim show its committed allocation: creates any object the commit point left to
   * later, sets the claim's finalizer if missing, writes its status and an event if they changed.
   */
  void reportAllocated(C claim, Allocation allocation, List<Holding> held);

  /**
   * Tells the claim why it got nothing (only when the reason changed). The claim stays pending and
   * is tried again when the pool changes.
   */
  void reportFailed(C claim, AllocationFailure failure);

  /**
   * Makes an object made by hand for this claim (a {@link Holding} without claim uid) the claim's
   * own, with one write guarded by the object's resourceVersion (its owner reference, finalizer).
   * Until the cache shows the result, the object's address stays occupied and the claim waits.
   */
  CommitOutcome adopt(C claim, Holding handMade);

  /**
   * The claim is being deleted: deletes every object it holds ({@code held}, and, when the commit
   * of {@code uncached} succeeded but the cache does not show its object yet, that object too) and
   * lets the claim go (its finalizer removed). Returns false, having written nothing, when the
   * claim must wait (another controller's finalizer still protects it); true once nothing of it is
   * left.
   */
  boolean release(C claim, List<Holding> held, Optional<Allocation> uncached);

  /**
   * An object whose claim (by uid) has not existed for the engine's grace period: if the API agrees
   * that no claim of that uid exists, deletes the object (removing our finalizer). Returns whether
   * it did.
   */
  boolean releaseOrphan(Holding orphan);

  /**
   * A second object of a live claim (two writers each gave it an address) that is not the claim's
   * own: deletes it if it still belongs to that claim uid. Returns whether it did.
   */
  boolean releaseSurplus(Holding surplus);

  /**
   * The end of a pass: the pool's status (allocations, counts, problems) from the engine's view.
   * Called on every pass; cheap when {@link PoolView#changeCount()} did not move.
   */
  void reportPool(PoolView view);
}
