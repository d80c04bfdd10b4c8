package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPClaimSpec;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The missing-pool notice against a real kube-apiserver, its check run directly (no controller):
 * the race in which a pool appears and answers the claim between the notice's look at the pool and
 * its write. Bad input tried: a claim object older than the status the API server holds, as a
 * notice's worker sees it when the pool's pass got in first, for each claim kind.
 */
@ExtendWith(ControlPlaneExtension.class)
class MissingPoolNoticesIT {
  private static final String NS = "mpn-race";
  private static AllocationEngine engine;

  @BeforeAll
  static void setUp(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, new Metal3DialectModule().crdResources().toArray(String[]::new));
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    engine = new AllocationEngine(1, EngineListener.NONE);
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  private static MissingPoolNotices notices(KubernetesClient client) {
    return new MissingPoolNotices(client, Clock.systemUTC(), engine, key -> false);
  }

  private static Optional<PoolKey> missingPool() {
    return Optional.of(Metal3Records.poolKey(NS, "late"));
  }

  @Test
  void anIpClaimsNewerAnswerIsNeverOverwrittenByTheNotice(KubernetesClient client) {
    IPClaim claim = new IPClaim();
    claim.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("m3").build());
    IPClaimSpec spec = new IPClaimSpec();
    spec.setPool(new ObjectReferenceBuilder().withName("late").build());
    claim.setSpec(spec);
    IPClaim seen = client.resource(claim).create();
    // The pool's pass answered the claim after the notice's worker took it from the informer.
    ObjectWrites.patchStatus(client, seen, Map.of("errorMessage", "Exhausted IP Pools"));

    notices(client).check(seen, missingPool());
    IPClaim now = client.resource(seen).get();
    assertThat(now.getStatus().getErrorMessage()).isEqualTo("Exhausted IP Pools");
    assertThat(events(client, "m3")).isEmpty();

    // Judged from the claim as it is, the notice is written, with its event.
    notices(client).check(now, missingPool());
    assertThat(client.resource(seen).get().getStatus().getErrorMessage())
        .isEqualTo("IPPool " + NS + "/late not found; served once it exists");
    assertThat(events(client, "m3")).containsExactly("PoolNotFound");
  }

  @Test
  void aClusterApiClaimsNewerConditionIsNeverOverwrittenByTheNotice(KubernetesClient client) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("capi").build());
    claim.setSpec(new IPAddressClaimSpec(new PoolReference(IPPool.GROUP, "IPPool", "late")));
    IPAddressClaim seen = client.resource(claim).create();
    ObjectWrites.patchStatus(
        client,
        seen,
        Map.of(
            "conditions",
            ClaimReady.conditionsWith(
                seen, false, "PoolExhausted", "Exhausted IP Pools", Instant.now())));

    notices(client).check(seen, missingPool());
    IPAddressClaim now = client.resource(seen).get();
    assertThat(ClaimReady.of(now).orElseThrow().getMessage()).isEqualTo("Exhausted IP Pools");
    assertThat(events(client, "capi")).isEmpty();

    notices(client).check(now, missingPool());
    assertThat(ClaimReady.of(client.resource(seen).get()).orElseThrow().getReason())
        .isEqualTo("PoolNotFound");
    assertThat(events(client, "capi")).containsExactly("PoolNotFound");
  }

  /**
   * A deleting claim whose delete event came while its pool was still cached (the pool's passes
   * release it), but whose pool went before any pass did: once the pool is forgotten, the claim is
   * released here and its finalizer goes (it would otherwise stay, no further event coming).
   */
  @Test
  void aDeletingClaimParkedWhileItsPoolWasCachedIsLetGoOnceThePoolIsForgotten(
      KubernetesClient client) {
    java.util.concurrent.atomic.AtomicBoolean cached =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    try (MissingPoolNotices notices =
        new MissingPoolNotices(client, Clock.systemUTC(), engine, key -> cached.get())) {
      IPClaim claim = new IPClaim();
      claim.setMetadata(
          new ObjectMetaBuilder()
              .withNamespace(NS)
              .withName("parked")
              .withFinalizers(IPClaim.FINALIZER)
              .build());
      IPClaimSpec spec = new IPClaimSpec();
      spec.setPool(new ObjectReferenceBuilder().withName("late").build());
      claim.setSpec(spec);
      IPClaim created = client.resource(claim).create();
      client.resource(created).delete();
      IPClaim deleting = client.resource(created).get();

      notices.claimSeen(missingPool(), deleting);
      assertThat(client.resource(created).get()).as("left to the pool's passes").isNotNull();

      cached.set(false);
      notices.poolForgotten(missingPool().orElseThrow());
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> client.resource(created).get() == null);
    }
  }

  private static List<String> events(KubernetesClient client, String claimName) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> claimName.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }
}
