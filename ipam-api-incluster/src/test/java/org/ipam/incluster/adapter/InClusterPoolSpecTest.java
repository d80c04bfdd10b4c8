package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.junit.jupiter.api.Test;

/**
 * An IP pool's spec as the engine serves it. Bad inputs tried (webhooks off): an IPv4 prefix of 33,
 * a negative prefix, no prefix, an address that does not parse, a gateway that does not parse
 * beside good addresses; each leaves the pool unable to hand out anything, and says which field and
 * value.
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

  /** Webhooks off, the pool says what the webhook would have said, not only that it is empty. */
  @Test
  void anUnusablePoolIsToldInThePoolRulesWords() {
    InClusterIPPoolSpec spec = spec(24);
    spec.setAddresses(List.of("10.0.0.300"));
    InClusterIPPool pool = new InClusterIPPool();
    pool.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("p").build());
    pool.setSpec(spec);

    InClusterPoolSpec translated = InClusterPoolSpec.of(pool, spec);

    assertThat(translated.allocator().segments()).isEmpty();
    assertThat(translated.problem())
        .startsWith("spec.addresses[0] \"10.0.0.300\"")
        .doesNotContain("InClusterIPPool ns/p");
    assertThat(InClusterPoolSpec.of(pool, spec(24)).problem()).isNull();
  }

  /** Addresses that could be served, but a spec the webhook would refuse: nothing is handed out. */
  @Test
  void aSpecTheRulesRefuseServesNothingEvenWhenItsAddressesParse() {
    InClusterIPPoolSpec spec = spec(24);
    spec.setGateway("10.0.0.256");
    InClusterIPPool pool = new InClusterIPPool();
    pool.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("p").build());
    pool.setSpec(spec);

    InClusterPoolSpec translated = InClusterPoolSpec.of(pool, spec);

    assertThat(translated.allocator().segments()).isEmpty();
    assertThat(translated.problem()).startsWith("spec.gateway \"10.0.0.256\"");
  }

  @Test
  void aUsablePoolHasNoProblem() {
    InClusterPoolSpec translated = InClusterPoolSpec.of(spec(24));
    assertThat(translated.problem()).isNull();
    assertThat(translated.allocator().segments()).hasSize(1);
  }
}
