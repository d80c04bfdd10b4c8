package org.ipam.core.net;

/**
 * One entry of an address list as users write them: a single address, an {@code a-b} range or a
 * CIDR. The dialect decides what a CIDR with host bits means ({@link Cidr#hasHostBits()}).
 */
public sealed interface AddressEntry {
  /** Every address the entry names; a CIDR names its whole subnet, host bits masked. */
  IpRange range();

  record Single(Ip address) implements AddressEntry {
    @Override
    public IpRange range() {
      return IpRange.single(address);
    }
  }

  record Range(IpRange range) implements AddressEntry {}

  record Block(Cidr cidr) implements AddressEntry {
    @Override
    public IpRange range() {
      return cidr.range();
    }
  }
}
