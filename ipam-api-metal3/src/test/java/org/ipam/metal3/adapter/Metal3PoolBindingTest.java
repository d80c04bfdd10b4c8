package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.List;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.PoolEvents;
import org.ipam.core.engine.PoolView;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;

/** What the pool's Ready condition says of its address objects' names; pure, no API calls. */
class Metal3PoolBindingTest {

  private static Metal3PoolBinding binding(String namePrefix) {
    return bindingOf("namePrefix: " + namePrefix + "\npools: [{subnet: \"::/120\"}]");
  }

  private static Metal3PoolBinding bindingOf(String spec) {
    IPPool pool =
        Serialization.unmarshal(
            "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: p\n"
                + "  namespace: ns\nspec:\n"
                + spec.indent(2),
            IPPool.class);
    return new Metal3PoolBinding(
        null,
        pool,
        Metal3PoolTranslation.of(pool),
        false,
        new NamePrefixClashes(),
        new PoolEvents(),
        Clock.systemUTC());
  }

  private static PoolView viewOf(String... names) {
    List<ObjectKey> objects =
        java.util.Arrays.stream(names)
            .map(name -> new ObjectKey(Metal3Records.METAL3_ADDRESS, "ns", name))
            .toList();
    return new PoolView(0, null, List.of(), List.of(), objects);
  }

  @Test
  void theAddressDoubleColonIsNamedAfterThePrefixAlthoughItsNameIsThePrefixAlone() {
    // "::" gives "pool" (the dashes trimmed), "::1" gives "pool---1".
    assertThat(binding("pool").renamed(viewOf("pool", "pool---1", "pool-2001-db8--1"))).isEmpty();
    assertThat(binding("abc-").renamed(viewOf("abc", "abc----1"))).isEmpty();
  }

  /**
   * The range shrank from .1-.9 to .5-.9 inside one /24: .1 (held by c1) is out of range as
   * upstream reads it, although the subnet holds it; .2, beside the range too, is c2's own
   * pre-allocation (row 8) and is not.
   */
  @Test
  void anAddressLeftBesideTheRangeIsOutOfRangeUnlessItIsTheClaimsPreAllocation() {
    Metal3PoolBinding binding =
        bindingOf(
            "namePrefix: p\npools: [{start: 10.0.0.5, end: 10.0.0.9, subnet: 10.0.0.0/24}]\n"
                + "preAllocations: {c2: 10.0.0.2}");
    var segment = binding.spec().segments().get(0);
    PoolView view =
        new PoolView(
            0,
            null,
            List.of(
                held("c1", "10.0.0.1", segment),
                held("c2", "10.0.0.2", segment),
                held("c5", "10.0.0.5", segment)),
            List.of(),
            List.of());
    assertThat(binding.outOfRange(view))
        .singleElement()
        .asString()
        .startsWith("1 address (10.0.0.1 (claim c1))");
  }

  private static PoolView.NamedAllocation held(
      String claim, String address, org.ipam.core.alloc.Segment segment) {
    return new PoolView.NamedAllocation(
        claim,
        new org.ipam.core.alloc.Allocation(
            claim,
            org.ipam.core.net.IpRange.single(org.ipam.core.net.Ip.parse(address)),
            32,
            segment));
  }

  @Test
  void objectsOfAnEarlierPrefixOrMadeByHandAreListed() {
    assertThat(binding("new").renamed(viewOf("new---1", "old---1", "handmade-1")))
        .singleElement()
        .asString()
        .startsWith("2 objects (IPAddress.ipam.metal3.io handmade-1,")
        .contains("IPAddress.ipam.metal3.io old---1")
        .contains("not named \"new-<address>\"");
  }
}
