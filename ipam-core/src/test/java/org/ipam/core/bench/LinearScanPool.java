package org.ipam.core.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The baseline: how the upstream controllers find a free address. Walk the pool from its start and
 * take the first address that is not in the in-use set (Metal3 and the in-cluster provider both do
 * this per claim).
 */
final class LinearScanPool {
  private final long first;
  private final long last;
  private final Set<Long> inUse = new HashSet<>();

  LinearScanPool(long first, long last) {
    this.first = first;
    this.last = last;
  }

  /** Marks an address used without scanning, to set up a fill level quickly. */
  void markUsed(long address) {
    inUse.add(address);
  }

  long allocate() {
    for (long candidate = first; candidate <= last; candidate++) {
      if (inUse.add(candidate)) {
        return candidate;
      }
    }
    return -1;
  }
}
