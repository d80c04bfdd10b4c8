package org.ipam.incluster.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The entry syntax of reference/incluster.md 1.5, with upstream's vectors (parse-001..004 are
 * upstream's AddressesToIPSet and AddressStrParses cases; ipset-count-001 its IPSetCount table).
 */
class AddressSyntaxTest {
  private static IpRange range(String text) {
    return AddressSyntax.parseEntry(text).orElseThrow();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "192.168.1.2, 192.168.1.2",
    "192.168.1.2-192.168.1.4, 192.168.1.2-192.168.1.4",
    "192.168.1.2-192.168.1.2, 192.168.1.2",
    "192.168.1.2/24, 192.168.1.0-192.168.1.255",
    "192.168.1.1/32, 192.168.1.1",
    "0.0.0.0/0, 0.0.0.0-255.255.255.255",
    "fe80::1, fe80::1",
    "fe80::1-fe80::3, fe80::1-fe80::3",
    "fe80::1/64, fe80::-fe80::ffff:ffff:ffff:ffff",
    "FE80::A, fe80::a",
    "fd01::0, fd01::",
    "fe80::1%eth0, fe80::1",
    "fe80::1%eth0-fe80::5%eth1, fe80::1-fe80::5",
    "::ffff:1.2.3.4, ::ffff:1.2.3.4",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
  })
  void validEntries(String text, String expected) {
    assertThat(range(text).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "",
        "192.168.1.2.4",
        "192.168.1.2612",
        "192.168.1.4-192.168.1.1",
        "192.168.1.2/33",
        "192.168.1.2-192.168.1.4-",
        "192.168.1.2-192.168.1.4-192.168.1.9",
        "192.168.1.4/21-192.168.1.2",
        "192.168.1.4/-192.168.1.2",
        "fe80::zzzz",
        "fe80::3-fe80::1",
        "fe80::1/129",
        "fe80::1%",
        "fe80::1%eth0/64",
        "1.2.3.4%eth0",
        "10.0.0.1-fe80::1",
        "::ffff:1.2.3.4-1.2.3.5",
        "010.0.0.1",
        "10.1",
        " 10.0.0.1",
        "10.0.0.1/024",
        "10.0.0.1/",
        "-",
        "/24",
      })
  void invalidEntries(String text) {
    Parsed<IpRange> parsed = AddressSyntax.parseEntry(text);
    assertThat(parsed.isValid()).as(text).isFalse();
    assertThat(parsed.error()).startsWith("\"" + text + "\" ");
  }

  @Test
  void anIpv4MappedAddressIsIpv6() {
    assertThat(range("::ffff:1.2.3.4").family()).isEqualTo(IpFamily.IPV6);
    assertThat(range("::ffff:1.2.3.0/120").toString()).isEqualTo("::ffff:1.2.3.0-::ffff:1.2.3.255");
  }

  @Test
  void anIpv6ZoneIsDroppedFromAnAddress() {
    assertThat(AddressSyntax.parseAddress("fe80::1%eth0").orElseThrow())
        .isEqualTo(Ip.parse("fe80::1"));
  }

  /** parse-001: IPv4 singles, ranges and CIDRs merged. */
  @Test
  void parse001MixesSinglesRangesAndCidrs() {
    IpSet set =
        AddressSyntax.toSet(
            List.of("192.168.1.25", "192.168.1.26-192.168.1.28", "192.168.2.16/30"));
    assertThat(set.toString()).isEqualTo("[192.168.1.25-192.168.1.28 192.168.2.16-192.168.2.19]");
    assertThat(set.contains(Ip.parse("192.168.1.29"))).isFalse();
    assertThat(set.contains(Ip.parse("192.168.2.15"))).isFalse();
    assertThat(set.contains(Ip.parse("192.168.2.20"))).isFalse();
  }

  /** parse-002: the same for IPv6. */
  @Test
  void parse002Ipv6() {
    IpSet set = AddressSyntax.toSet(List.of("fe80::10/127", "fe80::13-fe80::14", "fe80::16"));
    assertThat(set.toString()).isEqualTo("[fe80::10-fe80::11 fe80::13-fe80::14 fe80::16]");
  }

  /** parse-003: an invalid entry is left out of the set (the webhook names it). */
  @Test
  void parse003InvalidEntriesAreLeftOut() {
    assertThat(AddressSyntax.toSet(List.of("192.168.1.25", "192.168.1.2612")).toString())
        .isEqualTo("[192.168.1.25]");
  }

  /** parse-004: overlapping and unordered entries merge. */
  @Test
  void parse004OverlapsMerge() {
    assertThat(
            AddressSyntax.toSet(List.of("10.0.0.20-10.0.0.30", "10.0.0.5", "10.0.0.6-10.0.0.25"))
                .toString())
        .isEqualTo("[10.0.0.5-10.0.0.30]");
  }

  @ParameterizedTest(name = "ipset-count: {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no addresses | '' | 0",
        "one address | 192.168.1.1 | 1",
        "two addresses | 192.168.1.1 192.168.1.2 | 2",
        "range of addresses | 192.168.1.1-192.168.1.10 192.168.1.20-192.168.1.25 | 16",
        "overlapping ranges | 192.168.1.1-192.168.1.10 192.168.1.5-192.168.1.15 | 15",
        "ipset-count-001: ipv4 CIDRs with host bits | 192.168.1.1/24 192.168.2.1/31 | 258",
        "larger than uint64 | fe80::1/20 | 9223372036854775807",
        "larger than int, less than uint64 | fe80::1/65 | 9223372036854775807",
        "ipv6 CIDR | fe80::1/126 | 4",
      })
  void ipSetCount(String name, String addresses, long count) {
    List<String> entries = addresses.isBlank() ? List.of() : List.of(addresses.split(" "));
    assertThat(AddressSyntax.toSet(entries).sizeCapped()).isEqualTo(count);
  }
}
