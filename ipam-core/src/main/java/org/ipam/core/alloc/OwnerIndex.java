package org.ipam.core.alloc;

import java.util.Arrays;

/**
 * Owner name to the start of its allocation, as an open-addressing hash table: one array of owners
 * and one of addresses, the address of slot i at {@code i * stride} (stride 1 for IPv4, 2 for IPv6,
 * high half first), so a hit touches two cache lines. About 12 to 20 bytes a slot instead of a
 * HashMap node plus a boxed key and value. Linear probing with backward-shift deletion, so there
 * are no tombstones to clean up under churn; the table halves when it falls below an eighth full.
 */
final class OwnerIndex {
  private static final int MIN_CAPACITY = 16;

  private final int stride;
  private Object[] owners;
  private long[] addresses;
  private int size;

  /**
   * @param wide whether addresses may exceed 64 bits (IPv6)
   */
  OwnerIndex(boolean wide) {
    this.stride = wide ? 2 : 1;
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    owners = new Object[capacity];
    addresses = new long[capacity * stride];
  }

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
    return stride == 1 ? 0 : addresses[slot * 2];
  }

  long loAt(int slot) {
    return addresses[slot * stride + stride - 1];
  }

  /** Makes room for this many owners at once (a rebuild), so the table does not grow stepwise. */
  void ensureCapacity(int owners) {
    int capacity = this.owners.length;
    while ((long) owners * 4 > (long) capacity * 3) {
      capacity *= 2;
    }
    if (capacity != this.owners.length) {
      rehash(capacity);
    }
  }

  /** Adds an owner that is not present. */
  void put(Object owner, long startHi, long startLo) {
    if ((size + 1) * 4 > owners.length * 3) {
      rehash(owners.length * 2);
    }
    int mask = owners.length - 1;
    int i = slotOf(owner);
    while (owners[i] != null) {
      i = (i + 1) & mask;
    }
    set(i, owner, startHi, startLo);
    size++;
  }

  private void set(int slot, Object owner, long hi, long lo) {
    owners[slot] = owner;
    if (stride == 2) {
      addresses[slot * 2] = hi;
      addresses[slot * 2 + 1] = lo;
    } else {
      addresses[slot] = lo;
    }
  }

  void removeAt(int slot) {
    int mask = owners.length - 1;
    int gap = slot;
    owners[gap] = null;
    size--;
    // Backward shift: move later entries of the probe run into the gap when their home slot allows
    // it.
    for (int i = (gap + 1) & mask; owners[i] != null; i = (i + 1) & mask) {
      int home = slotOf(owners[i]);
      boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
      if (movable) {
        set(gap, owners[i], hiAt(i), loAt(i));
        owners[i] = null;
        gap = i;
      }
    }
    if (owners.length > MIN_CAPACITY && size * 8 < owners.length) {
      rehash(owners.length / 2);
    }
  }

  private void rehash(int capacity) {
    Object[] oldOwners = owners;
    long[] oldAddresses = addresses;
    allocate(capacity);
    size = 0;
    for (int i = 0; i < oldOwners.length; i++) {
      if (oldOwners[i] != null) {
        long hi = stride == 2 ? oldAddresses[i * 2] : 0;
        put(oldOwners[i], hi, oldAddresses[i * stride + stride - 1]);
      }
    }
    Arrays.fill(oldOwners, null);
  }
}
