package org.ipam.incluster.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an IP pool hands out (reference/incluster.md 2.1), with upstream's PoolSpecToIPSet cases
 * (ipset-*). Columns: addresses (space separated), prefix, gateway, allocateReservedIPAddresses,
 * excludedAddresses, the expected set.
 */
class IPPoolAddressesTest {
  static InClusterIPPoolSpec spec(
      String addresses, int prefix, String gateway, boolean reserved, String excluded) {
    InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
    spec.setAddresses(List.of(addresses.split(" ")));
    spec.setPrefix(prefix);
    spec.setGateway(gateway);
    spec.setAllocateReservedIPAddresses(reserved ? true : null);
    spec.setExcludedAddresses(excluded == null ? null : List.of(excluded.split(" ")));
    return spec;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "ipset-001 prefix 0 | 192.168.0.3-192.168.0.10 | 0 | 192.168.0.1 | false | - | [192.168.0.3-192.168.0.10]",
        "ipset-002 a pool spec to a set | 192.168.0.2 192.168.0.3-192.168.0.4 192.168.0.6/31 | 24 | 192.168.0.1 | false | - | [192.168.0.2-192.168.0.4 192.168.0.6-192.168.0.7]",
        "ipset-003 the network address | 192.168.0.0 192.168.0.3-192.168.0.4 192.168.0.6/31 | 24 | 192.168.0.1 | false | - | [192.168.0.3-192.168.0.4 192.168.0.6-192.168.0.7]",
        "ipset-004 the broadcast address of the one subnet | 192.168.1.0 192.168.0.255 192.168.0.3-192.168.0.4 192.168.0.6/31 192.168.255.255 | 16 | 192.168.0.1 | false | - | [192.168.0.3-192.168.0.4 192.168.0.6-192.168.0.7 192.168.0.255-192.168.1.0]",
        "ipset-005 the gateway | 192.168.0.1 192.168.0.3-192.168.0.4 192.168.0.6/31 | 24 | 192.168.0.1 | false | - | [192.168.0.3-192.168.0.4 192.168.0.6-192.168.0.7]",
        "ipset-006 allocateReservedIPAddresses | 192.168.0.0 192.168.0.1 192.168.0.3-192.168.0.4 192.168.0.6/31 192.168.0.255 | 24 | 192.168.0.1 | true | - | [192.168.0.0 192.168.0.3-192.168.0.4 192.168.0.6-192.168.0.7 192.168.0.255]",
        "ipset-007 excluded addresses | 192.168.0.0-192.168.0.10 | 24 | 192.168.0.1 | false | 192.168.0.5 192.168.0.6 192.168.0.7 | [192.168.0.2-192.168.0.4 192.168.0.8-192.168.0.10]",
        "ipset-008 an excluded subnet | 192.168.0.0/24 | 24 | 192.168.0.1 | false | 192.168.0.128/25 | [192.168.0.2-192.168.0.127]",
        "ipset-009 an excluded range | 192.168.0.0/24 | 24 | 192.168.0.1 | false | 192.168.0.2-192.168.0.20 | [192.168.0.21-192.168.0.254]",
        "ipset-010 IPv6 | fd01::2 fd01::3-fd01::4 fd01::6/127 | 120 | fd01::1 | false | - | [fd01::2-fd01::4 fd01::6-fd01::7]",
        "ipset-011 IPv6 anycast | fd01::0 fd01::3-fd01::4 fd01::6/127 | 120 | fd01::1 | false | - | [fd01::3-fd01::4 fd01::6-fd01::7]",
        "ipset-012 IPv6 has no broadcast | fd01::ffff fd01::1:0 fd01::3-fd01::4 fd01::6/127 fd01::ffff:ffff | 112 | fd01::1 | false | - | [fd01::3-fd01::4 fd01::6-fd01::7 fd01::ffff-fd01::1:0 fd01::ffff:ffff]",
        "ipset-013 IPv6 gateway | fd01::1 fd01::3-fd01::4 fd01::6/127 | 120 | fd01::1 | false | - | [fd01::3-fd01::4 fd01::6-fd01::7]",
        "ipset-014 IPv6 allocateReservedIPAddresses | fd01::0 fd01::1 fd01::3-fd01::4 fd01::6/127 fd01::ffff:ffff | 120 | fd01::1 | true | - | [fd01:: fd01::3-fd01::4 fd01::6-fd01::7 fd01::ffff:ffff]",
        "ipset-015 the subnet of the lowest address before exclusions | 10.0.0.0/24 | 24 | - | false | 10.0.0.0 | [10.0.0.1-10.0.0.254]",
        "ipset-016 an IPv4 /31 pool is empty by default | 10.0.0.0/31 | 31 | - | false | - | []",
        "ipset-016 with allocateReservedIPAddresses | 10.0.0.0/31 | 31 | - | true | - | [10.0.0.0-10.0.0.1]",
        "the seed example | 10.0.0.10 10.0.0.24-10.0.0.32 10.0.0.128/28 | 24 | 10.0.0.1 | false | - | [10.0.0.10 10.0.0.24-10.0.0.32 10.0.0.128-10.0.0.143]",
      })
  void allocatable(
      String name,
      String addresses,
      int prefix,
      String gateway,
      boolean reserved,
      String excluded,
      String expected) {
    assertThat(
            IPPoolAddresses.allocatable(spec(addresses, prefix, gateway, reserved, excluded))
                .toString())
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void theInferredSubnetIsTheLowestAddressWithThePrefix() {
    assertThat(
            IPPoolAddresses.inferredSubnet(
                spec("10.0.0.200 10.0.0.24-10.0.0.32", 24, null, false, null)))
        .hasValueSatisfying(c -> assertThat(c.toString()).isEqualTo("10.0.0.0/24"));
    assertThat(IPPoolAddresses.inferredSubnet(spec("10.0.0.1", 33, null, false, null))).isEmpty();
    assertThat(IPPoolAddresses.gateway(spec("10.0.0.1", 24, "fe80::1%eth0", false, null)))
        .isEqualTo(Ip.parse("fe80::1"));
    assertThat(IPPoolAddresses.gateway(spec("10.0.0.1", 24, "nope", false, null))).isNull();
  }
}
