package org.ipam.core.alloc;

import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * An allocation read back from the API (an address object, a status entry) to rebuild a pool from.
 * {@code reservationKey} is the name its owner's pre-allocation is keyed by (usually the owner
 * itself): an allocation on an address pre-allocated to that key is no conflict.
 */
public record ExistingAllocation(String owner, IpRange addresses, String reservationKey) {
  public ExistingAllocation(String owner, IpRange addresses) {
    this(owner, addresses, owner);
  }

  public static ExistingAllocation of(String owner, Ip address) {
    return new ExistingAllocation(owner, IpRange.single(address));
  }
}
