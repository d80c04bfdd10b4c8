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
   *
   * @return the ledger as the API's answer to the write holds it: an API server whose schema does
   *     not declare the ledger's field prunes it silently, and only the answer shows that nothing
   *     was recorded
   */
  Ledger write(Ledger base, List<LedgerEntry> entries);

  /**
   * The {@code metadata.generation} of the pool object the binding's spec was read from, or 0 when
   * not known. A commit is refused as a conflict when the live ledger's object is at another
   * generation: the spec changed since the decisions were made (a shrink admitted before any entry
   * or object showed the address in use), so they are made again under the new spec.
   */
  default long specGeneration() {
    return 0;
  }

  /**
   * What one entry costs against {@link #capacity()}: 1 by default, so that the capacity counts
   * entries. A store whose object carries more per entry (Harvester's pool keeps each allocation
   * twice, with names of any length) counts bytes instead.
   */
  default long cost(LedgerEntry entry) {
    return 1;
  }

  /**
   * How much the ledger's object can carry ({@link #cost}) and stay under etcd's request limit: a
   * commit that would pass it is refused as the ledger being full, instead of a write the API
   * server refuses.
   */
  default long capacity() {
    return LedgerCommits.MAX_ENTRIES;
  }
}
