package org.ipam.incluster.pool;

import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;

/**
 * The address strings of the in-cluster pools ({@code addresses}, {@code excludedAddresses}, {@code
 * excludedPrefixes}, {@code gateway}), read as upstream's {@code AddressToIPSet} reads them
 * (reference/incluster.md 1.5), strictly otherwise (no octal, hex or inet_aton forms):
 *
 * <ul>
 *   <li>with a {@code -}: a range {@code a-b} of one family, {@code a <= b} ({@code a-a} is one
 *       address; {@code a/b-c}, {@code a-b-} and {@code a-b-c} are not ranges);
 *   <li>else with a {@code /}: a CIDR, whose host bits are masked ({@code 192.168.1.1/24} is {@code
 *       192.168.1.0/24}); no zone;
 *   <li>else a single address.
 * </ul>
 *
 * An IPv6 address may carry a zone ({@code fe80::1%eth0}), which is dropped. An IPv4-mapped IPv6
 * address ({@code ::ffff:1.2.3.4}) is IPv6.
 */
public final class AddressSyntax {
  private AddressSyntax() {}

  /** One entry as the addresses it names. */
  public static Parsed<IpRange> parseEntry(String text) {
    if (text != null && text.indexOf('-') >= 0) {
      return parseRange(text);
    }
    if (text != null && text.indexOf('/') >= 0) {
      return parseCidr(text).map(Cidr::range);
    }
    return parseAddress(text).map(IpRange::single);
  }

  /** A single address; an IPv6 zone is dropped, as Go's {@code netip.ParseAddr} allows one. */
  public static Parsed<Ip> parseAddress(String text) {
    int percent = text == null ? -1 : text.indexOf('%');
    if (percent < 0) {
      return IpParser.parseAddress(text);
    }
    String address = text.substring(0, percent);
    if (percent == text.length() - 1) {
      return Parsed.invalid(text, "is not an IP address: its zone is empty");
    }
    Parsed<Ip> parsed = IpParser.parseAddress(address);
    if (parsed instanceof Parsed.Valid<Ip> valid && valid.value().family() == IpFamily.IPV6) {
      return parsed;
    }
    return Parsed.invalid(text, "is not an IP address (only an IPv6 address may carry a zone)");
  }

  /** {@code address/length} as written, host bits kept: callers mask or refuse them. */
  public static Parsed<Cidr> parseCidr(String text) {
    return IpParser.parseCidr(text);
  }

  /** {@code first-last}: split at the first {@code -}, both ends addresses of one family. */
  public static Parsed<IpRange> parseRange(String text) {
    int dash = text.indexOf('-');
    Parsed<Ip> first = parseAddress(text.substring(0, dash));
    Parsed<Ip> last = parseAddress(text.substring(dash + 1));
    if (first instanceof Parsed.Invalid<Ip> invalid) {
      return Parsed.invalid(text, "is not a range: its first address " + invalid.message());
    }
    if (last instanceof Parsed.Invalid<Ip> invalid) {
      return Parsed.invalid(text, "is not a range: its last address " + invalid.message());
    }
    Ip from = first.orElseThrow();
    Ip to = last.orElseThrow();
    if (from.family() != to.family()) {
      return Parsed.invalid(
          text, "is not a range: it runs from " + from.family() + " to " + to.family());
    }
    if (from.compareTo(to) > 0) {
      return Parsed.invalid(text, "is not a range: it ends before it starts");
    }
    return Parsed.valid(new IpRange(from, to));
  }

  /**
   * Every valid entry's addresses, merged; invalid entries are left out (the webhook names them).
   */
  public static IpSet toSet(List<String> entries) {
    if (entries == null) {
      return IpSet.EMPTY;
    }
    List<IpRange> ranges = new ArrayList<>(entries.size());
    for (String entry : entries) {
      if (parseEntry(entry) instanceof Parsed.Valid<IpRange> valid) {
        ranges.add(valid.value());
      }
    }
    return IpSet.of(ranges);
  }
}
