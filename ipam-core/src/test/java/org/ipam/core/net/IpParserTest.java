package org.ipam.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpParserTest {
  @ParameterizedTest(name = "{0} is printed as {1}")
  @CsvSource({
    "192.168.0.1, 192.168.0.1",
    "2001:DB8::0001, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "fd00:0:0:1:0:0:0:0, fd00:0:0:1::",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "0:0:0:0:0:0:0:0, ::",
    "::1, ::1",
    "::ffff:1.2.3.4, ::ffff:1.2.3.4",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
  })
  void addressesArePrintedCanonically(String text, String canonical) {
    assertThat(IpParser.parseAddress(text).orElseThrow().toString()).isEqualTo(canonical);
  }

  /**
   * Bad inputs tried: every form a lenient parser accepts and upstream Go rejects, plus plain
   * garbage.
   */
  @ParameterizedTest(name = "\"{0}\" is refused")
  @CsvSource(
      value = {
        "''",
        "10.1",
        "010.1.1.1",
        "0x0a.1.1.1",
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.*.*",
        "fe80::1%eth0",
        "' 10.0.0.1'",
        "10.0.0.1/24",
        "10.0.0.1-10.0.0.2",
        "<optional-annotation-for-specific-ip-request>",
        "2001:db8:::1",
        "12345::1"
      })
  void lenientAndMalformedFormsAreRefused(String text) {
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    assertThat(parsed.isValid()).isFalse();
    assertThat(parsed.error()).contains("\"" + text + "\"").contains("not an IP address");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "10.0.0.0/24, 10.0.0.0, 10.0.0.255, false",
    "192.168.1.10/24, 192.168.1.0, 192.168.1.255, true",
    "2001:db8::/64, 2001:db8::, 2001:db8::ffff:ffff:ffff:ffff, false",
    "2001:db8::5/126, 2001:db8::4, 2001:db8::7, true",
  })
  void cidrsKeepTheirHostBits(String text, String network, String last, boolean hostBits) {
    Cidr cidr = IpParser.parseCidr(text).orElseThrow();
    assertThat(cidr.network()).hasToString(network);
    assertThat(cidr.last()).hasToString(last);
    assertThat(cidr.hasHostBits()).isEqualTo(hostBits);
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource({
    "10.0.0.0/33, the prefix length must be 0..32",
    "2001:db8::/129, the prefix length must be 0..128",
    "10.0.0.0/024, the prefix length must be 0..32",
    "10.0.0.0/, the prefix length must be 0..32",
    "10.0.0/24, its address is not an IP address",
    "10.0.0.5-10.0.0.1, it ends before it starts",
    "10.0.0.1-2001:db8::1, it mixes IPv4 and IPv6",
    "10.0.0.1-10.0.0.2-10.0.0.3, expected first-last",
  })
  void badEntriesSayWhatIsWrong(String text, String reason) {
    assertThat(IpParser.parseEntry(text).error())
        .isEqualTo(
            "\""
                + text
                + "\" is not "
                + (text.contains("-") ? "an address range: " : "a CIDR: ")
                + reason);
  }

  @ParameterizedTest(name = "{0} is a {1}")
  @CsvSource({
    "10.0.0.10, Single, 1",
    "10.0.0.24-10.0.0.32, Range, 9",
    "10.0.0.128/28, Block, 16",
    "2001:db8::/120, Block, 256",
  })
  void entriesAreToldApart(String text, String kind, int size) {
    AddressEntry entry = IpParser.parseEntry(text).orElseThrow();
    assertThat(entry.getClass().getSimpleName()).isEqualTo(kind);
    assertThat(entry.range().size().intValueExact()).isEqualTo(size);
  }
}
