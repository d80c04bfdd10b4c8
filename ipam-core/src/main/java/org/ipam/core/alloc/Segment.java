package org.ipam.core.alloc;

import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * One piece of a pool, in declaration order: the addresses it hands out ({@code range}) and what an
 * allocation from it carries. {@code subnet} is optional: where given, a pre-allocation anywhere in
 * it is accepted even outside the range (Metal3 pools whose pre-allocations sit beside start..end).
 * {@code prefixLength} and {@code gateway} may be null; {@code dnsServers} may be empty.
 */
public record Segment(
    IpRange range, Cidr subnet, Integer prefixLength, Ip gateway, List<Ip> dnsServers) {
  public Segment {
    dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    if (subnet != null && subnet.family() != range.family()) {
      throw new IllegalArgumentException(
          "segment " + range + " has a subnet of the other family: " + subnet);
    }
  }

  public static Segment of(IpRange range) {
    return new Segment(range, null, null, null, List.of());
  }

  /**
   * A whole CIDR, network and broadcast included; reserve them through {@link ReservedAddresses}.
   */
  public static Segment of(Cidr cidr) {
    return new Segment(cidr.masked().range(), cidr.masked(), cidr.prefixLength(), null, List.of());
  }

  /** Whether a pre-allocation of this address belongs to this segment. */
  public boolean accepts(Ip address) {
    return range.contains(address) || (subnet != null && subnet.contains(address));
  }
}
