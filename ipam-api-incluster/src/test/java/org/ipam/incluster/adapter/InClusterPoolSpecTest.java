package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.junit.jupiter.api.Test;

/**
 * An IP pool's spec as the engine serves it. Bad inputs tried (webhooks off): an IPv4 prefix of 33,
 * a negative prefix, no prefix; each leaves the pool unable to hand out anything, and says which
 * field and value.
 */
class InClusterPoolSpecTest {
  private static InClusterIPPoolSpec spec(Integer prefix) {
    InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
    spec.setAddresses(List.of("10.0.0.10-10.0.0.20"));
    spec.setPrefix(prefix);
    return spec;
  }

  @Test
  void aPrefixThatNoIpAddressCouldCarryServesNothingAndSaysSo() {
    for (Integer prefix : new Integer[] {33, -1, null}) {
      InClusterPoolSpec translated = InClusterPoolSpec.of(spec(prefix));
      assertThat(translated.allocator().segments()).as("prefix " + prefix).isEmpty();
      assertThat(translated.problem()).startsWith("spec.prefix " + prefix + " is not a prefix");
    }
  }

  @Test
  void aUsablePoolHasNoProblem() {
    InClusterPoolSpec translated = InClusterPoolSpec.of(spec(24));
    assertThat(translated.problem()).isNull();
    assertThat(translated.allocator().segments()).hasSize(1);
  }
}
