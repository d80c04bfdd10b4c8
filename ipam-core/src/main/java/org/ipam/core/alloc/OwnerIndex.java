package org.ipam.core.alloc;

import java.util.Arrays;

/**
 * Owner name to the start of its allocation: an open-addressing hash table whose slots are single
 * longs, each a 32-bit hash tag and a 32-bit entry number, beside entry arrays (owner, address)
 * indexed by entry number.
 *
 * <p>Why this shape: in a table of millions of slots every probe is a cache and TLB miss, so a slot
 * is as small as possible (8 bytes, 8 to a cache line) and a probe touches nothing else until the
 * full hash matches. Entry numbers are handed out in order (freed ones are reused first), so
 * writing a new owner's name and address goes to the end of the entry arrays, which are warm,
 * instead of to a third and fourth random place. The tag also gives an entry's home slot, so
 * deletion and rehash never look at an owner. Linear probing with backward-shift deletion, so no
 * tombstones build up under churn; the table halves when it falls below a quarter full (half full
 * after it, so growing at three quarters and shrinking cannot alternate). The entry arrays keep the
 * size of the most owners ever held at once.
 */
final class OwnerIndex {
  private static final int MIN_CAPACITY = 16;

  /** Set in every tag, so that a slot of 0 means empty. */
  private static final int OCCUPIED = 0x8000_0000;

  private static final int NO_ENTRY = -1;

  private final boolean wide;
  private long[] slots;
  private int size;

  // Entries; a freed entry's address field holds the next free entry.
  private Object[] owners;
  private int[] address4;
  private long[] address6Hi;
  private long[] address6Lo;

  private int entriesUsed;
  private int freeEntry = NO_ENTRY;

  /**
   * @param wide whether addresses may exceed 64 bits (IPv6)
   */
  OwnerIndex(boolean wide) {
    this.wide = wide;
    slots = new long[MIN_CAPACITY];
    owners = new Object[MIN_CAPACITY];
    if (wide) {
      address6Hi = new long[MIN_CAPACITY];
      address6Lo = new long[MIN_CAPACITY];
    } else {
      address4 = new int[MIN_CAPACITY];
    }
  }

  private static int tagOf(Object owner) {
    int h = owner.hashCode() * 0x9E3779B9;
    return (h ^ (h >>> 16)) | OCCUPIED;
  }

  private static int tag(long slot) {
    return (int) (slot >>> 32);
  }

  private static int entry(long slot) {
    return (int) slot;
  }

  /** The slot that holds owner, or -1. */
  int find(Object owner) {
    int tag = tagOf(owner);
    int mask = slots.length - 1;
    for (int i = tag & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (tag(slots[i]) == tag && owners[entry(slots[i])].equals(owner)) {
        return i;
      }
    }
    return -1;
  }

  long hiAt(int slot) {
    return wide ? address6Hi[entry(slots[slot])] : 0;
  }

  long loAt(int slot) {
    int entry = entry(slots[slot]);
    return wide ? address6Lo[entry] : Integer.toUnsignedLong(address4[entry]);
  }

  /** Makes room for this many owners at once (a rebuild), so the table does not grow stepwise. */
  void ensureCapacity(int owners) {
    int capacity = slots.length;
    while ((long) owners * 4 > (long) capacity * 3) {
      capacity *= 2;
    }
    if (capacity != slots.length) {
      rehash(capacity);
    }
  }

  /** Adds an owner that is not present. */
  void put(Object owner, long startHi, long startLo) {
    if ((size + 1) * 4 > slots.length * 3) {
      rehash(slots.length * 2);
    }
    int entry = newEntry();
    owners[entry] = owner;
    if (wide) {
      address6Hi[entry] = startHi;
      address6Lo[entry] = startLo;
    } else {
      address4[entry] = (int) startLo;
    }
    place(((long) tagOf(owner) << 32) | entry);
    size++;
  }

  private void place(long slotValue) {
    int mask = slots.length - 1;
    int i = tag(slotValue) & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = slotValue;
  }

  private int newEntry() {
    if (freeEntry != NO_ENTRY) {
      int entry = freeEntry;
      freeEntry = wide ? (int) address6Lo[entry] : address4[entry];
      return entry;
    }
    if (entriesUsed == owners.length) {
      // Growth by half, not doubling: a power-of-two array of several MB wastes most of a region
      // under G1, whose humongous objects take whole regions and an array header tips it over.
      int capacity = owners.length + owners.length / 2;
      owners = Arrays.copyOf(owners, capacity);
      if (wide) {
        address6Hi = Arrays.copyOf(address6Hi, capacity);
        address6Lo = Arrays.copyOf(address6Lo, capacity);
      } else {
        address4 = Arrays.copyOf(address4, capacity);
      }
    }
    return entriesUsed++;
  }

  private void freeEntry(int entry) {
    owners[entry] = null;
    if (wide) {
      address6Lo[entry] = freeEntry;
    } else {
      address4[entry] = freeEntry;
    }
    freeEntry = entry;
  }

  void removeAt(int slot) {
    freeEntry(entry(slots[slot]));
    int mask = slots.length - 1;
    int gap = slot;
    slots[gap] = 0;
    size--;
    // Backward shift: move later entries of the probe run into the gap when their home slot allows
    // it.
    for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
      int home = tag(slots[i]) & mask;
      boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
      if (movable) {
        slots[gap] = slots[i];
        slots[i] = 0;
        gap = i;
      }
    }
    if (slots.length > MIN_CAPACITY && size * 4 < slots.length) {
      rehash(slots.length / 2);
    }
  }

  private void rehash(int capacity) {
    long[] old = slots;
    slots = new long[capacity];
    for (long slotValue : old) {
      if (slotValue != 0) {
        place(slotValue);
      }
    }
  }
}
