package org.ipam.core.alloc;

import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * What an owner holds: one address, or an aligned block of {@code blockPrefixLength}, and the
 * segment it came from (null for a rebuilt allocation that lies outside every segment). The
 * segment's prefix, gateway and DNS servers are the values to report with it.
 */
public record Allocation(String owner, IpRange addresses, int blockPrefixLength, Segment segment)
    implements AllocationResult {

  /** The address, or the first address of a block. */
  public Ip address() {
    return addresses.first();
  }

  public boolean isBlock() {
    return !addresses.first().equals(addresses.last());
  }

  /** The block as a CIDR ({@code /32} or {@code /128} for a single address). */
  public Cidr block() {
    return new Cidr(addresses.first(), blockPrefixLength);
  }

  @Override
  public boolean succeeded() {
    return true;
  }
}
