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

  /**
   * The webhook paths the shipped manifests register are exactly those the dialects serve: a path
   * renamed on one side only would be a webhook nobody answers, or (for a dialect not run) one
   * admitted unchecked by the wrong name.
   */
  @Test
  void theShippedWebhookPathsAreTheDialectsOwn() throws Exception {
    java.util.Set<String> shipped = new java.util.TreeSet<>();
    for (String file : List.of("manifests.yaml", "mutating.yaml")) {
      java.util.regex.Matcher path =
          java.util.regex.Pattern.compile("path: (/\\S+)")
              .matcher(
                  java.nio.file.Files.readString(
                      java.nio.file.Path.of("..", "config", "webhook", file)));
      while (path.find()) {
        shipped.add(path.group(1));
      }
    }
    List<String> served = new java.util.ArrayList<>();
    try (io.fabric8.kubernetes.client.KubernetesClient client = offline()) {
      DialectSelection.all().values().forEach(d -> served.addAll(d.webhookPaths(client)));
    }
    assertThat(served).as("one dialect a path").doesNotHaveDuplicates();
    assertThat(new java.util.TreeSet<>(served)).isEqualTo(shipped);
  }

  /**
   * The paths admitted unchecked are those of the dialects neither served nor named: with {@code
   * --adapters=metal3} the in-cluster, kubipam and Harvester ones; a dialect named but left out
   * (its CRDs missing) is not among them, its reviews fail as its readiness does.
   */
  @Test
  void onlyTheWebhooksOfDialectsNeitherServedNorNamedAreAdmittedUnchecked() {
    try (io.fabric8.kubernetes.client.KubernetesClient client = offline()) {
      java.util.Map<String, org.ipam.core.engine.DialectModule> all = DialectSelection.all();
      java.util.Map<String, String> metal3Only =
          DialectSelection.notRunWebhooks(
              all, java.util.Set.of("metal3"), java.util.Set.of("metal3"), client);
      assertThat(metal3Only.values())
          .doesNotContain("metal3")
          .contains("incluster", "mandelsoft", "harvester");
      assertThat(metal3Only.keySet()).containsAll(all.get("incluster").webhookPaths(client));
      assertThat(metal3Only.keySet())
          .doesNotContainAnyElementsOf(all.get("metal3").webhookPaths(client));

      java.util.Map<String, String> namedButLeftOut =
          DialectSelection.notRunWebhooks(
              all, java.util.Set.of("metal3"), java.util.Set.of("metal3", "incluster"), client);
      assertThat(namedButLeftOut.values()).doesNotContain("metal3", "incluster");
      assertThat(namedButLeftOut.keySet())
          .doesNotContainAnyElementsOf(all.get("incluster").webhookPaths(client));
    }
  }

  /** A client that only keeps its configuration: the validators built here never connect. */
  private static io.fabric8.kubernetes.client.KubernetesClient offline() {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1")
                .build())
        .build();
  }

  @Test
  void anUnknownAdapterIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> DialectSelection.select(List.of("calico")))
        .hasMessageContaining("unknown adapter \"calico\"")
        .hasMessageContaining("harvester");
  }
}
