package org.ipam.core.net;

import java.math.BigInteger;

/**
 * One IP address: its family and its value as an unsigned 128-bit number split into two longs. IPv4
 * addresses use the low 32 bits only, so both families share every piece of arithmetic. Ordered by
 * family (IPv4 first), then value.
 */
public record Ip(IpFamily family, long hi, long lo) implements Comparable<Ip> {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  public Ip {
    if (family == IpFamily.IPV4 && (hi != 0 || (lo >>> 32) != 0)) {
      throw new IllegalArgumentException("an IPv4 address has 32 bits: " + hi + "/" + lo);
    }
  }

  public static Ip v4(long value) {
    return new Ip(IpFamily.IPV4, 0, value);
  }

  public static Ip v6(long hi, long lo) {
    return new Ip(IpFamily.IPV6, hi, lo);
  }

  public static Ip of(IpFamily family, BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > family.bits()) {
      throw new IllegalArgumentException(value + " is not a " + family + " address value");
    }
    return new Ip(family, value.shiftRight(64).longValue(), value.longValue());
  }

  /**
   * Parses with {@link IpParser#parseAddress}; for code and tests whose text is known to be valid.
   */
  public static Ip parse(String text) {
    return IpParser.parseAddress(text).orElseThrow();
  }

  public boolean isV4() {
    return family == IpFamily.IPV4;
  }

  public BigInteger toBigInteger() {
    BigInteger low = new BigInteger(Long.toUnsignedString(lo));
    return hi == 0 ? low : new BigInteger(Long.toUnsignedString(hi)).multiply(TWO_64).add(low);
  }

  /** The address {@code delta} after this one; fails past the end of the family. */
  public Ip plus(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("negative delta " + delta);
    }
    long newLo = lo + delta;
    long newHi = hi + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
    boolean overflow =
        isV4() ? (newHi != 0 || (newLo >>> 32) != 0) : Long.compareUnsigned(newHi, hi) < 0;
    if (overflow) {
      throw new ArithmeticException(
          this + " + " + delta + " is past the last " + family + " address");
    }
    return new Ip(family, newHi, newLo);
  }

  @Override
  public int compareTo(Ip other) {
    if (family != other.family) {
      return family.compareTo(other.family);
    }
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  /**
   * Canonical text: dotted quad for IPv4, RFC 5952 for IPv6 (what Go's {@code netip.Addr.String()}
   * prints).
   */
  @Override
  public String toString() {
    return isV4() ? dotted(lo) : Rfc5952.format(hi, lo);
  }

  static String dotted(long value) {
    return ((value >>> 24) & 0xff)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }
}
