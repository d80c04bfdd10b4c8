package org.ipam.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Claims deleted and recreated under the same name (Cluster API reuses names on rolling upgrades):
 * 100 IPClaim names, each created and deleted 5 times with random pauses of 0 to 2 s, while 50
 * other claims are served, then each created once more. A claim is known by its uid: a new claim is
 * never shown the address object of an earlier claim of its name, and what earlier claims held is
 * released. At the end every claim is served by an address object of its own (owner uid), carries
 * the claim finalizer, no two claims share an address, and no address object outlives its claim
 * (after the grace period in which the controller releases objects of vanished claims). Then every
 * claim is deleted: every address object goes, and the pool can be deleted.
 *
 * <p>Once with one controller, once with two controllers with leader election off (split brain).
 * The pauses come from a seeded Random ({@code -Dipam.e2e.recreate.seed=N}, printed).
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class Metal3RecreateIT {
  private static final int NAMES = 100;
  private static final int ROUNDS = 5;
  private static final int STEADY = 50;
  private static final long SEED = Long.getLong("ipam.e2e.recreate.seed", 20261127L);
  private static final String POOL = "pool";

  /** The claim finalizer of upstream's IPClaim. */
  private static final String CLAIM_FINALIZER = "ipclaim.ipam.metal3.io";

  /** How long the controller may take to release an address object whose claim is gone. */
  private static final Duration ORPHAN_GRACE = Duration.ofSeconds(90);

  /** How long a create may wait for the previous claim of its name to finish deleting. */
  private static final Duration PREDECESSOR_TIMEOUT = Duration.ofMinutes(3);

  @Test
  void oneController(Cluster cluster) throws Exception {
    churnAndCheck(cluster, "recreate", 1);
  }

  @Test
  void twoControllersWithoutLeaderElection(Cluster cluster) throws Exception {
    churnAndCheck(cluster, "recreate-split", 2);
  }

  private void churnAndCheck(Cluster cluster, String label, int controllers) throws Exception {
    String namespace = "e2e-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    String tag =
        "E2E recreate (%d controller%s)".formatted(controllers, controllers > 1 ? "s" : "");
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrdsWithCapi(client);
      Metal3Objects objects = new Metal3Objects(client, namespace);
      objects.createNamespace();
      objects.createPool(POOL, "10.81.0.1", "10.81.3.254", 22);
      List<ControllerProcess> processes = new ArrayList<>();
      for (int i = 0; i < controllers; i++) {
        processes.add(
            ControllerProcess.start(
                label + "-" + (char) ('a' + i),
                Metal3SplitBrainIT.controllerFlags(cluster, namespace)));
      }
      for (ControllerProcess process : processes) {
        process.awaitReady(Duration.ofMinutes(3));
      }

      // ---------------------------------------------------------------- churn
      Churn churn = new Churn(objects);
      long start = System.nanoTime();
      ExecutorService workers = Executors.newFixedThreadPool(NAMES + 1);
      try {
        List<Future<?>> done = new ArrayList<>();
        done.add(
            workers.submit(
                () -> {
                  for (int i = 0; i < STEADY; i++) {
                    churn.create(steadyName(i), null);
                  }
                }));
        Random seeds = new Random(SEED);
        for (int i = 0; i < NAMES; i++) {
          String name = churnName(i);
          Random random = new Random(seeds.nextLong());
          done.add(workers.submit(() -> churn.cycle(name, random)));
        }
        for (Future<?> future : done) {
          future.get(15, TimeUnit.MINUTES);
        }
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError("the churn failed", e);
      } finally {
        workers.shutdownNow();
      }
      System.out.printf(
          "%s: %d names x %d create/delete rounds + 1 final create, with %d steady claims, seed %d:"
              + " %d ms; %d creates; %d met the previous claim of their name still there (waited"
              + " %d ms at most)%n",
          tag,
          NAMES,
          ROUNDS,
          STEADY,
          SEED,
          Metal3SplitBrainIT.millisSince(start),
          churn.creates.get(),
          churn.waited.get(),
          churn.longestWaitMillis.get());

      // ---------------------------------------------------------------- the final claims
      TreeSet<String> expectedNames = new TreeSet<>();
      for (int i = 0; i < NAMES; i++) {
        expectedNames.add(churnName(i));
      }
      for (int i = 0; i < STEADY; i++) {
        expectedNames.add(steadyName(i));
      }
      long settle = System.nanoTime();
      boolean served =
          Awaits.quietly(
              Duration.ofMinutes(5),
              () -> {
                AddressAudit audit = AddressAudit.take(client, namespace);
                return audit.claims().size() == expectedNames.size() && audit.unserved().isEmpty();
              });
      long servedMillis = Metal3SplitBrainIT.millisSince(settle);
      boolean clean =
          Awaits.quietly(
              ORPHAN_GRACE.plusSeconds(60),
              () -> {
                AddressAudit audit = AddressAudit.take(client, namespace);
                return audit.clean() && audit.withoutFinalizer(CLAIM_FINALIZER).isEmpty();
              });
      AddressAudit audit = AddressAudit.take(client, namespace);
      System.out.printf(
          "%s: every final claim served: %b (%d ms); clean: %b (%d ms after the churn); %s;"
              + " claims without the finalizer %d%n",
          tag,
          served,
          servedMillis,
          clean,
          Metal3SplitBrainIT.millisSince(settle),
          audit.figures(),
          audit.withoutFinalizer(CLAIM_FINALIZER).size());

      SoftAssertions soft = new SoftAssertions();
      TreeSet<String> missing = new TreeSet<>(expectedNames);
      audit.claims().forEach(claim -> missing.remove(claim.name()));
      soft.assertThat(audit.claims().stream().map(AddressAudit.Claim::name).toList())
          .as(
              "the final claims (missing, with what the churn did to each: %s)",
              missing.stream().map(name -> name + " " + churn.history.get(name)).toList())
          .containsExactlyInAnyOrderElementsOf(expectedNames);
      soft.assertThat(churn.vanished).as("claims deleted by someone else than the test").isEmpty();
      soft.assertThat(audit.unserved())
          .as("final claims not served: %s", AddressAudit.some(audit.unserved()))
          .isEmpty();
      soft.assertThat(audit.claimsPointingAtWrongObjects())
          .as(
              "final claims whose status names an object not their own (owner uid): %s",
              AddressAudit.some(audit.claimsPointingAtWrongObjects()))
          .isEmpty();
      soft.assertThat(audit.withoutFinalizer(CLAIM_FINALIZER))
          .as(
              "final claims without the finalizer %s: %s",
              CLAIM_FINALIZER, AddressAudit.some(audit.withoutFinalizer(CLAIM_FINALIZER)))
          .isEmpty();
      soft.assertThat(audit.addressesHeldTwice())
          .as("addresses held by two claims: %s", AddressAudit.some(audit.addressesHeldTwice()))
          .isEmpty();
      soft.assertThat(audit.addressesSharedByClaimStatuses())
          .as(
              "addresses the statuses of two claims point at: %s",
              AddressAudit.some(audit.addressesSharedByClaimStatuses()))
          .isEmpty();
      soft.assertThat(audit.orphans())
          .as(
              "address objects whose claim (owner uid) is not a live claim, %d s after the churn:"
                  + " %s",
              ORPHAN_GRACE.plusSeconds(60).toSeconds(), AddressAudit.some(audit.orphans()))
          .isEmpty();

      // ---------------------------------------------------------------- delete everything
      long deleting = System.nanoTime();
      for (AddressAudit.Claim claim : audit.claims()) {
        objects.deleteIpClaim(claim.name(), claim.uid());
      }
      boolean released =
          Awaits.quietly(
              ORPHAN_GRACE.plusSeconds(120),
              () -> {
                AddressAudit now = AddressAudit.take(client, namespace);
                return now.claims().isEmpty() && now.addressObjects().isEmpty();
              });
      AddressAudit afterDelete = AddressAudit.take(client, namespace);
      long releasedMillis = Metal3SplitBrainIT.millisSince(deleting);
      client.resources(IPPool.class).inNamespace(namespace).withName(POOL).delete();
      boolean poolGone =
          Awaits.quietly(
              Duration.ofMinutes(2),
              () ->
                  client.resources(IPPool.class).inNamespace(namespace).withName(POOL).get()
                      == null);
      IPPool pool = client.resources(IPPool.class).inNamespace(namespace).withName(POOL).get();
      System.out.printf(
          "%s: after deleting every claim: claims and address objects gone: %b (%d ms), %d claims"
              + " and %d address objects left; pool deleted: %b%s%n",
          tag,
          released,
          releasedMillis,
          afterDelete.claims().size(),
          afterDelete.addressObjects().size(),
          poolGone,
          pool == null ? "" : " (finalizers " + pool.getMetadata().getFinalizers() + ")");
      soft.assertThat(afterDelete.claims())
          .as("claims left after deleting them all: %s", AddressAudit.some(afterDelete.claims()))
          .isEmpty();
      soft.assertThat(afterDelete.addressObjects())
          .as(
              "address objects left after deleting every claim: %s",
              AddressAudit.some(afterDelete.addressObjects()))
          .isEmpty();
      soft.assertThat(pool)
          .as(
              "the pool, deleted after its claims: %s",
              pool == null ? "" : pool.getMetadata().getFinalizers())
          .isNull();
      for (ControllerProcess process : processes) {
        soft.assertThat(process.isAlive()).as(process.name() + " alive").isTrue();
      }
      soft.assertAll();
    }
  }

  private static String churnName(int i) {
    return "churn-%03d".formatted(i);
  }

  private static String steadyName(int i) {
    return "steady-%02d".formatted(i);
  }

  /** Creates and deletes claims; counts what it did. */
  private static final class Churn {
    private final Metal3Objects objects;
    final AtomicInteger creates = new AtomicInteger();
    final AtomicInteger waited = new AtomicInteger();
    final AtomicLong longestWaitMillis = new AtomicLong();

    Churn(Metal3Objects objects) {
      this.objects = objects;
    }

    /** Claims (name and uid) found gone when the churn came to delete them. */
    final List<String> vanished = new CopyOnWriteArrayList<>();

    /** Per name, what the churn did to it: "+uid" for a create, "-uid" for a delete, in order. */
    final Map<String, List<String>> history = new ConcurrentHashMap<>();

    /**
     * {@value #ROUNDS} times create, pause, delete, pause; then create once more. Each delete names
     * the uid the create returned: only that claim goes, never a later one of the name.
     */
    void cycle(String name, Random random) {
      List<String> steps = history.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
      String previous = null;
      for (int round = 0; round < ROUNDS; round++) {
        previous = create(name, previous);
        steps.add("+" + previous);
        pause(random);
        IPClaim before = objects.ipClaim(name);
        if (before == null || !before.getMetadata().getUid().equals(previous)) {
          // Nobody but this loop deletes it: a claim gone before its delete was deleted by
          // someone else (the API server's delete-on-update of an older view, ObjectWrites).
          vanished.add(name + " " + previous);
        }
        objects.deleteIpClaim(name, previous);
        steps.add("-" + previous);
        pause(random);
      }
      steps.add("+" + create(name, previous));
    }

    /**
     * Creates the IPClaim as soon as the API server lets it: while the previous claim of the name
     * (uid {@code previous}) is still being deleted, the create meets AlreadyExists and is tried
     * again. An object of the name that is neither the previous claim nor being deleted is the one
     * this create made (the client retried a create whose first answer it lost). Returns its uid.
     */
    String create(String name, String previous) {
      AtomicReference<String> uid = new AtomicReference<>();
      AtomicInteger attempts = new AtomicInteger();
      long start = System.nanoTime();
      await()
          .atMost(PREDECESSOR_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .pollInSameThread()
          .alias("create IPClaim " + name + " once the previous one (uid " + previous + ") is gone")
          .until(
              () -> {
                attempts.incrementAndGet();
                try {
                  uid.set(objects.newIpClaim(POOL, name).getMetadata().getUid());
                  return true;
                } catch (KubernetesClientException e) {
                  if (e.getCode() != 409) {
                    throw e;
                  }
                }
                IPClaim current = objects.ipClaim(name);
                if (current != null
                    && current.getMetadata().getDeletionTimestamp() == null
                    && !current.getMetadata().getUid().equals(previous)) {
                  uid.set(current.getMetadata().getUid());
                  return true;
                }
                return false;
              });
      creates.incrementAndGet();
      if (attempts.get() > 1) {
        waited.incrementAndGet();
        longestWaitMillis.accumulateAndGet(Metal3SplitBrainIT.millisSince(start), Math::max);
      }
      return uid.get();
    }

    /** Think time between steps: none one time in four, else up to 2 s. */
    private static void pause(Random random) {
      long millis = random.nextInt(4) == 0 ? 0 : random.nextInt(2001);
      if (millis > 0) {
        ControllerProcess.sleep(Duration.ofMillis(millis));
      }
    }
  }
}
