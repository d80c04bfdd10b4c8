package org.ipam.core.net;

/**
 * Unsigned 128-bit arithmetic on (hi, lo) pairs of longs, without allocation: the allocator's hot
 * paths work on these pairs directly. IPv4 values are pairs with {@code hi == 0}.
 */
public final class U128 {
  private U128() {}

  public static int compare(long aHi, long aLo, long bHi, long bLo) {
    int byHi = Long.compareUnsigned(aHi, bHi);
    return byHi != 0 ? byHi : Long.compareUnsigned(aLo, bLo);
  }

  /** The high word of the mask that has the low {@code bits} bits set (0..128). */
  public static long highMask(int bits) {
    if (bits <= 64) {
      return 0;
    }
    return bits >= 128 ? -1L : (1L << (bits - 64)) - 1;
  }

  /** The low word of the mask that has the low {@code bits} bits set (0..128). */
  public static long lowMask(int bits) {
    if (bits >= 64) {
      return -1L;
    }
    return (1L << bits) - 1;
  }

  /** The high word of (hi, lo) + 1; the low word is {@code lo + 1}. Wraps at 2^128. */
  public static long incHigh(long hi, long lo) {
    return lo == -1L ? hi + 1 : hi;
  }

  /** The high word of (hi, lo) - 1; the low word is {@code lo - 1}. Wraps below 0. */
  public static long decHigh(long hi, long lo) {
    return lo == 0 ? hi - 1 : hi;
  }

  /** The high word of (aHi, aLo) + (bHi, bLo); the low word is {@code aLo + bLo}. */
  public static long addHigh(long aHi, long aLo, long bHi, long bLo) {
    return aHi + bHi + (Long.compareUnsigned(aLo + bLo, aLo) < 0 ? 1 : 0);
  }

  /** The high word of (aHi, aLo) - (bHi, bLo); the low word is {@code aLo - bLo}. */
  public static long subHigh(long aHi, long aLo, long bHi, long bLo) {
    return aHi - bHi - (Long.compareUnsigned(aLo, bLo) < 0 ? 1 : 0);
  }
}
