package org.ipam.core.alloc;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * Addresses no policy hands out, as a dialect's rules say: the network address of each listed
 * subnet (for IPv6 the subnet-router anycast address, which is the same value) and, for IPv4, its
 * broadcast address; gateways; an excluded list. {@code allocateReserved} is the "hand out network
 * and broadcast too" switch (the in-cluster provider's {@code allocateReservedIPAddresses});
 * gateways and exclusions stay reserved either way. A specific request or a rebuilt allocation may
 * still name a reserved address: the first is refused, the second is kept and counted out of range.
 */
public record ReservedAddresses(
    List<Cidr> networkAndBroadcastOf,
    boolean allocateReserved,
    List<Ip> gateways,
    List<IpRange> excluded) {
  public static final ReservedAddresses NONE =
      new ReservedAddresses(List.of(), false, List.of(), List.of());

  public ReservedAddresses {
    networkAndBroadcastOf = List.copyOf(networkAndBroadcastOf);
    gateways = List.copyOf(gateways);
    excluded = List.copyOf(excluded);
  }

  /** Every reserved address as ranges (possibly overlapping). */
  List<IpRange> ranges() {
    List<IpRange> all = new ArrayList<>(excluded);
    gateways.forEach(gateway -> all.add(IpRange.single(gateway)));
    if (!allocateReserved) {
      for (Cidr subnet : networkAndBroadcastOf) {
        all.add(IpRange.single(subnet.network()));
        if (subnet.address().isV4()) {
          all.add(IpRange.single(subnet.last()));
        }
      }
    }
    return all;
  }
}
