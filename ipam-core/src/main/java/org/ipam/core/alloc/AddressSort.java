package org.ipam.core.alloc;

/**
 * A stable least-significant-digit radix sort of allocations by their unsigned 128-bit start, the
 * other columns moved along. Why radix: a rebuild sorts up to millions of allocations, and keys of
 * one pool share most of their bytes (an IPv4 /8 varies in three of sixteen), so the passes over
 * constant bytes are skipped and what remains is a few linear passes. Stable, so allocations with
 * the same start keep their input (creation) order.
 */
final class AddressSort {
  private static final int RADIX = 256;

  /** The columns of n allocations; sorting permutes all of them together. */
  static final class Columns {
    long[] startHi;
    long[] startLo;
    long[] endHi;
    long[] endLo;
    int[] input;

    Columns(int n) {
      startHi = new long[n];
      startLo = new long[n];
      endHi = new long[n];
      endLo = new long[n];
      input = new int[n];
    }

    int size() {
      return input.length;
    }
  }

  private AddressSort() {}

  /** Sorts the columns by start, ascending and stable. */
  static void byStart(Columns columns) {
    Columns from = columns;
    Columns to = new Columns(columns.size());
    for (int digit = 0; digit < 16; digit++) {
      long[] keys = digit < 8 ? from.startLo : from.startHi;
      int shift = (digit % 8) * 8;
      int[] offsets = new int[RADIX + 1];
      for (long key : keys) {
        offsets[(int) ((key >>> shift) & 0xFF) + 1]++;
      }
      if (isSingleBucket(offsets, keys.length)) {
        continue;
      }
      for (int b = 0; b < RADIX; b++) {
        offsets[b + 1] += offsets[b];
      }
      for (int i = 0; i < keys.length; i++) {
        int at = offsets[(int) ((keys[i] >>> shift) & 0xFF)]++;
        to.startHi[at] = from.startHi[i];
        to.startLo[at] = from.startLo[i];
        to.endHi[at] = from.endHi[i];
        to.endLo[at] = from.endLo[i];
        to.input[at] = from.input[i];
      }
      Columns swap = from;
      from = to;
      to = swap;
    }
    if (from != columns) {
      columns.startHi = from.startHi;
      columns.startLo = from.startLo;
      columns.endHi = from.endHi;
      columns.endLo = from.endLo;
      columns.input = from.input;
    }
  }

  private static boolean isSingleBucket(int[] counts, int n) {
    for (int b = 1; b <= RADIX; b++) {
      if (counts[b] == n) {
        return true;
      }
      if (counts[b] != 0) {
        return false;
      }
    }
    return true;
  }
}
