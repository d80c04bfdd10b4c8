package org.ipam.incluster.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.pool.IPPoolAddresses;
import org.ipam.incluster.pool.IpSet;

/**
 * An IP pool's spec as the engine serves it, read once per generation: the allocator's spec
 * (upstream's allocatable set, lowest address first), what every IPAddress carries (prefix and
 * gateway), and why the pool cannot serve, if it cannot (null when it can). A pool that cannot
 * serve hands out nothing new and keeps everything it holds.
 *
 * @param problem the user's text for what is wrong, naming field and value; null for a usable pool
 */
record InClusterPoolSpec(PoolSpec allocator, Integer prefix, Ip gateway, String problem) {

  static InClusterPoolSpec of(InClusterIPPoolSpec spec) {
    IpSet allocatable = spec == null ? IpSet.EMPTY : IPPoolAddresses.allocatable(spec);
    Integer prefix = spec == null ? null : spec.getPrefix();
    Ip gateway = spec == null ? null : IPPoolAddresses.gateway(spec);
    Set<IpFamily> families = allocatable.families();
    if (allocatable.isEmpty()) {
      return new InClusterPoolSpec(
          PoolSpec.of(IpFamily.IPV4, List.of()),
          prefix,
          gateway,
          "spec.addresses "
              + (spec == null ? "[]" : spec.getAddresses())
              + " leaves no address to hand out (after excludedAddresses, the gateway and the"
              + " subnet's reserved addresses)");
    }
    IpFamily family = allocatable.lowest().orElseThrow().family();
    if (families.size() > 1) {
      return new InClusterPoolSpec(
          PoolSpec.of(family, List.of()),
          prefix,
          gateway,
          "spec.addresses " + spec.getAddresses() + " mixes IPv4 and IPv6");
    }
    List<Segment> segments = new ArrayList<>();
    for (IpRange range : allocatable.ranges()) {
      segments.add(new Segment(range, null, prefix, gateway, List.of()));
    }
    return new InClusterPoolSpec(PoolSpec.of(family, segments), prefix, gateway, null);
  }
}
