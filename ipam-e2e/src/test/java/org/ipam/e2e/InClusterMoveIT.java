package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.Crds;
import org.ipam.core.testing.ClusterApiCrd;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.incluster.adapter.InClusterDialectModule;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * clusterctl move of the in-cluster dialect, step by step as clusterctl takes it, with the
 * controller running on both sides and its webhooks on: an InClusterIPPool, a GlobalInClusterIPPool
 * and an InClusterPrefixPool with 8 IPAddressClaims each (one of them deleted again, to leave a
 * hole), the claims belonging to a Cluster (made paused, unpaused once its claims exist). The
 * Cluster is paused; every object is copied without its status into a second control plane whose
 * controller already runs (clusterctl init comes before move): the Cluster, still paused, then the
 * pools, the claims and the IPAddresses, owner references pointed at the new uids; then deleted
 * from the source as clusterctl deletes, leaves first, each object first marked {@code
 * clusterctl.cluster.x-k8s.io/delete-for-move} and stripped of its finalizers; then the Cluster is
 * unpaused on the target.
 *
 * <p>The pools' ledgers ({@code status.allocations}, the commit record of the in-cluster dialect)
 * do not travel: status is not copied. Asserted: every moved claim is served with the very address
 * (child prefix) it had, through its moved IPAddress (same uid: nothing created or replaced); no
 * address twice in a pool; no IPAddress without its claim; each pool's ledger rebuilt equal to its
 * IPAddresses (address and new claim uid) and its counts equal to them; a new claim on each pool
 * gets the hole (the lowest free address), which no moved claim holds; the source left empty, no
 * finalizer stuck there; and on the target every claim and pool deleted in the end goes, with its
 * IPAddresses. Before the source is emptied, the pool webhook is shown to refuse deleting a pool in
 * use and to admit it once the pool carries clusterctl's delete-for-move annotation.
 *
 * <p>Both control planes are the test's own, not the suite's shared one: with {@code --namespaces}
 * the controller serves no Global pool, and without it it would serve other tests' objects. Writes
 * of the test that the webhooks review are sent again when a webhook call times out ({@link
 * LoopbackWebhooks#admitted}).
 *
 * <p>{@code -Dipam.e2e.move.claims-per-pool=N} (or {@code -Dipam.e2e.move.claims=N}) puts N claims
 * on each pool (at least 4; hack/reliability.sh: 667, about 2,000 in all): the pools' ranges, the
 * timeouts and the writers are sized from it; at 8 the ranges are the ones above.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class InClusterMoveIT {
  /** The claim of each pool deleted before the move: its address is the hole the move keeps. */
  private static final int RELEASED = 3;

  /** Claims on each pool, read once per test (8 by default). */
  private final int claimsPerPool =
      Integer.getInteger(
          "ipam.e2e.move.claims-per-pool", Integer.getInteger("ipam.e2e.move.claims", 8));

  /** A base and an allowance for each claim of the test (all pools). */
  private final Duration serveTimeout = allowing(Duration.ofSeconds(90), Duration.ofMillis(150));

  private final Duration settleTimeout = allowing(Duration.ofSeconds(90), Duration.ofMillis(150));

  private static final String POOL_API_VERSION = InClusterApi.apiVersion(InClusterApi.V1ALPHA2);
  private static final String CAPI_API_VERSION =
      IPAddressClaim.GROUP + "/" + IPAddressClaim.VERSION;
  private static final String CLUSTER_API_VERSION = "cluster.x-k8s.io/v1beta2";

  /** A pool of the move: kind, name, spec, and how many addresses (child prefixes) it has. */
  private record PoolCase(String kind, String name, Map<String, Object> spec, long total) {
    boolean global() {
      return InClusterApi.isGlobal(kind);
    }

    boolean prefixPool() {
      return InClusterApi.isPrefixPool(kind);
    }

    String claimName(Object index) {
      return name + "-" + index;
    }

    boolean holds(IPAddress address) {
      PoolReference ref = address.getSpec().getPoolRef();
      return kind.equals(ref.getKind()) && name.equals(ref.getName());
    }

    /** What an IPAddress of this pool holds, as its ledger entry spells it. */
    String held(IPAddress address) {
      return prefixPool()
          ? address.getSpec().getAddress() + "/" + address.getSpec().getPrefix()
          : address.getSpec().getAddress();
    }

    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  @Test
  void movedClaimsKeepTheirAddressesAndTheRebuiltLedgersHandOutNothingTwice(@TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(
        E2eSettings.externalKubeconfig().isEmpty(),
        "needs two control planes of its own, and webhooks on 127.0.0.1");
    if (claimsPerPool < RELEASED + 1) {
      throw new IllegalArgumentException(
          "ipam.e2e.move.claims-per-pool must be at least "
              + (RELEASED + 1)
              + ": "
              + claimsPerPool);
    }
    long started = System.nanoTime();
    String namespace = "e2e-ic-move";
    String clusterName = "work";
    List<PoolCase> pools = pools(claimsPerPool);
    List<String> allClaims = new ArrayList<>();
    List<String> movedClaims = new ArrayList<>();
    for (PoolCase pool : pools) {
      for (int i = 0; i < claimsPerPool; i++) {
        allClaims.add(pool.claimName(i));
        if (i != RELEASED) {
          movedClaims.add(pool.claimName(i));
        }
      }
    }

    // Two control planes, each with the in-cluster CRDs and Cluster API's Cluster, each with a
    // controller serving the webhooks (clusterctl init on both before the move). Not the suite's
    // shared plane: with --namespaces a controller serves no Global pool (their reconcilers watch
    // only those namespaces, where no cluster-scoped object is), and without it, other tests'
    // objects.
    try (LocalControlPlane sourcePlane = new LocalControlPlane().start();
        KubernetesClient from = sourcePlane.newClient();
        LocalControlPlane targetPlane = new LocalControlPlane().start();
        KubernetesClient to = targetPlane.newClient()) {
      LoopbackWebhooks.Serving sourceHooks = LoopbackWebhooks.prepare(dir.resolve("source-tls"));
      LoopbackWebhooks.Serving targetHooks = LoopbackWebhooks.prepare(dir.resolve("target-tls"));
      installCrds(from);
      installCrds(to);
      try (ControllerProcess sourceController =
              ControllerProcess.start(
                  "incluster-move-source",
                  flags(kubeconfig(sourcePlane, dir, "source"), sourceHooks));
          ControllerProcess targetController =
              ControllerProcess.start(
                  "incluster-move-target",
                  flags(kubeconfig(targetPlane, dir, "target"), targetHooks))) {
        createNamespace(from, namespace);
        createNamespace(to, namespace);
        sourceController.awaitReady(Duration.ofMinutes(3));
        targetController.awaitReady(Duration.ofMinutes(3));
        registerWebhooks(from, sourceHooks, namespace, clusterName);
        registerWebhooks(to, targetHooks, namespace, clusterName);
        long ready = System.nanoTime();

        // The source: the Cluster made paused, its pools and claims, then the Cluster unpaused:
        // every claim served at once. Then one per pool deleted again (a hole).
        GenericKubernetesResource cluster = createCluster(from, namespace, clusterName);
        for (PoolCase pool : pools) {
          LoopbackWebhooks.created(from, pool(pool, namespace, clusterName));
        }
        MoveWrites.inParallel(
            pools.stream()
                .flatMap(p -> IntStream.range(0, claimsPerPool).mapToObj(i -> Map.entry(p, i)))
                .toList(),
            c ->
                LoopbackWebhooks.created(
                    from,
                    claim(
                        c.getKey(),
                        c.getKey().claimName(c.getValue()),
                        namespace,
                        clusterName,
                        cluster)));
        pause(from, namespace, clusterName, false);
        assertThat(
                Awaits.quietly(serveTimeout, () -> unserved(from, namespace, allClaims).isEmpty()))
            .as("source: every claim served; unserved: %s", unserved(from, namespace, allClaims))
            .isTrue();
        Map<String, String> holes = new LinkedHashMap<>();
        Map<String, String> served = heldByClaim(from, namespace);
        for (PoolCase pool : pools) {
          String name = pool.claimName(RELEASED);
          holes.put(pool.name(), served.get(name));
          from.resources(IPAddressClaim.class).inNamespace(namespace).withName(name).delete();
        }
        assertThat(
                Awaits.quietly(
                    settleTimeout,
                    () -> poolProblems(from, namespace, pools, claimsPerPool - 1).isEmpty()))
            .as(
                "source: pools settled on %d IPAddresses each: %s",
                claimsPerPool - 1, poolProblems(from, namespace, pools, claimsPerPool - 1))
            .isTrue();
        Map<String, String> before = heldByClaim(from, namespace);
        assertThat(before.keySet()).containsExactlyInAnyOrderElementsOf(movedClaims);
        assertThat(before.values()).doesNotContainAnyElementsOf(holes.values());

        // clusterctl move: pause; copy, roots first (the Cluster, paused as it now is); delete
        // from the source, leaves first.
        long moveStarted = System.nanoTime();
        pause(from, namespace, clusterName, true);
        // Owner order: the Cluster, the pools, the claims, the IPAddresses; the objects of one
        // group at once, a group once every group before it is there (owners get their new uids).
        List<List<GenericKubernetesResource>> groups = new ArrayList<>();
        groups.add(List.of(copyOf(clusterResource(from, namespace).withName(clusterName).get())));
        List<GenericKubernetesResource> poolCopies = new ArrayList<>();
        for (PoolCase pool : pools) {
          poolCopies.add(copyOf(poolResource(from, namespace, pool).withName(pool.name()).get()));
        }
        groups.add(poolCopies);
        groups.add(copiesOf(from, namespace, "IPAddressClaim"));
        groups.add(copiesOf(from, namespace, "IPAddress"));
        Map<String, String> newUids = new ConcurrentHashMap<>();
        List<String> statusesCarried = Collections.synchronizedList(new ArrayList<>());
        for (List<GenericKubernetesResource> group : groups) {
          MoveWrites.inParallel(
              group,
              copy -> {
                rewriteOwners(copy, newUids);
                GenericKubernetesResource created = LoopbackWebhooks.created(to, copy);
                newUids.put(
                    copy.getKind() + "/" + copy.getMetadata().getName(),
                    created.getMetadata().getUid());
                if (created.getAdditionalProperties().get("status") != null) {
                  statusesCarried.add(copy.getKind() + " " + copy.getMetadata().getName());
                }
              });
        }
        long copied = System.nanoTime();
        Map<String, String> addressUids = addressUids(to, namespace);
        // The pool webhook guards a pool in use, but admits its delete once clusterctl has marked
        // it delete-for-move (here before the IPAddresses go, to show the mark is what counts).
        PoolCase guarded = pools.get(0);
        PoolCase marked = pools.get(1);
        String refused = dryRunDelete(from, namespace, guarded);
        markDeleteForMove(poolResource(from, namespace, marked).withName(marked.name()));
        String admitted = dryRunDelete(from, namespace, marked);
        deleteAsClusterctl(from, namespace, groups);
        List<String> unservedWhilePaused = unserved(to, namespace, movedClaims);
        pause(to, namespace, clusterName, false);
        long unpaused = System.nanoTime();

        boolean allServed =
            Awaits.quietly(serveTimeout, () -> unserved(to, namespace, movedClaims).isEmpty());
        long servedAfterUnpause = Duration.ofNanos(System.nanoTime() - unpaused).toMillis();
        boolean settled =
            Awaits.quietly(
                settleTimeout,
                () -> poolProblems(to, namespace, pools, claimsPerPool - 1).isEmpty());
        Map<String, String> after = heldByClaim(to, namespace);
        Map<String, String> addressUidsAfter = addressUids(to, namespace);
        List<String> auditAfterMove = audit(to, namespace, pools);
        List<String> poolsAfterMove = poolProblems(to, namespace, pools, claimsPerPool - 1);
        // Before the new claims: what the target committed for the moved claims (nothing).
        int allocationsForMoved = targetController.allocationsLogged();

        // A new claim on each pool: the hole, the lowest free address, no moved claim's.
        GenericKubernetesResource movedCluster =
            clusterResource(to, namespace).withName(clusterName).get();
        List<String> newClaims = new ArrayList<>();
        for (PoolCase pool : pools) {
          newClaims.add(pool.claimName("new"));
          LoopbackWebhooks.created(
              to, claim(pool, pool.claimName("new"), namespace, clusterName, movedCluster));
        }
        boolean newServed =
            Awaits.quietly(serveTimeout, () -> unserved(to, namespace, newClaims).isEmpty());
        boolean settledWithNew =
            Awaits.quietly(
                settleTimeout, () -> poolProblems(to, namespace, pools, claimsPerPool).isEmpty());
        Map<String, String> withNew = heldByClaim(to, namespace);
        List<String> auditWithNew = audit(to, namespace, pools);
        List<String> poolsWithNew = poolProblems(to, namespace, pools, claimsPerPool);
        int allocationsLogged = targetController.allocationsLogged();

        // The source: nothing left, nothing held by a finalizer, nothing made again.
        boolean sourceEmpty =
            Awaits.quietly(
                settleTimeout, () -> leftOn(from, namespace, clusterName, pools).isEmpty());

        // The target torn down: the claims release the moved IPAddresses, then the pools go. The
        // claims one by one, a few at once: one delete of the collection has the API server call
        // the webhook for every claim before it answers, longer than a request may take at
        // campaign sizes.
        MoveWrites.inParallel(
            to.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems(),
            claim ->
                LoopbackWebhooks.admitted(
                    () ->
                        to.resources(IPAddressClaim.class)
                            .inNamespace(namespace)
                            .withName(claim.getMetadata().getName())
                            .delete()));
        boolean released =
            Awaits.quietly(settleTimeout, () -> poolProblems(to, namespace, pools, 0).isEmpty());
        for (PoolCase pool : pools) {
          LoopbackWebhooks.admitted(
              () -> poolResource(to, namespace, pool).withName(pool.name()).delete());
        }
        boolean targetEmpty =
            Awaits.quietly(settleTimeout, () -> leftOn(to, namespace, null, pools).isEmpty());

        System.out.printf(
            "E2E in-cluster move: controllers ready in %d s; %d claims on %d pools (%d each, one"
                + " released) copied in %.1f s, moved in %d s; served %.1f s after unpause (%s);"
                + " allocations the target logged %d for the moved claims, %d in all (%d new"
                + " claims, which got %s; holes %s); writes sent again after a webhook timeout %d;"
                + " whole test %d s%n",
            Duration.ofNanos(ready - started).toSeconds(),
            movedClaims.size(),
            pools.size(),
            claimsPerPool,
            (copied - moveStarted) / 1e9,
            Duration.ofNanos(unpaused - moveStarted).toSeconds(),
            servedAfterUnpause / 1e3,
            allServed ? "all" : "NOT all",
            allocationsForMoved,
            allocationsLogged,
            newClaims.size(),
            newClaims.stream().map(withNew::get).toList(),
            holes,
            LoopbackWebhooks.resent(),
            Duration.ofNanos(System.nanoTime() - started).toSeconds());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(statusesCarried)
            .as("objects created on the target with a status")
            .isEmpty();
        soft.assertThat(refused)
            .as("dry-run delete of %s in use, unmarked", guarded)
            .contains("Pool has IPAddresses allocated");
        soft.assertThat(admitted)
            .as("dry-run delete of %s in use, marked delete-for-move", marked)
            .isEmpty();
        soft.assertThat(unservedWhilePaused)
            .as("claims the target left unserved while their Cluster was paused")
            .containsExactlyInAnyOrderElementsOf(movedClaims);
        soft.assertThat(allServed)
            .as("every moved claim served; unserved: %s", unserved(to, namespace, movedClaims))
            .isTrue();
        soft.assertThat(after).as("claim -> pool, address/prefix after the move").isEqualTo(before);
        soft.assertThat(addressUidsAfter)
            .as("IPAddresses after the move: the moved ones, none created or replaced")
            .isEqualTo(addressUids);
        soft.assertThat(auditAfterMove).as("claims and IPAddresses after the move").isEmpty();
        soft.assertThat(settled).as("pools after the move: %s", poolsAfterMove).isTrue();
        soft.assertThat(newServed)
            .as("new claims served; unserved: %s", unserved(to, namespace, newClaims))
            .isTrue();
        for (PoolCase pool : pools) {
          String got = withNew.get(pool.claimName("new"));
          soft.assertThat(got).as("the new claim of %s", pool).isEqualTo(holes.get(pool.name()));
          soft.assertThat(before.values())
              .as("addresses of the moved claims, against the new claim of %s", pool)
              .doesNotContain(got);
        }
        soft.assertThat(auditWithNew).as("claims and IPAddresses with the new claims").isEmpty();
        soft.assertThat(settledWithNew).as("pools with the new claims: %s", poolsWithNew).isTrue();
        soft.assertThat(allocationsLogged)
            .as("allocations the target controller committed (the new claims only)")
            .isEqualTo(newClaims.size());
        soft.assertThat(sourceEmpty)
            .as("source emptied; left: %s", leftOn(from, namespace, clusterName, pools))
            .isTrue();
        soft.assertThat(released)
            .as(
                "target claims deleted, IPAddresses released: %s",
                poolProblems(to, namespace, pools, 0))
            .isTrue();
        soft.assertThat(targetEmpty)
            .as("target pools deleted; left: %s", leftOn(to, namespace, null, pools))
            .isTrue();
        soft.assertThat(sourceController.isAlive()).as("source controller alive").isTrue();
        soft.assertThat(targetController.isAlive()).as("target controller alive").isTrue();
        soft.assertAll();
      }
    }
  }

  private Duration allowing(Duration base, Duration perClaim) {
    return base.plus(perClaim.multipliedBy(3L * claimsPerPool));
  }

  /**
   * The three pools, each sized for {@code perPool} claims with room to spare; at 8 (the default)
   * 31 addresses from 10.10.0.10, 10.20.0.0/28 (15: its network address is reserved) and
   * fd00:0:0:100::/56 in /64s (255: the first is excluded).
   */
  private static List<PoolCase> pools(int perPool) {
    // nodes: a range of max(31, 2 per claim) from 10.10.0.10, in a /24 while it fits, else a /16.
    int nodes = Math.max(31, 2 * perPool);
    long first = 10L << 24 | 10L << 16 | 10;
    long last = first + nodes - 1;
    if (last > (10L << 24 | 10L << 16 | 0xfffe)) {
      throw new IllegalArgumentException("claims per pool too many: " + perPool);
    }
    int nodesPrefix = last <= (10L << 24 | 10L << 16 | 254) ? 24 : 16;
    // vip: 10.20.0.0/(32-b), 2^b >= 2 per claim (b >= 4), in a subnet twice its size at most a
    // /24 (its network address reserved, its gateway the subnet's last but one).
    int vipBits = Math.max(4, ceilLog2(2 * perPool));
    int vipPrefix = Math.min(24, 31 - vipBits);
    long vipBase = 10L << 24 | 20L << 16;
    // pods: /64s of fd00:0:0:<2^b>::/(64-b), 2^b >= 2 per claim (b >= 8), the first excluded.
    int podBits = Math.max(8, ceilLog2(2 * perPool));
    if (vipBits > 15 || podBits > 15) {
      throw new IllegalArgumentException("claims per pool too many: " + perPool);
    }
    String podBase = "fd00:0:0:%x::".formatted(1 << podBits);
    return List.of(
        new PoolCase(
            InClusterApi.IN_CLUSTER_IP_POOL,
            "nodes",
            Map.of(
                "addresses",
                List.of(MoveWrites.dotted(first) + "-" + MoveWrites.dotted(last)),
                "prefix",
                nodesPrefix,
                "gateway",
                "10.10.0.1"),
            nodes),
        new PoolCase(
            InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL,
            "vip",
            Map.of(
                "addresses",
                List.of(MoveWrites.dotted(vipBase) + "/" + (32 - vipBits)),
                "prefix",
                vipPrefix,
                "gateway",
                MoveWrites.dotted(vipBase + (1L << (32 - vipPrefix)) - 2)),
            (1L << vipBits) - 1),
        new PoolCase(
            InClusterApi.IN_CLUSTER_PREFIX_POOL,
            "pods",
            Map.of(
                "prefixes",
                List.of(podBase + "/" + (64 - podBits)),
                "allocationPrefixLength",
                64,
                "gateway",
                podBase + "1",
                "excludedPrefixes",
                List.of(podBase + "/64")),
            (1L << podBits) - 1));
  }

  private static int ceilLog2(int n) {
    return 32 - Integer.numberOfLeadingZeros(n - 1);
  }

  private static Path kubeconfig(LocalControlPlane plane, Path dir, String name)
      throws java.io.IOException {
    Path file = dir.resolve(name + ".kubeconfig");
    Files.writeString(file, plane.kubeconfig());
    return file;
  }

  private static List<String> flags(Path kubeconfig, LoopbackWebhooks.Serving webhooks) {
    List<String> flags = new ArrayList<>();
    flags.add("--kubeconfig=" + kubeconfig);
    flags.add("--adapters=incluster");
    flags.add("--no-leader-elect");
    flags.addAll(webhooks.flags());
    return flags;
  }

  /** The in-cluster CRDs and Cluster API's Cluster: before the controller starts, or no pause. */
  private static void installCrds(KubernetesClient client) {
    Crds.install(
        client,
        InClusterDialectModule.class.getClassLoader(),
        new InClusterDialectModule().crdResources());
    ClusterApiCrd.install(client);
  }

  private static void createNamespace(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /**
   * The in-cluster webhooks for this test's objects (labelled with its Cluster), then a wait until
   * the API server calls them: a bad pool is refused by the webhook.
   */
  private static void registerWebhooks(
      KubernetesClient client,
      LoopbackWebhooks.Serving serving,
      String namespace,
      String clusterName) {
    LoopbackWebhooks.register(
        client,
        "ipam-e2e-incluster-move",
        serving,
        Set.of(InClusterApi.GROUP),
        InClusterApi.CLUSTER_NAME_LABEL,
        clusterName);
    PoolCase bad =
        new PoolCase(
            InClusterApi.IN_CLUSTER_IP_POOL,
            "probe",
            Map.of("addresses", List.of("10.0.0.300"), "prefix", 24),
            0);
    assertThat(
            Awaits.quietly(
                Duration.ofSeconds(60),
                () -> {
                  try {
                    client.resource(pool(bad, namespace, clusterName)).dryRun().create();
                    return false;
                  } catch (KubernetesClientException e) {
                    return String.valueOf(e.getMessage()).contains("denied the request");
                  }
                }))
        .as("the API server calls the webhooks at port %d", serving.port())
        .isTrue();
  }

  /** The Cluster, made paused: its claims are served once it is unpaused. */
  private static GenericKubernetesResource createCluster(
      KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource cluster = new GenericKubernetesResource();
    cluster.setApiVersion(CLUSTER_API_VERSION);
    cluster.setKind("Cluster");
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    cluster.setAdditionalProperty("spec", Map.of("paused", true));
    return client.resource(cluster).create();
  }

  /** clusterctl's pause and resume: the Cluster's {@code spec.paused}. */
  private static void pause(
      KubernetesClient client, String namespace, String clusterName, boolean paused) {
    clusterResource(client, namespace)
        .withName(clusterName)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":" + paused + "}}");
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      clusterResource(KubernetesClient client, String namespace) {
    return client.genericKubernetesResources(CLUSTER_API_VERSION, "Cluster").inNamespace(namespace);
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      poolResource(KubernetesClient client, String namespace, PoolCase pool) {
    var pools = client.genericKubernetesResources(POOL_API_VERSION, pool.kind());
    return pool.global() ? pools : pools.inNamespace(namespace);
  }

  /** A pool labelled with the Cluster, as pools that move with a cluster are (and the webhooks). */
  private static GenericKubernetesResource pool(
      PoolCase pool, String namespace, String clusterName) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion(POOL_API_VERSION);
    object.setKind(pool.kind());
    object.setMetadata(
        new ObjectMetaBuilder()
            .withName(pool.name())
            .withNamespace(pool.global() ? null : namespace)
            .addToLabels(InClusterApi.CLUSTER_NAME_LABEL, clusterName)
            .build());
    object.setAdditionalProperty("spec", pool.spec());
    return object;
  }

  /** A claim of the Cluster (clusterName, label, and owned by it as a Machine's would be). */
  private static IPAddressClaim claim(
      PoolCase pool,
      String name,
      String namespace,
      String clusterName,
      GenericKubernetesResource cluster) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(InClusterApi.CLUSTER_NAME_LABEL, clusterName)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(CLUSTER_API_VERSION)
                    .withKind("Cluster")
                    .withName(clusterName)
                    .withUid(cluster.getMetadata().getUid())
                    .build())
            .build());
    IPAddressClaimSpec spec =
        new IPAddressClaimSpec(new PoolReference(InClusterApi.GROUP, pool.kind(), pool.name()));
    spec.setClusterName(clusterName);
    claim.setSpec(spec);
    return claim;
  }

  /**
   * Claims (of these names) not served: Ready=True and status.addressRef naming their IPAddress.
   */
  private static List<String> unserved(
      KubernetesClient client, String namespace, Collection<String> names) {
    Map<String, IPAddressClaim> claims = new TreeMap<>();
    for (IPAddressClaim claim :
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems()) {
      claims.put(claim.getMetadata().getName(), claim);
    }
    List<String> unserved = new ArrayList<>();
    for (String name : names) {
      IPAddressClaim claim = claims.get(name);
      boolean served =
          claim != null
              && ClaimReady.is(claim, "True")
              && claim.getStatus().getAddressRef() != null
              && name.equals(claim.getStatus().getAddressRef().getName());
      if (!served) {
        unserved.add(name);
      }
    }
    return unserved;
  }

  /** Claim name to {@code "<pool> <address>/<prefix>"}, from the IPAddresses. */
  private static Map<String, String> heldByClaim(KubernetesClient client, String namespace) {
    Map<String, String> held = new TreeMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      held.put(
          address.getSpec().getClaimRef().getName(),
          address.getSpec().getPoolRef().getName()
              + " "
              + address.getSpec().getAddress()
              + "/"
              + address.getSpec().getPrefix());
    }
    return held;
  }

  /** IPAddress name to uid. */
  private static Map<String, String> addressUids(KubernetesClient client, String namespace) {
    Map<String, String> uids = new TreeMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      uids.put(address.getMetadata().getName(), address.getMetadata().getUid());
    }
    return uids;
  }

  /**
   * What is wrong with each pool, expecting {@code used} IPAddresses in it: its counts against its
   * IPAddresses and its spec, its Ready condition, and its ledger against its IPAddresses (each
   * address for the uid of the claim that owns its IPAddress).
   */
  private static List<String> poolProblems(
      KubernetesClient client, String namespace, List<PoolCase> pools, int used) {
    List<IPAddress> addresses =
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems();
    List<String> problems = new ArrayList<>();
    for (PoolCase pool : pools) {
      List<IPAddress> held = addresses.stream().filter(pool::holds).toList();
      if (held.size() != used) {
        problems.add(pool + ": " + held.size() + " IPAddresses, expected " + used);
      }
      GenericKubernetesResource object =
          poolResource(client, namespace, pool).withName(pool.name()).get();
      PoolStatus status =
          object == null || object.getAdditionalProperties().get("status") == null
              ? null
              : client
                  .getKubernetesSerialization()
                  .convertValue(object.getAdditionalProperties().get("status"), PoolStatus.class);
      if (status == null || status.getIpAddresses() == null) {
        problems.add(pool + ": no status.ipAddresses");
        continue;
      }
      var counts = status.getIpAddresses();
      String expected =
          "total=%d used=%d free=%d outOfRange=0"
              .formatted(pool.total(), held.size(), pool.total() - held.size());
      String actual =
          "total=%d used=%d free=%d outOfRange=%d"
              .formatted(
                  counts.getTotal(), counts.getUsed(), counts.getFree(), counts.getOutOfRange());
      if (!expected.equals(actual)) {
        problems.add(pool + ": counts " + actual + ", expected " + expected);
      }
      boolean ready =
          status.getConditions() != null
              && status.getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        problems.add(pool + ": not Ready " + status.getConditions());
      }
      Map<String, String> ledger = new TreeMap<>();
      if (status.getAllocations() != null) {
        for (AllocationRecord entry : status.getAllocations()) {
          ledger.put(entry.getAddress(), entry.getUid());
        }
      }
      Map<String, String> objects = new TreeMap<>();
      for (IPAddress address : held) {
        objects.put(pool.held(address), ownerUid(address, "IPAddressClaim"));
      }
      if (!ledger.equals(objects)) {
        problems.add(pool + ": ledger " + ledger + " is not the IPAddresses' " + objects);
      }
    }
    return problems;
  }

  /**
   * What is wrong between claims and IPAddresses: a claim whose status names an IPAddress that is
   * not its own (owner uid), an IPAddress whose claim (by uid) is gone or that does not name its
   * pool as owner, an address held twice in one pool, a claim or IPAddress without its finalizer.
   */
  private static List<String> audit(
      KubernetesClient client, String namespace, List<PoolCase> pools) {
    Map<String, IPAddressClaim> claimsByUid = new TreeMap<>();
    for (IPAddressClaim claim :
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems()) {
      claimsByUid.put(claim.getMetadata().getUid(), claim);
    }
    Map<String, IPAddress> addressesByName = new TreeMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      addressesByName.put(address.getMetadata().getName(), address);
    }
    List<String> problems = new ArrayList<>();
    for (IPAddressClaim claim : claimsByUid.values()) {
      String name = claim.getMetadata().getName();
      if (!claim.getMetadata().getFinalizers().contains(InClusterApi.RELEASE_ADDRESS_FINALIZER)) {
        problems.add("claim " + name + " lacks " + InClusterApi.RELEASE_ADDRESS_FINALIZER);
      }
      if (claim.getStatus() == null || claim.getStatus().getAddressRef() == null) {
        continue;
      }
      IPAddress own = addressesByName.get(claim.getStatus().getAddressRef().getName());
      if (own == null || !claim.getMetadata().getUid().equals(ownerUid(own, "IPAddressClaim"))) {
        problems.add("claim " + name + " names an IPAddress not its own: " + own);
      }
    }
    Map<String, List<String>> holders = new TreeMap<>();
    for (IPAddress address : addressesByName.values()) {
      String name = address.getMetadata().getName();
      if (!claimsByUid.containsKey(ownerUid(address, "IPAddressClaim"))) {
        problems.add("IPAddress " + name + " has no claim (orphan)");
      }
      if (!address.getMetadata().getFinalizers().contains(InClusterApi.PROTECT_ADDRESS_FINALIZER)) {
        problems.add("IPAddress " + name + " lacks " + InClusterApi.PROTECT_ADDRESS_FINALIZER);
      }
      PoolCase pool = pools.stream().filter(p -> p.holds(address)).findFirst().orElse(null);
      if (pool == null) {
        problems.add("IPAddress " + name + " names no pool of the test");
        continue;
      }
      GenericKubernetesResource poolObject =
          poolResource(client, namespace, pool).withName(pool.name()).get();
      if (poolObject == null
          || !poolObject.getMetadata().getUid().equals(ownerUid(address, pool.kind()))) {
        problems.add("IPAddress " + name + " is not owned by its pool " + pool);
      }
      holders.computeIfAbsent(pool + " " + pool.held(address), k -> new ArrayList<>()).add(name);
    }
    holders.forEach(
        (address, names) -> {
          if (names.size() > 1) {
            problems.add(address + " held twice: " + names);
          }
        });
    return problems;
  }

  private static String ownerUid(io.fabric8.kubernetes.api.model.HasMetadata object, String kind) {
    return object.getMetadata().getOwnerReferences().stream()
        .filter(o -> kind.equals(o.getKind()))
        .map(OwnerReference::getUid)
        .findFirst()
        .orElse(null);
  }

  /**
   * What of the test is left on a control plane: pools, claims, IPAddresses, each with its
   * finalizers, and the Cluster (when named).
   */
  private static List<String> leftOn(
      KubernetesClient client, String namespace, String clusterName, List<PoolCase> pools) {
    List<String> left = new ArrayList<>();
    if (clusterName != null
        && clusterResource(client, namespace).withName(clusterName).get() != null) {
      left.add("Cluster " + clusterName);
    }
    for (PoolCase pool : pools) {
      GenericKubernetesResource object =
          poolResource(client, namespace, pool).withName(pool.name()).get();
      if (object != null) {
        left.add(pool + " " + object.getMetadata().getFinalizers());
      }
    }
    for (String kind : List.of("IPAddressClaim", "IPAddress")) {
      for (GenericKubernetesResource object :
          client
              .genericKubernetesResources(CAPI_API_VERSION, kind)
              .inNamespace(namespace)
              .list()
              .getItems()) {
        left.add(
            kind
                + " "
                + object.getMetadata().getName()
                + " "
                + object.getMetadata().getFinalizers());
      }
    }
    return left;
  }

  /** Copies of every object of a Cluster API kind in the namespace, by name. */
  private static List<GenericKubernetesResource> copiesOf(
      KubernetesClient client, String namespace, String kind) {
    return client
        .genericKubernetesResources(CAPI_API_VERSION, kind)
        .inNamespace(namespace)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(o -> o.getMetadata().getName()))
        .map(InClusterMoveIT::copyOf)
        .toList();
  }

  /**
   * What clusterctl carries over: kind, the metadata that describes the object (name, namespace,
   * labels, annotations, finalizers, owner references) and the spec; never the status.
   */
  private static GenericKubernetesResource copyOf(GenericKubernetesResource object) {
    ObjectMeta meta = object.getMetadata();
    GenericKubernetesResource copy = new GenericKubernetesResource();
    copy.setApiVersion(object.getApiVersion());
    copy.setKind(object.getKind());
    copy.setMetadata(
        new ObjectMetaBuilder()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withLabels(meta.getLabels())
            .withAnnotations(meta.getAnnotations())
            .withFinalizers(meta.getFinalizers())
            .withOwnerReferences(meta.getOwnerReferences())
            .build());
    copy.setAdditionalProperty("spec", object.getAdditionalProperties().get("spec"));
    return copy;
  }

  /** clusterctl rebuilds owner references with the uids the owners got on the target. */
  private static void rewriteOwners(GenericKubernetesResource copy, Map<String, String> newUids) {
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference owner : copy.getMetadata().getOwnerReferences()) {
      String uid = newUids.get(owner.getKind() + "/" + owner.getName());
      if (uid == null) {
        throw new AssertionError(
            copy.getKind()
                + " "
                + copy.getMetadata().getName()
                + ": owner "
                + owner.getKind()
                + " "
                + owner.getName()
                + " was not copied before it");
      }
      owner.setUid(uid);
      owners.add(owner);
    }
    copy.getMetadata().setOwnerReferences(owners);
  }

  /** A dry-run delete of a pool: the webhook's refusal, or "" when admitted. */
  private static String dryRunDelete(KubernetesClient client, String namespace, PoolCase pool) {
    try {
      return LoopbackWebhooks.admitted(
          () -> {
            poolResource(client, namespace, pool).withName(pool.name()).dryRun().delete();
            return "";
          });
    } catch (KubernetesClientException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private static void markDeleteForMove(Resource<GenericKubernetesResource> object) {
    markDeleteForMove(object, "");
  }

  /** clusterctl's delete-for-move annotation, and {@code more} metadata in the same patch. */
  private static void markDeleteForMove(Resource<GenericKubernetesResource> object, String more) {
    LoopbackWebhooks.admitted(
        () ->
            object.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\""
                    + InClusterApi.DELETE_FOR_MOVE_ANNOTATION
                    + "\":\"\"}"
                    + more
                    + "}}"));
  }

  /**
   * clusterctl's delete from the source, in the reverse order of the copy (IPAddresses, claims,
   * pools, the Cluster; the objects of one group at once): each object marked delete-for-move and
   * stripped of its finalizers in one patch, then deleted.
   */
  private static void deleteAsClusterctl(
      KubernetesClient client, String namespace, List<List<GenericKubernetesResource>> groups)
      throws Exception {
    for (int i = groups.size() - 1; i >= 0; i--) {
      MoveWrites.inParallel(
          groups.get(i),
          copy -> {
            var kind = client.genericKubernetesResources(copy.getApiVersion(), copy.getKind());
            Resource<GenericKubernetesResource> object =
                copy.getMetadata().getNamespace() == null
                    ? kind.withName(copy.getMetadata().getName())
                    : kind.inNamespace(namespace).withName(copy.getMetadata().getName());
            markDeleteForMove(object, ",\"finalizers\":[]");
            LoopbackWebhooks.admitted(object::delete);
          });
    }
  }
}
