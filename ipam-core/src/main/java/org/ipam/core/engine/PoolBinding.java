package org.ipam.core.engine;

import java.util.List;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;

/**
 * The seam between the engine and a dialect, for one pool during one pass. A dialect implements it
 * over its own objects (C is its claim type); the engine decides, orders, commits and rolls back.
 *
 * <p>Read methods are called first, from the thread that runs the pass, and must read from the
 * informer cache without writing. Write methods ({@link #commit}, {@link #reportAllocated}, {@link
 * #reportFailed}, {@link #release}) are called with no lock held, concurrently for different claims
 * of the same pool, never twice at once for the same claim. A write method may throw a runtime
 * exception; the engine logs it and runs the pool again later.
 */
public interface PoolBinding<C> {

  PoolKey pool();

  /** The pool as the allocator sees it. Pools the dialect finds invalid never reach the engine. */
  PoolSpec spec();

  /**
   * Every allocation the API holds for this pool (its address objects), oldest first, so that the
   * oldest wins if two claim one address. Called once per pass.
   */
  List<ExistingAllocation> existingAllocations();

  /** Every claim of this pool, deleting ones included. */
  List<C> claims();

  ClaimFacts facts(C claim);

  /**
   * Whether the claim's status already shows this allocation; if not, the engine calls {@link
   * #reportAllocated}.
   */
  boolean showsAllocation(C claim, Allocation allocation);

  /**
   * The commit point: writes the allocation so that a competing writer cannot write the same
   * address (creating an object named after pool and address). Before it returns {@link
   * CommitOutcome.Committed}, the claim must be protected against disappearing without a release
   * (its finalizer set). Idempotent for an allocation that already exists for this claim.
   */
  CommitOutcome commit(C claim, Allocation allocation);

  /** Writes the allocation to the claim (status, conditions, events). */
  void reportAllocated(C claim, Allocation allocation);

  /**
   * Tells the claim why it got nothing. The claim stays pending: every later pass tries it again,
   * so it is served as soon as the cause goes away (an address freed, a pool extended).
   */
  void reportFailed(C claim, AllocationFailure failure);

  /**
   * The claim is being deleted: deletes what it holds (if anything) and lets the claim go (its
   * finalizer removed). Returns false, having written nothing, when the claim must wait (another
   * controller's finalizer still protects it); true once nothing of it is left behind.
   */
  boolean release(C claim, Optional<Allocation> held);

  /** The end of a pass: the pool's status (allocation map, counts) from the engine's view. */
  void reportPool(List<Allocation> allocations, PoolCounts counts);
}
