package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * clusterctl move: every Metal3 object copied without its status into a fresh control plane (pools,
 * then claims, then addresses, owner references pointing at the new uids, as clusterctl rewrites
 * them), and the controller started there: every claim gets the address it had, and no IPAddress
 * object is created or replaced.
 *
 * <p>20 claims by default; {@code -Dipam.e2e.move.claims=N} moves N (hack/reliability.sh: 2,000),
 * the pool, the timeouts and the writers sized from it.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class Metal3MoveIT {
  private static final String NAMESPACE = "e2e-move";

  /** How many claims the test moves, read once per test. */
  private final int claims = Integer.getInteger("ipam.e2e.move.claims", 20);

  @Test
  void movedObjectsKeepTheirAddresses(Cluster source, @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        E2eSettings.externalKubeconfig().isEmpty(), "needs a second control plane of its own");
    if (claims < 1) {
      throw new IllegalArgumentException("ipam.e2e.move.claims must be at least 1: " + claims);
    }
    long started = System.nanoTime();
    Duration ready = allowing(Duration.ofMinutes(2), Duration.ofMillis(30));
    Duration serve = allowing(Duration.ofSeconds(60), Duration.ofMillis(150));
    Duration exit = allowing(Duration.ofSeconds(30), Duration.ofMillis(10));
    // Each poll lists every claim: not ten times a second at campaign sizes.
    Duration poll = Duration.ofMillis(100 + claims / 2);
    Map<String, String> before;
    List<List<? extends HasMetadata>> copies = new ArrayList<>();
    long copyNanos;
    try (KubernetesClient client = source.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, NAMESPACE);
      objects.createNamespace();
      createPool(objects, "pool");
      MoveWrites.inParallel(
          IntStream.range(0, claims).boxed().toList(),
          i -> objects.createClaims("pool", "machine", i, i + 1));
      ControllerProcess controller =
          ControllerProcess.start(
              "move-source",
              List.of(
                  "--kubeconfig=" + source.kubeconfig(),
                  "--namespaces=" + NAMESPACE,
                  "--no-leader-elect"));
      controller.awaitReady(ready);
      await()
          .atMost(serve)
          .pollInterval(poll)
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(claims));
      assertThat(controller.terminate(exit)).isZero();
      before = objects.addressesByClaim();
      long copyStarted = System.nanoTime();
      // Owner order, as clusterctl copies: pools, then claims, then addresses.
      copies.add(
          withoutStatus(client.resources(IPPool.class).inNamespace(NAMESPACE).list().getItems()));
      copies.add(
          withoutStatus(client.resources(IPClaim.class).inNamespace(NAMESPACE).list().getItems()));
      copies.add(
          withoutStatus(
              client.resources(IPAddress.class).inNamespace(NAMESPACE).list().getItems()));
      copyNanos = System.nanoTime() - copyStarted;
    }

    try (LocalControlPlane target = new LocalControlPlane().start();
        KubernetesClient client = target.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, NAMESPACE);
      objects.createNamespace();
      long copyStarted = System.nanoTime();
      Map<String, String> newUids = new ConcurrentHashMap<>();
      // A kind's objects at once, each kind once the kinds it may be owned by are all there.
      for (List<? extends HasMetadata> kind : copies) {
        MoveWrites.inParallel(
            kind,
            copy -> {
              rewriteOwners(copy, newUids);
              HasMetadata created = client.resource(copy).create();
              newUids.put(
                  copy.getKind() + "/" + copy.getMetadata().getName(),
                  created.getMetadata().getUid());
            });
      }
      copyNanos += System.nanoTime() - copyStarted;
      Map<String, String> namesBefore = addressObjects(client);
      Path kubeconfig = dir.resolve("target.kubeconfig");
      Files.writeString(kubeconfig, target.kubeconfig());
      long targetStarted = System.nanoTime();
      ControllerProcess controller =
          ControllerProcess.start(
              "move-target",
              List.of(
                  "--kubeconfig=" + kubeconfig, "--namespaces=" + NAMESPACE, "--no-leader-elect"));
      controller.awaitReady(ready);
      await()
          .atMost(serve)
          .pollInterval(poll)
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(claims));
      long servedNanos = System.nanoTime() - targetStarted;
      int allocationsLogged = controller.allocationsLogged();
      System.out.printf(
          "E2E metal3 move: %d claims moved (%d objects copied) in %.1f s; every moved claim"
              + " served %.1f s after the target controller started; allocations the target"
              + " logged %d; whole test %d s%n",
          claims,
          copies.stream().mapToInt(List::size).sum(),
          copyNanos / 1e9,
          servedNanos / 1e9,
          allocationsLogged,
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      assertThat(objects.addressesByClaim()).isEqualTo(before);
      // Same objects: same names and uids, none created, none replaced.
      assertThat(addressObjects(client)).isEqualTo(namesBefore);
      // The moved IPAddresses name their claims' new uids: every claim finds its own, nothing is
      // committed anew.
      assertThat(allocationsLogged).isZero();
      controller.terminate(exit);
    }
  }

  /** A base timeout and an allowance for each claim. */
  private Duration allowing(Duration base, Duration perClaim) {
    return base.plus(perClaim.multipliedBy(claims));
  }

  /**
   * The pool: 10.20.0.1 to 10.20.3.254 (a /22) for up to 511 claims, as the other Metal3 tests have
   * it; for more, the smallest larger subnet of 10.20.0.0 holding twice the claims.
   */
  private void createPool(Metal3Objects objects, String name) {
    int prefix = 22;
    while ((1L << (32 - prefix)) - 2 < 2L * claims) {
      prefix--;
    }
    if (prefix < 16) {
      throw new IllegalArgumentException("ipam.e2e.move.claims too large: " + claims);
    }
    long last = (10L << 24 | 20L << 16) + (1L << (32 - prefix)) - 2;
    objects.createPool(name, "10.20.0.1", MoveWrites.dotted(last), prefix);
  }

  /** What clusterctl carries over: metadata that describes the object, and its spec. */
  private static <T extends HasMetadata> List<T> withoutStatus(List<T> objects) {
    for (T object : objects) {
      ObjectMeta meta = object.getMetadata();
      object.setMetadata(
          new ObjectMetaBuilder()
              .withName(meta.getName())
              .withNamespace(meta.getNamespace())
              .withLabels(meta.getLabels())
              .withAnnotations(meta.getAnnotations())
              .withFinalizers(meta.getFinalizers())
              .withOwnerReferences(meta.getOwnerReferences())
              .build());
      if (object instanceof CustomResource<?, ?> resource) {
        resource.setStatus(null);
      }
    }
    return objects;
  }

  private static void rewriteOwners(HasMetadata copy, Map<String, String> newUids) {
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference owner : copy.getMetadata().getOwnerReferences()) {
      String uid = newUids.get(owner.getKind() + "/" + owner.getName());
      if (uid != null) {
        owner.setUid(uid);
        owners.add(owner);
      }
    }
    copy.getMetadata().setOwnerReferences(owners);
  }

  /** IPAddress name to uid. */
  private static Map<String, String> addressObjects(KubernetesClient client) {
    Map<String, String> byName = new HashMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(NAMESPACE).list().getItems()) {
      byName.put(address.getMetadata().getName(), address.getMetadata().getUid());
    }
    return byName;
  }
}
