package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which dialects the controller serves. Bad input tried: an unknown adapter name. */
class DialectSelectionTest {
  @Test
  void withoutAdaptersOnlyTheDialectsOnByDefaultAreServed() {
    // mandelsoft, harvester: their CRDs, RBAC and webhooks ship in config/ (ManifestsIT checks
    // them).
    assertThat(DialectSelection.select(null).keySet())
        .containsExactlyInAnyOrder("metal3", "incluster", "mandelsoft", "harvester");
    assertThat(DialectSelection.select(List.of()).keySet())
        .containsExactlyInAnyOrder("metal3", "incluster", "mandelsoft", "harvester");
  }

  @Test
  void aDialectOffByDefaultIsServedWhenNamed() {
    assertThat(DialectSelection.select(List.of("harvester", "mandelsoft", "metal3")).keySet())
        .containsExactly("harvester", "mandelsoft", "metal3");
    // Named: only those, the default ones left out.
    assertThat(DialectSelection.select(List.of("incluster")).keySet()).containsExactly("incluster");
  }

  @Test
  void anUnknownAdapterIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> DialectSelection.select(List.of("calico")))
        .hasMessageContaining("unknown adapter \"calico\"")
        .hasMessageContaining("harvester");
  }
}
