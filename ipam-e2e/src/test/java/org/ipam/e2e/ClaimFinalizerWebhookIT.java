package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import org.ipam.core.testing.ApiWrites;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim finalizer webhooks (issue 12) on a real API server, registered as the deploy manifests
 * register them: a Metal3 IPClaim, a Cluster API IPAddressClaim of a Metal3 pool and a kubipam
 * IPAMRequest of a pool the controller serves come back from their create with the dialect's
 * finalizer already on, so that the controller serves each with its commit and the claim's status
 * and no finalizer patch, counted by the API server. A claim no reconciler of the controller would
 * release gets nothing (of a pool or range that does not exist, in a namespace it does not watch);
 * everything deleted goes: nothing sticks.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class ClaimFinalizerWebhookIT {
  private static final String LABEL = "e2e.ipam.org/claim-finalizers";
  private static final int CLAIMS = 40;

  @Test
  void claimsGetTheirFinalizerAtCreateAndCostTheControllerTwoWrites(
      TargetCluster.Cluster cluster, @TempDir Path dir) {
    String namespace = "e2e-finalizers-" + UUID.randomUUID().toString().substring(0, 8);
    String unwatched = namespace + "-x";
    new Kubectl(cluster.kubeconfig())
        .run(
            "apply",
            "-k",
            E2eSettings.repositoryRoot().resolve("config/crd/mandelsoft").toString());
    LoopbackWebhooks.Serving serving = LoopbackWebhooks.prepare(dir.resolve("tls"));
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrdsWithCapi(client);
      for (String name : List.of(namespace, unwatched)) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
      LoopbackWebhooks.register(
          client,
          "ipam-e2e-claim-finalizers",
          serving,
          Set.of("ipam.metal3.io", "ipam.cluster.x-k8s.io", "ipam.mandelsoft.org"),
          LABEL,
          namespace);
      List<String> flags = new ArrayList<>();
      flags.add("--kubeconfig=" + cluster.kubeconfig());
      flags.add("--adapters=metal3,mandelsoft");
      flags.add("--namespaces=" + namespace);
      flags.add("--no-leader-elect");
      flags.addAll(serving.flags());
      try (ControllerProcess controller = ControllerProcess.start("claim-finalizers", flags)) {
        controller.awaitReady(Duration.ofMinutes(3));
        exercise(client, namespace, unwatched);
      }
    }
  }

  private static void exercise(KubernetesClient client, String namespace, String unwatched) {
    create(
        client,
        yaml(
            client,
            "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: pool\n"
                + "  namespace: %s\nspec:\n  namePrefix: pool\n  pools:\n  - start: 10.90.0.1\n"
                + "    end: 10.90.0.200\n  prefix: 24\n",
            namespace));
    create(
        client,
        yaml(
            client,
            "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: IPAMRange\nmetadata:\n  name: range\n"
                + "  namespace: %s\nspec:\n  ranges:\n  - 10.91.0.0/24\n",
            namespace));
    // Both served (a pass has run: their status is written) before any claim asks them.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                hasStatus(client, "ipam.metal3.io/v1alpha1", "IPPool", namespace, "pool")
                    && hasStatus(
                        client, "ipam.mandelsoft.org/v1alpha1", "IPAMRange", namespace, "range"));
    // Until the API server calls the webhook: claims of the pool, served either way.
    List<IPClaim> probes = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              IPClaim probe =
                  create(client, ipClaim(client, namespace, "probe-" + probes.size(), "pool"));
              probes.add(probe);
              return probe.getMetadata().getFinalizers().contains(IPClaim.FINALIZER);
            });
    // Nothing for a claim no reconciler of this process would release: of a pool that does not
    // exist, of a range that does not exist, in a namespace it does not watch.
    IPClaim poolless = create(client, ipClaim(client, namespace, "poolless", "no-such-pool"));
    IPAMRequest stray = create(client, request(client, namespace, "stray", "no-such-range"));
    IPClaim elsewhere = create(client, ipClaim(client, unwatched, "elsewhere", "pool"));
    assertThat(poolless.getMetadata().getFinalizers()).as("a claim of no pool").isEmpty();
    assertThat(stray.getMetadata().getFinalizers()).as("a request of no range").isEmpty();
    assertThat(elsewhere.getMetadata().getFinalizers())
        .as("a claim in a namespace the controller does not watch")
        .isEmpty();
    // Once the probes' trailing writes (pool status) have settled.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> servedProbes(client, namespace) == probes.size());

    ApiWrites before = ApiWrites.now(client);
    for (int i = 0; i < CLAIMS; i++) {
      IPClaim claim = create(client, ipClaim(client, namespace, "c" + i, "pool"));
      assertThat(claim.getMetadata().getFinalizers()).containsExactly(IPClaim.FINALIZER);
      IPAddressClaim capi = create(client, capiClaim(namespace, "k" + i, "pool"));
      assertThat(capi.getMetadata().getFinalizers())
          .containsExactly("ipam.metal3.io/ipaddressclaim");
      IPAMRequest request = create(client, request(client, namespace, "r" + i, "range"));
      assertThat(request.getMetadata().getFinalizers()).containsExactly("mandelsoft.org/ipam");
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> served(client, namespace) == 3 * CLAIMS);
    Map<String, Long> delta = ApiWrites.now(client).since(before);
    double perClaim = (ApiWrites.total(delta) - 3.0 * CLAIMS) / (3.0 * CLAIMS);
    System.out.printf(
        "WRITES claim finalizer webhooks: %d IPClaims, %d Cluster API claims and %d IPAMRequests,"
            + " writes by resource %s, %.2f controller writes per claim%n",
        CLAIMS, CLAIMS, CLAIMS, delta, perClaim);
    // The claims' main resources were written only by their creates: no finalizer patch.
    assertThat(delta).containsEntry("ipclaims", (long) CLAIMS);
    assertThat(delta).containsEntry("ipaddressclaims", (long) CLAIMS);
    assertThat(delta).containsEntry("ipamrequests", (long) CLAIMS);
    // IPClaim: the IPAddress and the status (2); Cluster API claim: the Metal3 IPAddress that
    // locks the address, the Cluster API IPAddress and the status (3); IPAMRequest: the status,
    // plus the range's ledger and its coalesced event once per pass. Other tests' controllers are
    // stopped.
    assertThat(perClaim).isLessThanOrEqualTo(2.75);

    // Everything deleted goes, the probes of a pool that never existed too.
    for (int i = 0; i < CLAIMS; i++) {
      client.resources(IPClaim.class).inNamespace(namespace).withName("c" + i).delete();
      client.resources(IPAddressClaim.class).inNamespace(namespace).withName("k" + i).delete();
      client.resources(IPAMRequest.class).inNamespace(namespace).withName("r" + i).delete();
    }
    probes.forEach(probe -> client.resource(probe).delete());
    client.resource(poolless).delete();
    client.resource(stray).delete();
    client.resource(elsewhere).delete();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(client.resources(IPClaim.class).inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(
                      client
                          .resources(IPAddressClaim.class)
                          .inNamespace(namespace)
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      client.resources(IPAMRequest.class).inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(client.resources(IPAddress.class).inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(client.resources(IPClaim.class).inNamespace(unwatched).list().getItems())
                  .isEmpty();
            });
  }

  private static boolean hasStatus(
      KubernetesClient client, String apiVersion, String kind, String namespace, String name) {
    GenericKubernetesResource object =
        client
            .genericKubernetesResources(apiVersion, kind)
            .inNamespace(namespace)
            .withName(name)
            .get();
    return object != null && object.getAdditionalProperties().get("status") != null;
  }

  private static int servedProbes(KubernetesClient client, String namespace) {
    int served = 0;
    for (IPClaim claim : client.resources(IPClaim.class).inNamespace(namespace).list().getItems()) {
      if (claim.getMetadata().getName().startsWith("probe-")
          && claim.getStatus() != null
          && claim.getStatus().getAddress() != null) {
        served++;
      }
    }
    return served;
  }

  private static int served(KubernetesClient client, String namespace) {
    int served = 0;
    for (IPClaim claim : client.resources(IPClaim.class).inNamespace(namespace).list().getItems()) {
      if (claim.getMetadata().getName().startsWith("c")
          && claim.getStatus() != null
          && claim.getStatus().getAddress() != null) {
        served++;
      }
    }
    for (IPAddressClaim claim :
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems()) {
      // Served: its status names the Cluster API IPAddress (named after the pool's prefix and the
      // address, as upstream names it).
      if (claim.getMetadata().getName().startsWith("k")
          && claim.getStatus() != null
          && claim.getStatus().getAddressRef() != null) {
        served++;
      }
    }
    for (IPAMRequest request :
        client.resources(IPAMRequest.class).inNamespace(namespace).list().getItems()) {
      if (request.getStatus() != null
          && "Ready".equals(request.getStatus().getState())
          && request.getStatus().getCidr() != null) {
        served++;
      }
    }
    return served;
  }

  private static <T extends HasMetadata> T create(KubernetesClient client, T object) {
    return LoopbackWebhooks.created(client, object);
  }

  /** An IPClaim labelled for the webhooks (in the unwatched namespace too). */
  private static IPClaim ipClaim(
      KubernetesClient client, String namespace, String name, String pool) {
    return client
        .getKubernetesSerialization()
        .unmarshal(
            "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPClaim\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    %s: %s\nspec:\n  pool:\n    name: %s\n"
                .formatted(name, namespace, LABEL, namespace.replaceAll("-x$", ""), pool),
            IPClaim.class);
  }

  /** A Cluster API claim of a Metal3 pool, labelled for the webhooks. */
  private static IPAddressClaim capiClaim(String namespace, String name, String pool) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(LABEL, namespace)
            .build());
    claim.setSpec(new IPAddressClaimSpec(new PoolReference("ipam.metal3.io", "IPPool", pool)));
    return claim;
  }

  private static IPAMRequest request(
      KubernetesClient client, String namespace, String name, String range) {
    return client
        .getKubernetesSerialization()
        .unmarshal(
            "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: IPAMRequest\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    %s: %s\nspec:\n  ipam:\n    name: %s\n  size: 32\n"
                .formatted(name, namespace, LABEL, namespace, range),
            IPAMRequest.class);
  }

  private static GenericKubernetesResource yaml(
      KubernetesClient client, String format, String namespace) {
    return client
        .getKubernetesSerialization()
        .unmarshal(format.formatted(namespace), GenericKubernetesResource.class);
  }
}
