package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.Crds;
import org.ipam.core.testing.ApiWrites;
import org.ipam.core.testing.ClusterApiCrd;
import org.ipam.incluster.adapter.InClusterDialectModule;
import org.ipam.incluster.model.InClusterApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-cluster claim finalizer webhook (issue 12) on a real API server, registered as the deploy
 * manifests register it: a Cluster API IPAddressClaim of an InClusterIPPool the controller serves
 * comes back from its create with {@code ipam.cluster.x-k8s.io/ReleaseAddress} on, so that serving
 * it costs the controller the IPAddress and the claim's status (and the pool's ledger once per
 * pass), counted by the API server. What the pause contract holds back gets nothing at its create,
 * as upstream adds nothing to it: a claim with the paused annotation, one of a paused Cluster, one
 * of a Cluster that does not exist; nor does a claim of a pool that does not exist. Once its
 * Cluster is unpaused a held-back claim is served as before, and everything deleted goes.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class InClusterClaimFinalizerWebhookIT {
  private static final String CLUSTER_API_VERSION = "cluster.x-k8s.io/v1beta2";
  private static final int CLAIMS = 40;

  /** The webhooks see this test's objects only (not the Cluster API link, which pauses). */
  private static final String LABEL = "e2e.ipam.org/incluster-finalizers";

  @Test
  void claimsOfServedPoolsGetTheirFinalizerAtCreateUnlessPaused(
      TargetCluster.Cluster cluster, @TempDir Path dir) {
    String namespace = "e2e-incluster-finalizers-" + UUID.randomUUID().toString().substring(0, 8);
    LoopbackWebhooks.Serving serving = LoopbackWebhooks.prepare(dir.resolve("tls"));
    try (KubernetesClient client = cluster.newClient()) {
      Crds.install(
          client,
          InClusterDialectModule.class.getClassLoader(),
          new InClusterDialectModule().crdResources());
      ClusterApiCrd.install(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      LoopbackWebhooks.register(
          client,
          "ipam-e2e-incluster-finalizers",
          serving,
          Set.of(InClusterApi.GROUP),
          LABEL,
          namespace);
      List<String> flags = new ArrayList<>();
      flags.add("--kubeconfig=" + cluster.kubeconfig());
      flags.add("--adapters=incluster");
      flags.add("--namespaces=" + namespace);
      flags.add("--no-leader-elect");
      flags.addAll(serving.flags());
      try (ControllerProcess controller =
          ControllerProcess.start("incluster-claim-finalizers", flags)) {
        controller.awaitReady(Duration.ofMinutes(3));
        exercise(client, namespace);
      }
    }
  }

  private static void exercise(KubernetesClient client, String namespace) {
    createCluster(client, namespace, "running", false);
    createCluster(client, namespace, "paused", true);
    GenericKubernetesResource pool = new GenericKubernetesResource();
    pool.setApiVersion(InClusterApi.GROUP + "/v1alpha2");
    pool.setKind(InClusterApi.IN_CLUSTER_IP_POOL);
    pool.setMetadata(
        new ObjectMetaBuilder()
            .withName("pool")
            .withNamespace(namespace)
            .addToLabels(LABEL, namespace)
            .build());
    pool.setAdditionalProperty(
        "spec", Map.of("addresses", List.of("10.92.0.1-10.92.0.200"), "prefix", 24));
    LoopbackWebhooks.created(client, pool);
    // Served (a pass has run: its status is written) before any claim asks it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .genericKubernetesResources(
                            InClusterApi.GROUP + "/v1alpha2", InClusterApi.IN_CLUSTER_IP_POOL)
                        .inNamespace(namespace)
                        .withName("pool")
                        .get()
                        .getAdditionalProperties()
                        .get("status")
                    != null);
    // Until the API server calls the webhook: claims of the pool, served either way.
    List<IPAddressClaim> probes = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              IPAddressClaim probe =
                  create(client, claim(namespace, "probe-" + probes.size(), "pool", null));
              probes.add(probe);
              return finalized(probe);
            });

    IPAddressClaim ofRunning = create(client, claim(namespace, "of-running", "pool", "running"));
    IPAddressClaim ofPaused = create(client, claim(namespace, "of-paused", "pool", "paused"));
    IPAddressClaim ofMissing = create(client, claim(namespace, "of-missing", "pool", "missing"));
    IPAddressClaim annotated = claim(namespace, "annotated", "pool", null);
    annotated.getMetadata().setAnnotations(Map.of(InClusterApi.PAUSED_ANNOTATION, ""));
    annotated = create(client, annotated);
    IPAddressClaim poolless = create(client, claim(namespace, "poolless", "no-such-pool", null));
    assertThat(finalized(ofRunning)).as("a claim of a running Cluster").isTrue();
    assertThat(finalized(ofPaused)).as("a claim of a paused Cluster").isFalse();
    assertThat(finalized(ofMissing)).as("a claim of a Cluster that does not exist").isFalse();
    assertThat(finalized(annotated)).as("a claim with the paused annotation").isFalse();
    assertThat(finalized(poolless)).as("a claim of a pool that does not exist").isFalse();
    // Once the probes and the claim of the running Cluster are served, and their trailing
    // writes (the pool's status) have settled.
    List<String> servedFirst = new ArrayList<>(names(probes));
    servedFirst.add("of-running");
    await().atMost(Duration.ofSeconds(60)).until(() -> allServed(client, namespace, servedFirst));

    ApiWrites before = ApiWrites.now(client);
    List<String> burst = new ArrayList<>();
    for (int i = 0; i < CLAIMS; i++) {
      IPAddressClaim claim = create(client, claim(namespace, "c" + i, "pool", null));
      assertThat(claim.getMetadata().getFinalizers())
          .containsExactly(InClusterApi.RELEASE_ADDRESS_FINALIZER);
      burst.add("c" + i);
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> allServed(client, namespace, burst));
    Map<String, Long> delta = ApiWrites.now(client).since(before);
    double perClaim = (ApiWrites.total(delta) - (double) CLAIMS) / CLAIMS;
    System.out.printf(
        "WRITES in-cluster claim finalizer webhook: %d IPAddressClaims, writes by resource %s,"
            + " %.2f controller writes per claim%n",
        CLAIMS, delta, perClaim);
    // The claims' main resource was written only by their creates: no finalizer patch.
    assertThat(delta).containsEntry("ipaddressclaims", (long) CLAIMS);
    // For each claim its IPAddress and its status, each once: a pass that runs before the cache
    // shows the status it wrote does not write them again (AllocationEngine.VIEW_CATCH_UP; a few
    // may be, on a machine so busy that the cache takes longer). The pool's ledger is written once
    // per pass: here, claims created one at a time, about once per claim (a burst shares it).
    long claimWrites =
        delta.getOrDefault("ipaddresses", 0L) + delta.getOrDefault("ipaddressclaims/status", 0L);
    assertThat((double) claimWrites / CLAIMS).isLessThanOrEqualTo(2.25);
    assertThat(delta.getOrDefault("inclusterippools/status", 0L)).isLessThanOrEqualTo(CLAIMS + 5);

    // Held back until unpaused, then served (the controller adds the finalizer itself).
    client
        .genericKubernetesResources(CLUSTER_API_VERSION, "Cluster")
        .inNamespace(namespace)
        .withName("paused")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":false}}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> allServed(client, namespace, List.of("of-paused")));

    // Everything deleted goes: nothing sticks, the claims that never got a finalizer included.
    client.resources(IPAddressClaim.class).inNamespace(namespace).delete();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(IPAddressClaim.class)
                          .inNamespace(namespace)
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      client
                          .resources(org.ipam.core.capi.IPAddress.class)
                          .inNamespace(namespace)
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }

  private static boolean finalized(IPAddressClaim claim) {
    return claim.getMetadata().getFinalizers().contains(InClusterApi.RELEASE_ADDRESS_FINALIZER);
  }

  private static List<String> names(List<IPAddressClaim> claims) {
    return claims.stream().map(c -> c.getMetadata().getName()).toList();
  }

  /** Every claim of these names served: status.addressRef names its IPAddress. */
  private static boolean allServed(KubernetesClient client, String namespace, List<String> names) {
    Set<String> served = new java.util.HashSet<>();
    for (IPAddressClaim claim :
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems()) {
      if (claim.getStatus() != null
          && claim.getStatus().getAddressRef() != null
          && claim.getMetadata().getName().equals(claim.getStatus().getAddressRef().getName())) {
        served.add(claim.getMetadata().getName());
      }
    }
    return served.containsAll(names);
  }

  private static IPAddressClaim create(KubernetesClient client, IPAddressClaim claim) {
    return LoopbackWebhooks.created(client, claim);
  }

  private static void createCluster(
      KubernetesClient client, String namespace, String name, boolean paused) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setApiVersion(CLUSTER_API_VERSION);
    cluster.setKind("Cluster");
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    cluster.setAdditionalProperty("spec", Map.of("paused", paused));
    client.resource(cluster).create();
  }

  /**
   * A claim labelled for the webhooks (the label the registration selects on), of a Cluster when
   * {@code clusterName} is given.
   */
  private static IPAddressClaim claim(
      String namespace, String name, String pool, String clusterName) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(LABEL, namespace)
            .build());
    IPAddressClaimSpec spec =
        new IPAddressClaimSpec(
            new PoolReference(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_IP_POOL, pool));
    if (clusterName != null) {
      spec.setClusterName(clusterName);
    }
    claim.setSpec(spec);
    return claim;
  }
}
