package org.ipam.metal3.adapter;

import org.ipam.core.net.Ip;

/**
 * IPAddress object names as upstream forms them: {@code namePrefix-} plus the canonical address
 * with dots and colons turned into dashes, trailing dashes trimmed ({@code pool-2001-db8--1}).
 * Equal addresses always give equal names, whatever text they were written in: that is what makes
 * the create of an IPAddress the allocation's lock.
 */
public final class AddressNames {
  private AddressNames() {}

  public static String of(String namePrefix, Ip address) {
    String name = namePrefix + "-" + address.toString().replace(':', '-').replace('.', '-');
    int end = name.length();
    while (end > 0 && name.charAt(end - 1) == '-') {
      end--;
    }
    return name.substring(0, end);
  }
}
