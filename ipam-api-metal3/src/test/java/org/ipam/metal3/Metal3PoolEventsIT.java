package org.ipam.metal3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.metal3.Metal3Harness.claim;
import static org.ipam.metal3.Metal3Harness.claimNamed;
import static org.ipam.metal3.Metal3Harness.createNamespace;
import static org.ipam.metal3.Metal3Harness.eventually;
import static org.ipam.metal3.Metal3Harness.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.metal3.model.IPClaim;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events on pools on the real kube-apiserver: one when the pool's state changes (exhausted,
 * recovered, invalid), none while it stays, however many passes run in between. "None while it
 * stays" is checked after claims that make the pool run more passes were answered.
 */
@ExtendWith(ControlPlaneExtension.class)
class Metal3PoolEventsIT {
  private static Metal3Harness harness;

  @BeforeAll
  static void startDialect(KubernetesClient client) {
    harness = Metal3Harness.start(client);
  }

  @AfterAll
  static void stopDialect() {
    harness.close();
  }

  @Test
  void aFullPoolIsToldExhaustedOnceAndRecoveredWhenAnAddressIsFreed(KubernetesClient client) {
    String ns = "events-exhaust";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns, "tiny", "namePrefix: tiny\npools:\n  - start: 10.80.0.1\n    end: 10.80.0.2\n"))
        .create();
    client.resource(claim(ns, "a", "tiny", null)).create();
    client.resource(claim(ns, "b", "tiny", null)).create();
    eventually().until(() -> poolEvents(client, ns, "tiny", "Exhausted").size() == 1);
    assertThat(poolEvents(client, ns, "tiny", "Exhausted").get(0))
        .isEqualTo(
            "Warning Exhausted IPPool events-exhaust/tiny: all 2 addresses in use;"
                + " new claims wait until one is released");

    // Each of these claims makes the pool run passes and report its status while it stays full.
    for (String waiting : List.of("c", "d")) {
      client.resource(claim(ns, waiting, "tiny", null)).create();
      eventually()
          .untilAsserted(
              () ->
                  assertThat(claimNamed(client, ns, waiting).getStatus().getErrorMessage())
                      .isEqualTo("Exhausted IP Pools"));
    }
    assertThat(poolEvents(client, ns, "tiny", "Exhausted")).hasSize(1);

    // The waiting claims go first, so that the address a frees stays free.
    deleteClaims(client, ns, "c", "d");
    deleteClaims(client, ns, "a");
    eventually().until(() -> poolEvents(client, ns, "tiny", "Recovered").size() == 1);
    assertThat(poolEvents(client, ns, "tiny", "Recovered").get(0))
        .isEqualTo("Normal Recovered IPPool events-exhaust/tiny: 1 of 2 addresses free again");

    // Full again: a change of state again, so a second Exhausted event.
    client.resource(claim(ns, "e", "tiny", null)).create();
    eventually().until(() -> poolEvents(client, ns, "tiny", "Exhausted").size() == 2);
    assertThat(poolEvents(client, ns, "tiny", "Recovered")).hasSize(1);
  }

  /** Webhooks off (this harness runs none): the invalid spec is told once, its fix once. */
  @Test
  void anInvalidSpecIsToldOnceAndItsFixOnce(KubernetesClient client) {
    String ns = "events-invalid";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns,
                "broken",
                "namePrefix: broken\npools:\n  - start: 10.81.0.9\n    end: 10.81.0.1\n"))
        .create();
    eventually().until(() -> poolEvents(client, ns, "broken", "InvalidSpec").size() == 1);
    assertThat(poolEvents(client, ns, "broken", "InvalidSpec").get(0))
        .startsWith("Warning InvalidSpec ")
        .contains(
            "IPPool events-invalid/broken: spec.pools[0].end \"10.81.0.1\" is before start"
                + " 10.81.0.9");

    for (String waiting : List.of("x", "y")) {
      client.resource(claim(ns, waiting, "broken", null)).create();
      eventually()
          .untilAsserted(
              () ->
                  assertThat(claimNamed(client, ns, waiting).getStatus().getErrorMessage())
                      .startsWith("no address can be allocated from an invalid pool: "));
    }
    assertThat(poolEvents(client, ns, "broken", "InvalidSpec")).hasSize(1);

    client
        .resources(org.ipam.metal3.model.IPPool.class)
        .inNamespace(ns)
        .withName("broken")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"pools\":[{\"start\":\"10.81.0.1\",\"end\":\"10.81.0.9\"}]}}");
    eventually()
        .untilAsserted(
            () -> assertThat(claimNamed(client, ns, "y").getStatus().getAddress()).isNotNull());
    eventually()
        .untilAsserted(
            () ->
                assertThat(poolEvents(client, ns, "broken", "Recovered"))
                    .containsExactly(
                        "Normal Recovered IPPool events-invalid/broken: InvalidSpec resolved;"
                            + " the pool serves as written"));
    assertThat(poolEvents(client, ns, "broken", "InvalidSpec")).hasSize(1);
  }

  private static void deleteClaims(KubernetesClient client, String ns, String... names) {
    for (String name : names) {
      client.resources(IPClaim.class).inNamespace(ns).withName(name).delete();
    }
    eventually()
        .until(
            () -> List.of(names).stream().allMatch(name -> claimNamed(client, ns, name) == null));
  }

  /** The pool's events of one reason, as "type reason message". */
  private static List<String> poolEvents(
      KubernetesClient client, String ns, String pool, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "IPPool".equals(e.getInvolvedObject().getKind()))
        .filter(e -> pool.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage())
        .toList();
  }
}
