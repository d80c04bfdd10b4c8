package org.ipam.core.engine;

import java.util.List;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;

/**
 * A {@link PoolBinding} whose commit point is the pool's ledger ({@link
 * CommitStrategy#VERSIONED_LEDGER}): the engine records a pass's allocations in one guarded write
 * ({@link LedgerCommits}), then asks the binding to report each ({@link #reportAllocated}, which
 * creates the dialect's own objects: they come after the commit, never before). On release the
 * engine deletes in the reverse order: the dialect's objects first ({@link #releaseObjects}), then
 * the ledger entries of every released claim in one write, then the claims' finalizers ({@link
 * #letGo}). So at every moment each address object of the pool has its ledger entry, and a writer
 * that checks the ledger cannot hand out an address an object holds.
 *
 * <p>The dialect feeds the ledger's entries to the engine as holdings ({@link
 * LedgerEntry#asHolding}), as its informer sees the ledger change, besides its address objects.
 */
public interface LedgerBinding<C> extends PoolBinding<C> {

  /** The pool's ledger. */
  LedgerStore ledger();

  /**
   * The claim is being deleted: deletes its own objects, cached ({@code held}, ledger entries left
   * out) or not yet cached (an object {@link #reportAllocated} created that the cache does not
   * show: the dialect knows its name, and deletes it only if it carries the claim's uid). Returns
   * false, having written nothing, when the claim must wait (another controller's finalizer
   * protects it); true once none of its objects is left. The ledger entry and the finalizer are the
   * engine's next steps.
   */
  boolean releaseObjects(C claim, List<Holding> held);

  /** The claim's objects and ledger entries are gone: removes its finalizer. */
  void letGo(C claim);

  /**
   * Whether the API has no claim of this uid (a live read): a ledger entry of a claim that is gone
   * is removed once the engine's grace period has passed.
   */
  boolean claimIsGone(Holding entry);

  @Override
  default CommitStrategy strategy() {
    return CommitStrategy.VERSIONED_LEDGER;
  }

  /** Not called: the engine commits a ledger binding's allocations through {@link #ledger}. */
  @Override
  default CommitOutcome commit(C claim, Allocation allocation) {
    throw new UnsupportedOperationException("a ledger binding commits through its ledger");
  }

  /** Not called: the engine releases in the steps above. */
  @Override
  default boolean release(C claim, List<Holding> held, Optional<Allocation> uncached) {
    throw new UnsupportedOperationException("a ledger binding releases in steps");
  }
}
