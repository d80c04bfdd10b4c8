package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipam.core.net.IpParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's name vectors name-001..007 (reference/metal3.md, section 1.7). */
class AddressNamesTest {
  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource({
    "abcpref, 192.168.0.15, abcpref-192-168-0-15",
    "pool, 2001:db8::1, pool-2001-db8--1",
    "pool, ::1, pool---1",
    "pool, 2001:db8::, pool-2001-db8",
    "abc-, 10.0.0.1, abc--10-0-0-1",
    // Equal addresses, equal names, however they are written.
    "pool, 2001:0DB8::0001, pool-2001-db8--1",
  })
  void namesFollowUpstream(String prefix, String address, String name) {
    assertThat(AddressNames.of(prefix, IpParser.parseAddress(address).orElseThrow()))
        .isEqualTo(name);
  }

  @ParameterizedTest(name = "{0} + {1}")
  @CsvSource({
    "abcpref, 192.168.0.15",
    "pool, 2001:db8::1",
    "pool, ::1",
    "pool, 2001:db8::",
    "abc-, 10.0.0.1",
    "abc-, 2001:db8::",
    // The trim takes the dash after the prefix too: the name is the prefix alone.
    "pool, ::",
    "abc-, ::",
  })
  void everyNameFormedFromThePrefixFollowsIt(String prefix, String address) {
    String name = AddressNames.of(prefix, IpParser.parseAddress(address).orElseThrow());
    assertThat(AddressNames.follows(prefix, name)).as(name).isTrue();
  }

  @ParameterizedTest(name = "{0} + {1}")
  @CsvSource({
    "new, old-10-79-0-1",
    "rel, handmade-1",
    "pool, pool-1-2-3-4-5-6-7-8-9",
    "pool, pool-",
    "pool, poo",
    "pool, pool-x",
    "pool, pool2-10-0-0-1",
  })
  void namesNotFormedFromThePrefixDoNotFollowIt(String prefix, String name) {
    assertThat(AddressNames.follows(prefix, name)).isFalse();
  }
}
