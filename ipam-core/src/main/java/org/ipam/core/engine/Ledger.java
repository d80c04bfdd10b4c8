package org.ipam.core.engine;

import java.util.List;

/**
 * A pool's allocation record as one read (or one write's answer) of the API returned it: its
 * entries, the resourceVersion of the object that carries them, which guards the next write, and
 * that object's {@code metadata.generation} (0 when the store does not say), which tells whether
 * the pool's spec changed since the engine's decisions were made.
 */
public record Ledger(String resourceVersion, List<LedgerEntry> entries, long generation) {
  public Ledger {
    entries = List.copyOf(entries);
  }

  /** A ledger whose object's generation is not known (not checked). */
  public Ledger(String resourceVersion, List<LedgerEntry> entries) {
    this(resourceVersion, entries, 0);
  }
}
