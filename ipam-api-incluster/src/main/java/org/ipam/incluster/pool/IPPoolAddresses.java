package org.ipam.incluster.pool;

import java.util.Optional;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;

/**
 * What an IP pool's spec hands out, as upstream's {@code PoolSpecToIPSet} computes it
 * (reference/incluster.md 2.1): the addresses, less the excluded ones, less the inferred subnet's
 * network address (and IPv4 broadcast address) unless {@code allocateReservedIPAddresses}, less the
 * gateway. Pure functions; invalid entries are left out (the webhook refuses them, and a pool
 * admitted without the webhook serves what is valid).
 */
public final class IPPoolAddresses {
  private IPPoolAddresses() {}

  /** The addresses the pool may hand out. */
  public static IpSet allocatable(InClusterIPPoolSpec spec) {
    IpSet addresses = AddressSyntax.toSet(spec.getAddresses());
    IpSet allocatable = addresses.minus(AddressSyntax.toSet(spec.getExcludedAddresses()));
    if (!Boolean.TRUE.equals(spec.getAllocateReservedIPAddresses())) {
      Optional<Cidr> subnet = inferredSubnet(addresses, spec.getPrefix());
      if (subnet.isPresent()) {
        allocatable = allocatable.minus(subnet.get().network());
        if (subnet.get().family() == IpFamily.IPV4) {
          allocatable = allocatable.minus(subnet.get().last());
        }
      }
    }
    Ip gateway = gateway(spec);
    return gateway == null ? allocatable : allocatable.minus(gateway);
  }

  /**
   * The subnet of the pool: its lowest address (before exclusions) with {@code spec.prefix},
   * masked; empty when no address is valid or the prefix does not fit the family. Only this one
   * subnet's network and broadcast addresses are reserved, as upstream.
   */
  public static Optional<Cidr> inferredSubnet(InClusterIPPoolSpec spec) {
    return inferredSubnet(AddressSyntax.toSet(spec.getAddresses()), spec.getPrefix());
  }

  private static Optional<Cidr> inferredSubnet(IpSet addresses, Integer prefix) {
    Optional<Ip> lowest = addresses.lowest();
    if (lowest.isEmpty() || prefix == null || prefix < 0 || prefix > lowest.get().family().bits()) {
      return Optional.empty();
    }
    return Optional.of(new Cidr(lowest.get(), prefix).masked());
  }

  /** The gateway, when set and valid. */
  public static Ip gateway(InClusterIPPoolSpec spec) {
    String gateway = spec.getGateway();
    if (gateway == null || gateway.isEmpty()) {
      return null;
    }
    return AddressSyntax.parseAddress(gateway) instanceof Parsed.Valid<Ip> valid
        ? valid.value()
        : null;
  }
}
