package org.ipam.core.alloc;

import java.util.Arrays;

/**
 * Owner name to the start of its allocation, as an open-addressing hash table over three parallel
 * arrays: about 30 bytes an owner instead of a HashMap node plus a boxed key and value. Linear
 * probing with backward-shift deletion, so there are no tombstones to clean up under churn.
 */
final class OwnerIndex {
  private Object[] owners = new Object[16];
  private long[] hi = new long[16];
  private long[] lo = new long[16];
  private int size;

  private int slotOf(Object owner) {
    int h = owner.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (owners.length - 1);
  }

  /** The slot that holds owner, or -1. */
  int find(Object owner) {
    int mask = owners.length - 1;
    for (int i = slotOf(owner); owners[i] != null; i = (i + 1) & mask) {
      if (owners[i].equals(owner)) {
        return i;
      }
    }
    return -1;
  }

  long hiAt(int slot) {
    return hi[slot];
  }

  long loAt(int slot) {
    return lo[slot];
  }

  /** Adds an owner that is not present. */
  void put(Object owner, long startHi, long startLo) {
    if ((size + 1) * 4 > owners.length * 3) {
      grow();
    }
    int mask = owners.length - 1;
    int i = slotOf(owner);
    while (owners[i] != null) {
      i = (i + 1) & mask;
    }
    owners[i] = owner;
    hi[i] = startHi;
    lo[i] = startLo;
    size++;
  }

  void removeAt(int slot) {
    int mask = owners.length - 1;
    int gap = slot;
    owners[gap] = null;
    size--;
    // Backward-shift: move later entries of the probe run into the gap when their home slot allows
    // it.
    for (int i = (gap + 1) & mask; owners[i] != null; i = (i + 1) & mask) {
      int home = slotOf(owners[i]);
      boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
      if (movable) {
        owners[gap] = owners[i];
        hi[gap] = hi[i];
        lo[gap] = lo[i];
        owners[i] = null;
        gap = i;
      }
    }
  }

  private void grow() {
    Object[] oldOwners = owners;
    long[] oldHi = hi;
    long[] oldLo = lo;
    owners = new Object[oldOwners.length * 2];
    hi = new long[owners.length];
    lo = new long[owners.length];
    size = 0;
    for (int i = 0; i < oldOwners.length; i++) {
      if (oldOwners[i] != null) {
        put(oldOwners[i], oldHi[i], oldLo[i]);
      }
    }
    Arrays.fill(oldOwners, null);
  }
}
