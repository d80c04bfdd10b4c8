package org.ipam.core.net;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * Strict parsing of the address forms the dialects accept. Refused on purpose: inet_aton forms
 * ({@code 10.1}, {@code 0x0a.1.1.1}), IPv4 leading zeros ({@code 010.1.1.1}, which some parsers
 * read as octal), the empty string (which ipaddress would read as loopback), wildcards, zones
 * ({@code fe80::1%eth0}) and surrounding white space.
 */
public final class IpParser {
  private static final IPAddressStringParameters STRICT = strictParameters();

  private IpParser() {}

  public static Parsed<Ip> parseAddress(String text) {
    if (text == null || text.isEmpty()) {
      return Parsed.invalid(String.valueOf(text), "is not an IP address: it is empty");
    }
    if (text.indexOf('/') >= 0 || text.indexOf('-') >= 0 || text.indexOf('%') >= 0) {
      return Parsed.invalid(text, "is not an IP address");
    }
    if (text.chars().anyMatch(Character::isWhitespace)) {
      return Parsed.invalid(text, "is not an IP address: it contains white space");
    }
    IPAddress parsed = new IPAddressString(text, STRICT).getAddress();
    if (parsed == null || parsed.isMultiple() || parsed.isPrefixed()) {
      return Parsed.invalid(text, "is not an IP address");
    }
    return Parsed.valid(toIp(parsed));
  }

  /** {@code address/prefix}; the address keeps its host bits. */
  public static Parsed<Cidr> parseCidr(String text) {
    if (text == null) {
      return Parsed.invalid("null", "is not a CIDR");
    }
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      return Parsed.invalid(text, "is not a CIDR: expected address/prefix");
    }
    Parsed<Ip> address = parseAddress(text.substring(0, slash));
    if (!(address instanceof Parsed.Valid<Ip> valid)) {
      return Parsed.invalid(text, "is not a CIDR: its address is not an IP address");
    }
    String prefix = text.substring(slash + 1);
    int bits = valid.value().family().bits();
    if (!prefix.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefix) > bits) {
      return Parsed.invalid(text, "is not a CIDR: the prefix length must be 0.." + bits);
    }
    return Parsed.valid(new Cidr(valid.value(), Integer.parseInt(prefix)));
  }

  /** {@code first-last}, both addresses of one family, first not after last. */
  public static Parsed<IpRange> parseRange(String text) {
    if (text == null) {
      return Parsed.invalid("null", "is not an address range");
    }
    int dash = text.indexOf('-');
    if (dash < 0 || dash != text.lastIndexOf('-')) {
      return Parsed.invalid(text, "is not an address range: expected first-last");
    }
    Parsed<Ip> first = parseAddress(text.substring(0, dash));
    Parsed<Ip> last = parseAddress(text.substring(dash + 1));
    if (!(first instanceof Parsed.Valid<Ip> from) || !(last instanceof Parsed.Valid<Ip> to)) {
      return Parsed.invalid(text, "is not an address range: both ends must be IP addresses");
    }
    if (from.value().family() != to.value().family()) {
      return Parsed.invalid(text, "is not an address range: it mixes IPv4 and IPv6");
    }
    if (from.value().compareTo(to.value()) > 0) {
      return Parsed.invalid(text, "is not an address range: it ends before it starts");
    }
    return Parsed.valid(new IpRange(from.value(), to.value()));
  }

  /** A single address, an {@code a-b} range or a CIDR, told apart by their separators. */
  public static Parsed<AddressEntry> parseEntry(String text) {
    if (text != null && text.indexOf('-') >= 0) {
      return parseRange(text).map(AddressEntry.Range::new);
    }
    if (text != null && text.indexOf('/') >= 0) {
      return parseCidr(text).map(AddressEntry.Block::new);
    }
    return parseAddress(text).map(AddressEntry.Single::new);
  }

  private static Ip toIp(IPAddress address) {
    byte[] bytes = address.getBytes();
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < bytes.length; i++) {
      long b = bytes[i] & 0xffL;
      if (bytes.length == 16 && i < 8) {
        hi = (hi << 8) | b;
      } else {
        lo = (lo << 8) | b;
      }
    }
    return new Ip(bytes.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6, hi, lo);
  }

  private static IPAddressStringParameters strictParameters() {
    IPAddressStringParameters.Builder builder =
        new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .setEmptyAsLoopback(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false);
    builder
        .getIPv4AddressParametersBuilder()
        .allowLeadingZeros(false)
        .allowUnlimitedLeadingZeros(false)
        .allowBinary(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE);
    builder
        .getIPv6AddressParametersBuilder()
        .allowZone(false)
        .allowEmptyZone(false)
        .allowBinary(false)
        .allowBase85(false)
        .allowUnlimitedLeadingZeros(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE);
    return builder.toParams();
  }
}
