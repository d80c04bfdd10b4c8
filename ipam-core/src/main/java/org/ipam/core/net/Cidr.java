package org.ipam.core.net;

/**
 * A CIDR as written: an address and a prefix length. {@code 192.168.1.10/24} keeps its host bits
 * ({@link #hasHostBits()}); whether to mask them ({@link #masked()}) or reject the text is the
 * dialect's decision, because the upstream controllers differ.
 */
public record Cidr(Ip address, int prefixLength) {
  public Cidr {
    if (prefixLength < 0 || prefixLength > address.family().bits()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is outside 0.." + address.family().bits());
    }
  }

  public IpFamily family() {
    return address.family();
  }

  /** The first address of the subnet: the network address. */
  public Ip network() {
    int hostBits = family().bits() - prefixLength;
    return new Ip(
        family(), address.hi() & ~U128.highMask(hostBits), address.lo() & ~U128.lowMask(hostBits));
  }

  /** The last address of the subnet: the IPv4 broadcast address. */
  public Ip last() {
    int hostBits = family().bits() - prefixLength;
    return new Ip(
        family(), address.hi() | U128.highMask(hostBits), address.lo() | U128.lowMask(hostBits));
  }

  public boolean hasHostBits() {
    return !network().equals(address);
  }

  public Cidr masked() {
    return new Cidr(network(), prefixLength);
  }

  /** Every address of the subnet, network and broadcast included. */
  public IpRange range() {
    return new IpRange(network(), last());
  }

  public boolean contains(Ip ip) {
    return range().contains(ip);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
