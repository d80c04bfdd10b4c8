package org.ipam.core.engine;

import java.util.List;

/**
 * A pool's allocation record as one read (or one write's answer) of the API returned it: its
 * entries, the resourceVersion of the object that carries them, which guards the next write, and
 * that object's {@code metadata.generation} (0 when the store does not say), which tells whether
 * the pool's spec changed since the engine's decisions were made.
 *
 * @param foreign addresses the same object marks taken outside the ledger (Harvester's {@code
 *     status.allocated} entries of the controller it replaces): no commit may record them, though
 *     no claim of ours holds them
 */
public record Ledger(
    String resourceVersion, List<LedgerEntry> entries, long generation, List<Holding> foreign) {
  public Ledger {
    entries = List.copyOf(entries);
    foreign = List.copyOf(foreign);
  }

  public Ledger(String resourceVersion, List<LedgerEntry> entries, long generation) {
    this(resourceVersion, entries, generation, List.of());
  }

  /** A ledger whose object's generation is not known (not checked). */
  public Ledger(String resourceVersion, List<LedgerEntry> entries) {
    this(resourceVersion, entries, 0);
  }
}
