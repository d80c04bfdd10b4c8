package org.ipam.core.engine;

import java.util.List;

/**
 * A pool's allocation record as one read of the API returned it: its entries and the
 * resourceVersion of the object that carries them, which guards the next write.
 */
public record Ledger(String resourceVersion, List<LedgerEntry> entries) {
  public Ledger {
    entries = List.copyOf(entries);
  }
}
