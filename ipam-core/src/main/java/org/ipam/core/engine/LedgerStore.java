package org.ipam.core.engine;

import java.util.List;

/**
 * Where a dialect keeps a pool's ledger (the pool's status, an annotation, an object of its own):
 * the dialect maps it to and from its format; {@link LedgerCommits} does the rest.
 */
public interface LedgerStore {
  /**
   * The ledger as the API holds it now: a live read, never the cache. The dialect also hands each
   * read to its {@link LedgerFeed}: when a commit is refused because the ledger shows the address
   * taken, the engine then knows the holder and decides again at once (without a backoff that
   * grows); a store that does not do so is still safe, only slower under contention.
   */
  Ledger read();

  /**
   * Replaces the ledger's entries with {@code entries} if the object is still at {@code
   * base.resourceVersion()}: one write, guarded by that resourceVersion, so that of two writers
   * that read the same version only one succeeds. Fails with the API's 409 otherwise ({@link
   * Conflicts#isConflict}).
   */
  void write(Ledger base, List<LedgerEntry> entries);
}
