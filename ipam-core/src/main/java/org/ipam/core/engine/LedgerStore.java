package org.ipam.core.engine;

import java.util.List;

/**
 * Where a dialect keeps a pool's ledger (the pool's status, an annotation, an object of its own):
 * the dialect maps it to and from its format; {@link LedgerCommits} does the rest.
 */
public interface LedgerStore {
  /** The ledger as the API holds it now: a live read, never the cache. */
  Ledger read();

  /**
   * Replaces the ledger's entries with {@code entries} if the object is still at {@code
   * base.resourceVersion()}: one write, guarded by that resourceVersion, so that of two writers
   * that read the same version only one succeeds. Fails with the API's 409 otherwise ({@link
   * Conflicts#isConflict}).
   */
  void write(Ledger base, List<LedgerEntry> entries);
}
