package org.ipam.core.engine;

/**
 * The exclusive commit points the engine offers; a dialect picks one, and every kind of claim that
 * draws from one pool commits through the same one.
 */
public enum CommitStrategy {
  /**
   * The create of an object whose name is derived from the pool and the address (or fixed-size
   * block), always of the same resource whatever kind of claim it serves: a second writer of the
   * same address meets AlreadyExists. One write per claim; as Kubernetes' own Service IP allocator
   * names IPAddress objects after the address.
   */
  NAMED_RESERVATION,

  /**
   * One write of the pool's allocation record (its ledger) per pass, guarded by the resourceVersion
   * of a live read and checked against that read ({@link LedgerCommits}): of two writers that read
   * the same version only one lands, and the other merges again from the newer one. One write per
   * batch, whatever the batch's size; blocks of any size; the dialect's own objects may be named as
   * upstream names them. The ledger's size is bounded by etcd's object limit ({@link
   * LedgerCommits#MAX_ENTRIES}). Implemented by a {@link LedgerBinding}.
   */
  VERSIONED_LEDGER
}
