package org.ipam.incluster.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipam.core.net.IpParser;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a child prefix may be handed out by a prefix pool (reference/incluster.md 2.13). */
class PrefixPoolPrefixesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "the first /64 of a /56 | fd00::/56 | - | - | fd00::/64 | true",
        "host bits of the address are masked | fd00::/56 | - | - | fd00::5/64 | true",
        "outside the prefixes | fd00::/56 | - | - | fd01::/64 | false",
        "of another length | fd00::/56 | - | - | fd00::/63 | false",
        "an explicit allocation length | fd00::/56 | 60 | - | fd00:0:0:10::/60 | true",
        "overlapping one excluded address | fd00::/56 | - | fd00::1 | fd00::/64 | false",
        "next to an excluded range | fd00::/56 | - | fd00::-fd00::ffff:ffff:ffff:ffff | fd00:0:0:1::/64 | true",
        "spanning two merged prefixes | fd00::/64 fd00:0:0:1::/64 | 63 | - | fd00::/63 | true",
        "an IPv4 /28 of a /24 | 10.0.0.0/24 | 28 | - | 10.0.0.16/28 | true",
        "an IPv4 /28 overlapping an exclusion | 10.0.0.0/24 | 28 | 10.0.0.17 | 10.0.0.16/28 | false",
        "a misaligned pool prefix is ignored | fd00::1/56 | - | - | fd00::/64 | false",
      })
  void allocatable(
      String name,
      String prefixes,
      Integer length,
      String excluded,
      String child,
      boolean allocatable) {
    InClusterPrefixPoolSpec spec = new InClusterPrefixPoolSpec();
    spec.setPrefixes(List.of(prefixes.split(" ")));
    spec.setAllocationPrefixLength(length);
    spec.setExcludedPrefixes(excluded == null ? null : List.of(excluded));
    assertThat(PrefixPoolPrefixes.allocatable(spec, IpParser.parseCidr(child).orElseThrow()))
        .isEqualTo(allocatable);
  }
}
