package org.ipam.metal3.adapter;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;

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

  /**
   * Whether {@link #of} gives this name for some address with this prefix. The address is read back
   * from the name and the name formed again, because trimming makes a plain prefix test wrong: the
   * address {@code ::} gives {@code pool} itself, without {@code pool-}.
   */
  public static boolean follows(String namePrefix, String name) {
    for (Ip candidate : candidates(namePrefix, name)) {
      if (of(namePrefix, candidate).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The addresses the name could have been formed from (trimmed colons put back). */
  private static List<Ip> candidates(String namePrefix, String name) {
    List<String> texts = new ArrayList<>();
    texts.add("::");
    String start = namePrefix + "-";
    if (name.startsWith(start)) {
      String rest = name.substring(start.length());
      texts.add(rest.replace('-', '.'));
      String v6 = rest.replace('-', ':');
      // An IPv6 address ending in "::" loses its colons (and the dash before them) to the trim.
      texts.add(v6);
      texts.add(v6 + ":");
      texts.add(v6 + "::");
    }
    List<Ip> addresses = new ArrayList<>();
    for (String text : texts) {
      Parsed<Ip> parsed = IpParser.parseAddress(text);
      if (parsed.isValid()) {
        addresses.add(parsed.orElseThrow());
      }
    }
    return addresses;
  }
}
