package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Split brain: two controller processes with leader election off on one namespace, one Metal3
 * IPPool of exactly N addresses, and N claims created at once by a client with 8 workers, half
 * Metal3 IPClaims and half Cluster API IPAddressClaims on that pool. Both processes decide and
 * write, each from its own cache; the commit point must let only one of them win each address,
 * whatever kind of claim it serves. Once every claim is served: no address is held by two claims
 * (across both kinds of address object, claims known by kind and uid), every claim's status names
 * an address object of its own with an address no other claim has, no address object outlives its
 * claim, and the pool's {@code status.indexes} has one entry per claim.
 *
 * <p>N is {@value #DEFAULT_CLAIMS} in {@code mvn verify} (the short form), or {@code
 * -Dipam.e2e.splitbrain.claims=N}; the closing figures of issue 10 are from N = 1,000.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class Metal3SplitBrainIT {
  static final int DEFAULT_CLAIMS = 200;
  static final int CLAIMS = Integer.getInteger("ipam.e2e.splitbrain.claims", DEFAULT_CLAIMS);
  private static final int WORKERS = 8;
  private static final String POOL = "pool";

  /**
   * A busy 2-core machine: two writers collide on most addresses at first, and a claim two writers
   * both served keeps its second address for the 30 s grace period; about 0.6 s per claim.
   */
  private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(600).plusMillis(600L * CLAIMS);

  @Test
  void twoControllersWithoutLeaderElectionNeverHandOutOneAddressTwice(Cluster cluster)
      throws Exception {
    String namespace = "e2e-split-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrdsWithCapi(client);
      Metal3Objects objects = new Metal3Objects(client, namespace);
      objects.createNamespace();
      objects.createPool(POOL, "10.80.0.1", lastAddress(CLAIMS), 16);
      List<String> flags = controllerFlags(cluster, namespace);
      ControllerProcess first = ControllerProcess.start("split-brain-a", flags);
      ControllerProcess second = ControllerProcess.start("split-brain-b", flags);
      first.awaitReady(Duration.ofMinutes(3));
      second.awaitReady(Duration.ofMinutes(3));

      long start = System.nanoTime();
      List<String> names = createClaimsAtOnce(objects, CLAIMS);
      long createdMillis = millisSince(start);
      System.out.printf(
          "E2E split-brain: %d claims (%d IPClaims, %d IPAddressClaims) created by %d workers in"
              + " %d ms, pool 10.80.0.1-%s (%d addresses)%n",
          CLAIMS,
          (CLAIMS + 1) / 2,
          CLAIMS / 2,
          WORKERS,
          createdMillis,
          lastAddress(CLAIMS),
          CLAIMS);

      boolean allServed =
          Awaits.quietly(
              SERVE_TIMEOUT,
              () -> {
                AddressAudit audit = AddressAudit.take(client, namespace);
                return audit.claims().size() == CLAIMS && audit.unserved().isEmpty();
              });
      long servedMillis = millisSince(start);
      AddressAudit audit = AddressAudit.take(client, namespace);
      System.out.printf(
          "E2E split-brain: %s %d ms after the first create (timeout %d s); %s%n",
          allServed ? "every claim served" : "NOT every claim served",
          servedMillis,
          SERVE_TIMEOUT.toSeconds(),
          audit.figures());
      System.out.printf(
          "E2E split-brain: allocations decided (per-pass log lines): %s %d, %s %d;"
              + " both alive: %b, %b%n",
          first.name(),
          first.allocationsLogged(),
          second.name(),
          second.allocationsLogged(),
          first.isAlive(),
          second.isAlive());

      Map<String, String> expectedIndexes = audit.addressByClaimName();
      AtomicReference<Map<String, String>> indexes = new AtomicReference<>(Map.of());
      Supplier<Boolean> indexesMatch =
          () -> {
            IPPool pool =
                client.resources(IPPool.class).inNamespace(namespace).withName(POOL).get();
            Map<String, String> current =
                pool == null || pool.getStatus() == null || pool.getStatus().getIndexes() == null
                    ? Map.of()
                    : new TreeMap<>(pool.getStatus().getIndexes());
            indexes.set(current);
            return current.equals(expectedIndexes);
          };
      if (audit.clean()) {
        Awaits.quietly(Duration.ofSeconds(90), indexesMatch::get);
      } else {
        indexesMatch.get();
      }
      System.out.printf(
          "E2E split-brain: pool status.indexes has %d entries for %d claims%n",
          indexes.get().size(), audit.claims().size());

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(audit.claims()).as("claims in the namespace").hasSize(CLAIMS);
      soft.assertThat(audit.unserved())
          .as(
              "claims not served within %s s: %s",
              SERVE_TIMEOUT.toSeconds(), some(audit.unserved()))
          .isEmpty();
      soft.assertThat(audit.addressesHeldTwice())
          .as("(a) addresses held by two claims: %s", AddressAudit.some(audit.addressesHeldTwice()))
          .isEmpty();
      soft.assertThat(audit.claimsPointingAtWrongObjects())
          .as(
              "(b) claims whose status names an object not their own: %s",
              some(audit.claimsPointingAtWrongObjects()))
          .isEmpty();
      soft.assertThat(audit.addressesSharedByClaimStatuses())
          .as(
              "(b) addresses the statuses of two claims point at: %s",
              AddressAudit.some(audit.addressesSharedByClaimStatuses()))
          .isEmpty();
      soft.assertThat(audit.orphans())
          .as("(c) address objects whose claim does not exist: %s", some(audit.orphans()))
          .isEmpty();
      soft.assertThat(indexes.get().keySet())
          .as("(d) the pool's status.indexes: one entry per claim name")
          .isEqualTo(new TreeSet<>(names));
      soft.assertThat(indexes.get())
          .as("(d) status.indexes agrees with the claims")
          .isEqualTo(expectedIndexes);
      soft.assertThat(first.isAlive()).as(first.name() + " alive").isTrue();
      soft.assertThat(second.isAlive()).as(second.name() + " alive").isTrue();
      soft.assertAll();
    }
  }

  static List<String> controllerFlags(Cluster cluster, String namespace) {
    return List.of(
        "--kubeconfig=" + cluster.kubeconfig(),
        "--adapters=metal3",
        "--namespaces=" + namespace,
        "--no-leader-elect",
        // Two processes on one machine: no webhook server (it would need a certificate anyway).
        "--webhook-port=0");
  }

  /**
   * Creates {@code count} claims from {@value #WORKERS} threads, alternating kinds: IPClaims {@code
   * m3-00000}, {@code m3-00002}, ... and IPAddressClaims {@code capi-00001}, ...; returns the
   * names.
   */
  private static List<String> createClaimsAtOnce(Metal3Objects objects, int count)
      throws InterruptedException {
    List<String> names = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    AtomicInteger retried = new AtomicInteger();
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        boolean metal3 = i % 2 == 0;
        String name = (metal3 ? "m3-" : "capi-") + "%05d".formatted(i);
        names.add(name);
        created.add(
            workers.submit(
                () ->
                    createOnce(
                        () -> {
                          if (metal3) {
                            objects.newIpClaim(POOL, name);
                          } else {
                            objects.newCapiClaim(POOL, name);
                          }
                        },
                        () ->
                            objects.claimExists(
                                metal3 ? IPClaim.class : IPAddressClaim.class, name),
                        retried)));
      }
      for (Future<?> future : created) {
        future.get(10, TimeUnit.MINUTES);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("creating the claims failed", e);
    } finally {
      workers.shutdownNow();
    }
    if (retried.get() > 0) {
      System.out.printf(
          "E2E split-brain: %d creates answered AlreadyExists after a retry%n", retried.get());
    }
    return names;
  }

  /**
   * A create; AlreadyExists counts as done when the object exists (the client retried a create
   * whose first answer it lost: our names are unique).
   */
  private static void createOnce(Runnable create, Supplier<Boolean> exists, AtomicInteger retried) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 || !exists.get()) {
        throw e;
      }
      retried.incrementAndGet();
    }
  }

  /** The last address of a pool of {@code count} addresses from 10.80.0.1. */
  static String lastAddress(int count) {
    if (count < 1 || count > 65535) {
      throw new IllegalArgumentException("pool size out of 10.80.0.0/16: " + count);
    }
    return "10.80." + (count / 256) + "." + (count % 256);
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  static String some(java.util.Collection<?> items) {
    return AddressAudit.some(items);
  }
}
