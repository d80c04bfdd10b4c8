package org.ipam.core.alloc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;

/**
 * Everything a pool allocator is built from. {@code preAllocations}: owner to the address reserved
 * for it, which no other owner can take and which stays reserved after its owner releases it.
 * {@code preferred}: owner to an address it should get back if it is free (Harvester's allocation
 * history); advisory only. {@code randomSeed} seeds the generator of the {@link OrderPolicy#RANDOM}
 * order, which lives as long as the allocator: the same seed and the same requests give the same
 * addresses. Callers that want unpredictable addresses pass a random seed (e.g. {@code new
 * SecureRandom().nextLong()}); tests pass a fixed one.
 */
public record PoolSpec(
    IpFamily family,
    List<Segment> segments,
    ReservedAddresses reserved,
    Map<String, Ip> preAllocations,
    Map<String, Ip> preferred,
    OrderPolicy order,
    long randomSeed) {

  public PoolSpec {
    segments = List.copyOf(segments);
    reserved = reserved == null ? ReservedAddresses.NONE : reserved;
    preAllocations = Map.copyOf(preAllocations == null ? Map.of() : preAllocations);
    preferred = Map.copyOf(preferred == null ? Map.of() : preferred);
    order = order == null ? OrderPolicy.LOWEST_FIRST : order;
    for (Segment segment : segments) {
      requireFamily(family, segment.range().first(), "segment " + segment.range());
    }
    Map<Ip, String> owners = new HashMap<>();
    for (Map.Entry<String, Ip> entry : new LinkedHashMap<>(preAllocations).entrySet()) {
      requireFamily(family, entry.getValue(), "pre-allocation of " + entry.getKey());
      String other = owners.putIfAbsent(entry.getValue(), entry.getKey());
      if (other != null) {
        String first = other.compareTo(entry.getKey()) < 0 ? other : entry.getKey();
        String second = first.equals(other) ? entry.getKey() : other;
        throw new IllegalArgumentException(
            entry.getValue() + " is pre-allocated twice, to " + first + " and " + second);
      }
    }
  }

  /** A pool of these segments with no reservations, lowest address first. */
  public static PoolSpec of(IpFamily family, List<Segment> segments) {
    return new PoolSpec(
        family, segments, ReservedAddresses.NONE, Map.of(), Map.of(), OrderPolicy.LOWEST_FIRST, 0);
  }

  public PoolSpec withReserved(ReservedAddresses reservedAddresses) {
    return new PoolSpec(
        family, segments, reservedAddresses, preAllocations, preferred, order, randomSeed);
  }

  public PoolSpec withPreAllocations(Map<String, Ip> byOwner) {
    return new PoolSpec(family, segments, reserved, byOwner, preferred, order, randomSeed);
  }

  public PoolSpec withPreferred(Map<String, Ip> byOwner) {
    return new PoolSpec(family, segments, reserved, preAllocations, byOwner, order, randomSeed);
  }

  public PoolSpec withOrder(OrderPolicy orderPolicy, long seed) {
    return new PoolSpec(family, segments, reserved, preAllocations, preferred, orderPolicy, seed);
  }

  private static void requireFamily(IpFamily family, Ip address, String what) {
    if (address.family() != family) {
      throw new IllegalArgumentException(
          what + " is " + address.family() + " in a " + family + " pool");
    }
  }
}
