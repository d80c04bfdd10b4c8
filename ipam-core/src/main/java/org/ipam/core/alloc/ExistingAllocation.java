package org.ipam.core.alloc;

import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * An allocation read back from the API (an address object, a status entry) to rebuild a pool from.
 */
public record ExistingAllocation(String owner, IpRange addresses) {
  public static ExistingAllocation of(String owner, Ip address) {
    return new ExistingAllocation(owner, IpRange.single(address));
  }
}
