package org.ipam.core.net;

import java.math.BigInteger;

/** The addresses from {@code first} to {@code last}, both included, of one family. */
public record IpRange(Ip first, Ip last) {
  public IpRange {
    if (first.family() != last.family()) {
      throw new IllegalArgumentException("range " + first + "-" + last + " mixes IPv4 and IPv6");
    }
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("range " + first + "-" + last + " ends before it starts");
    }
  }

  public static IpRange single(Ip address) {
    return new IpRange(address, address);
  }

  public IpFamily family() {
    return first.family();
  }

  public boolean contains(Ip address) {
    return address.family() == family()
        && first.compareTo(address) <= 0
        && address.compareTo(last) <= 0;
  }

  public boolean contains(IpRange other) {
    return contains(other.first) && contains(other.last);
  }

  public boolean overlaps(IpRange other) {
    return other.family() == family()
        && first.compareTo(other.last) <= 0
        && other.first.compareTo(last) <= 0;
  }

  /** How many addresses, exactly (a /64 has 2^64). */
  public BigInteger size() {
    return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return first.equals(last) ? first.toString() : first + "-" + last;
  }
}
