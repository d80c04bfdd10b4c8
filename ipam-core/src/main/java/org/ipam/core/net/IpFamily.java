package org.ipam.core.net;

/** The two address families, with their width in bits. */
public enum IpFamily {
  IPV4(32),
  IPV6(128);

  private final int bits;

  IpFamily(int bits) {
    this.bits = bits;
  }

  public int bits() {
    return bits;
  }

  @Override
  public String toString() {
    return this == IPV4 ? "IPv4" : "IPv6";
  }
}
