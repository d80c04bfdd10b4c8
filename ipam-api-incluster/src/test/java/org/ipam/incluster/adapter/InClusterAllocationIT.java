package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.adapter.InClusterHarness.addressOf;
import static org.ipam.incluster.adapter.InClusterHarness.claim;
import static org.ipam.incluster.adapter.InClusterHarness.eventually;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.testing.ApiWrites;
import org.ipam.core.testing.ClusterApiCrd;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-cluster dialect on a real API server, webhooks off: the seed example, Global pools across
 * namespaces, exhaustion and release, a claim deleted at once, a burst, and a pool that cannot
 * serve beside one that can. Bad inputs tried (webhooks off): a pool whose only address is its
 * gateway, a pool mixing IPv4 and IPv6, an address that does not parse.
 */
@ExtendWith(ControlPlaneExtension.class)
class InClusterAllocationIT {
  private static InClusterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    // Before the dialect starts: it watches Clusters for the pause contract only if they exist.
    ClusterApiCrd.install(client);
    harness = InClusterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static InClusterIPPool pool(String namespace, String name, String specYaml) {
    InClusterIPPool pool =
        InClusterHarness.yaml(
            "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: InClusterIPPool\nmetadata:\n  name: "
                + name
                + "\n  namespace: "
                + namespace
                + "\nspec:\n"
                + specYaml,
            InClusterIPPool.class);
    return pool;
  }

  private static IPAddressClaim live(KubernetesClient client, IPAddressClaim claim) {
    return client
        .resources(IPAddressClaim.class)
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .get();
  }

  @Test
  void theSeedExampleHandsOutTenThenTwentyFourOnwardsWithPrefixAndGateway(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "seed");
    InClusterIPPool seed =
        InClusterHarness.yaml(
            InClusterHarness.resource("/seeds/incluster/004-0-InClusterIPPool.yaml"),
            InClusterIPPool.class);
    client.resource(seed).inNamespace("seed").create();
    List<IPAddressClaim> claims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add(
          client
              .resource(
                  claim(
                      "seed",
                      "machine-" + i,
                      InClusterApi.IN_CLUSTER_IP_POOL,
                      "inclusterippool-sample"))
              .create());
      IPAddressClaim created = claims.get(i);
      // One at a time: the order of the answers is the order of the claims.
      eventually().untilAsserted(() -> assertThat(addressOf(client, created)).isNotNull());
    }

    List<String> addresses = new ArrayList<>();
    for (IPAddressClaim created : claims) {
      IPAddress address = addressOf(client, created);
      addresses.add(address.getSpec().getAddress());
      assertThat(address.getSpec().getPrefix()).isEqualTo(24);
      assertThat(address.getSpec().getGateway()).isEqualTo("10.0.0.1");
      assertThat(address.getMetadata().getName()).isEqualTo(created.getMetadata().getName());
      assertThat(address.getMetadata().getFinalizers())
          .contains(InClusterApi.PROTECT_ADDRESS_FINALIZER);
      IPAddressClaim served = live(client, created);
      assertThat(ClaimReady.is(served, "True")).isTrue();
      assertThat(served.getMetadata().getFinalizers())
          .contains(InClusterApi.RELEASE_ADDRESS_FINALIZER);
    }
    assertThat(addresses).containsExactly("10.0.0.10", "10.0.0.24", "10.0.0.25", "10.0.0.26");
    eventually()
        .untilAsserted(
            () -> {
              InClusterIPPool pool =
                  client
                      .resources(InClusterIPPool.class)
                      .inNamespace("seed")
                      .withName("inclusterippool-sample")
                      .get();
              assertThat(pool.getStatus().getIpAddresses().getTotal()).isEqualTo(26);
              assertThat(pool.getStatus().getIpAddresses().getUsed()).isEqualTo(4);
              assertThat(pool.getStatus().getIpAddresses().getFree()).isEqualTo(22);
              assertThat(pool.getStatus().getAllocations())
                  .extracting(AllocationRecord::getAddress)
                  .containsExactlyInAnyOrderElementsOf(addresses);
              assertThat(pool.getMetadata().getFinalizers())
                  .contains(InClusterApi.PROTECT_POOL_FINALIZER);
            });
  }

  @Test
  void aGlobalPoolServesClaimsOfEveryNamespaceWithDistinctAddresses(KubernetesClient client) {
    GlobalInClusterIPPool global =
        InClusterHarness.yaml(
            "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\n"
                + "metadata:\n  name: shared\nspec:\n  addresses: [10.9.0.1-10.9.0.6]\n  prefix: 24\n",
            GlobalInClusterIPPool.class);
    client.resource(global).create();
    List<IPAddressClaim> claims = new ArrayList<>();
    for (String namespace : List.of("team-a", "team-b", "team-c")) {
      InClusterHarness.createNamespace(client, namespace);
      for (int i = 0; i < 2; i++) {
        claims.add(
            client
                .resource(
                    claim(namespace, "c" + i, InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL, "shared"))
                .create());
      }
    }

    eventually()
        .untilAsserted(
            () -> {
              Set<String> addresses = new HashSet<>();
              for (IPAddressClaim created : claims) {
                IPAddress address = addressOf(client, created);
                assertThat(address).as(created.getMetadata().getNamespace()).isNotNull();
                assertThat(address.getMetadata().getNamespace())
                    .isEqualTo(created.getMetadata().getNamespace());
                addresses.add(address.getSpec().getAddress());
              }
              assertThat(addresses).hasSize(6);
            });
  }

  /**
   * What a served claim costs in API writes, counted by the API server itself: the claim's create
   * (the workload's), and the controller's finalizer, IPAddress and claim status; the ledger (the
   * pool's status, the commit) is written once per pass, for every claim the pass decided. Fails
   * when a change adds a write per claim.
   */
  @Test
  void aServedClaimCostsAtMostThreeControllerWrites(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "writes");
    client
        .resource(pool("writes", "w", "  addresses: [10.8.4.1-10.8.4.200]\n  prefix: 24\n"))
        .create();
    eventually()
        .until(
            () ->
                client
                        .resources(InClusterIPPool.class)
                        .inNamespace("writes")
                        .withName("w")
                        .get()
                        .getStatus()
                    != null);
    int claims = 40;
    ApiWrites before = ApiWrites.now(client);
    List<IPAddressClaim> created = new ArrayList<>();
    for (int i = 0; i < claims; i++) {
      created.add(
          client.resource(claim("writes", "c" + i, InClusterApi.IN_CLUSTER_IP_POOL, "w")).create());
    }
    eventually()
        .untilAsserted(
            () -> {
              for (IPAddressClaim claim : created) {
                assertThat(ClaimReady.is(live(client, claim), "True")).isTrue();
              }
            });
    Map<String, Long> delta = ApiWrites.now(client).since(before);
    double controllerWritesPerClaim = (ApiWrites.total(delta) - claims) / (double) claims;
    System.out.printf(
        "WRITES incluster: %d claims, writes by resource %s, %.2f controller writes per claim%n",
        claims, delta, controllerWritesPerClaim);
    // Other tests run beside this one on the same API server, so allow a little.
    assertThat(controllerWritesPerClaim).isLessThanOrEqualTo(3.5);
  }

  /**
   * The four pool kinds read the same claims and IPAddresses: one watch of each for the process
   * (issue 12), counted by the API server itself, not one per pool kind.
   */
  @Test
  void theFourPoolKindsShareOneWatchOfClaimsAndOneOfIpAddresses(KubernetesClient client) {
    eventually()
        .untilAsserted(
            () -> {
              String metrics = client.raw("/metrics");
              assertThat(watches(metrics, "ipaddressclaims")).isEqualTo(1);
              assertThat(watches(metrics, "ipaddresses")).isEqualTo(1);
              assertThat(watches(metrics, "inclusterippools")).isEqualTo(1);
            });
  }

  /**
   * Open watches of a resource of group ipam.cluster.x-k8s.io, from apiserver_longrunning_requests.
   */
  private static long watches(String metrics, String resource) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("apiserver_longrunning_requests{"))
        .filter(line -> line.contains("group=\"ipam.cluster.x-k8s.io\""))
        .filter(line -> line.contains("resource=\"" + resource + "\""))
        .filter(line -> line.contains("verb=\"WATCH\""))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * Both dialects write Cluster API IPAddresses: a Metal3 pool's are named {@code
   * <namePrefix>-<address>}, an in-cluster claim's after the claim, so a claim may be named like an
   * IPAddress that is not its own. Its address stays held for it, and the claim says which object
   * is in the way (not waiting in silence); once that object is gone, it is served.
   */
  @Test
  void aClaimWhoseIpAddressNameIsTakenByAnotherPoolsSaysSoAndIsServedOnceItGoes(
      KubernetesClient client) {
    InClusterHarness.createNamespace(client, "clash");
    client
        .resource(pool("clash", "p", "  addresses: [10.8.3.1-10.8.3.9]\n  prefix: 24\n"))
        .create();
    IPAddress metal3s =
        client
            .resource(
                InClusterHarness.yaml(
                    "apiVersion: ipam.cluster.x-k8s.io/v1beta2\nkind: IPAddress\nmetadata:\n"
                        + "  name: m3-10-9-0-5\n  namespace: clash\nspec:\n"
                        + "  address: 10.9.0.5\n  prefix: 24\n"
                        + "  claimRef: {name: someone-else}\n"
                        + "  poolRef: {apiGroup: ipam.metal3.io, kind: IPPool, name: m3}\n",
                    IPAddress.class))
            .create();
    IPAddressClaim claim =
        client
            .resource(claim("clash", "m3-10-9-0-5", InClusterApi.IN_CLUSTER_IP_POOL, "p"))
            .create();

    eventually()
        .untilAsserted(
            () ->
                assertThat(ClaimReady.of(live(client, claim)))
                    .hasValueSatisfying(
                        ready -> {
                          assertThat(ready.getStatus()).isEqualTo("False");
                          assertThat(ready.getReason()).isEqualTo("AllocationFailed");
                          assertThat(ready.getMessage())
                              .contains(
                                  "IPAddress clash/m3-10-9-0-5 exists and is not this claim's",
                                  "10.9.0.5 of pool IPPool m3 for claim someone-else",
                                  "10.8.3.1 stays held for this claim");
                        }));

    client.resource(metal3s).delete();

    eventually()
        .untilAsserted(
            () -> {
              IPAddress address = addressOf(client, claim);
              assertThat(address).isNotNull();
              assertThat(address.getSpec().getAddress()).isEqualTo("10.8.3.1");
              assertThat(ClaimReady.is(live(client, claim), "True")).isTrue();
            });
  }

  @Test
  void anExhaustedClaimIsToldAndServedOnceAnAddressIsReleased(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "small");
    client
        .resource(pool("small", "two", "  addresses: [10.8.0.1-10.8.0.2]\n  prefix: 24\n"))
        .create();
    IPAddressClaim first =
        client.resource(claim("small", "first", InClusterApi.IN_CLUSTER_IP_POOL, "two")).create();
    IPAddressClaim second =
        client.resource(claim("small", "second", InClusterApi.IN_CLUSTER_IP_POOL, "two")).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(addressOf(client, first)).isNotNull();
              assertThat(addressOf(client, second)).isNotNull();
            });
    IPAddressClaim third =
        client.resource(claim("small", "third", InClusterApi.IN_CLUSTER_IP_POOL, "two")).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(ClaimReady.of(live(client, third)))
                    .hasValueSatisfying(
                        ready -> {
                          assertThat(ready.getStatus()).isEqualTo("False");
                          assertThat(ready.getReason()).isEqualTo("PoolExhausted");
                        }));
    String freed = addressOf(client, first).getSpec().getAddress();

    client.resource(first).delete();

    eventually()
        .untilAsserted(
            () -> {
              IPAddress address = addressOf(client, third);
              assertThat(address).isNotNull();
              assertThat(address.getSpec().getAddress()).isEqualTo(freed);
              assertThat(live(client, first)).isNull();
            });
  }

  @Test
  void aDeletedClaimKeepsItsAddressForTheReuseGracePeriodThenItGoesToTheNextClaim(
      KubernetesClient client) {
    InClusterHarness.createNamespace(client, "grace");
    client
        .resource(
            pool(
                "grace",
                "one",
                "  addresses: [10.6.0.1]\n  prefix: 24\n  addressReuseGracePeriodSeconds: 15\n"))
        .create();
    IPAddressClaim first =
        client.resource(claim("grace", "first", InClusterApi.IN_CLUSTER_IP_POOL, "one")).create();
    eventually().untilAsserted(() -> assertThat(addressOf(client, first)).isNotNull());

    client.resource(first).delete();
    IPAddressClaim next =
        client.resource(claim("grace", "next", InClusterApi.IN_CLUSTER_IP_POOL, "one")).create();

    // While the grace runs, the deleting claim and its IPAddress stay and the address is not free.
    eventually()
        .untilAsserted(
            () ->
                assertThat(ClaimReady.of(live(client, next)))
                    .hasValueSatisfying(
                        ready -> assertThat(ready.getReason()).isEqualTo("PoolExhausted")));
    IPAddressClaim deleting = live(client, first);
    assertThat(deleting).as("the deleting claim waits out the grace").isNotNull();
    java.time.Instant deletedAt =
        java.time.Instant.parse(deleting.getMetadata().getDeletionTimestamp());

    eventually()
        .atMost(java.time.Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              IPAddress address = addressOf(client, next);
              assertThat(address).isNotNull();
              assertThat(address.getSpec().getAddress()).isEqualTo("10.6.0.1");
              assertThat(live(client, first)).isNull();
            });
    java.time.Instant servedAt =
        java.time.Instant.parse(
            ClaimReady.of(live(client, next)).orElseThrow().getLastTransitionTime());
    // Timestamps have one-second resolution.
    assertThat(servedAt).isAfterOrEqualTo(deletedAt.plusSeconds(15).minusSeconds(1));
  }

  @Test
  void aClaimDeletedAtOnceLeavesNoAddressNoEntryAndNoFinalizer(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "churn");
    client.resource(pool("churn", "churn", "  addresses: [10.7.0.0/24]\n  prefix: 24\n")).create();
    for (int i = 0; i < 20; i++) {
      IPAddressClaim created =
          client
              .resource(claim("churn", "gone-" + i, InClusterApi.IN_CLUSTER_IP_POOL, "churn"))
              .create();
      client.resource(created).delete();
    }

    eventually()
        .untilAsserted(
            () -> {
              assertThat(
                      client.resources(IPAddressClaim.class).inNamespace("churn").list().getItems())
                  .isEmpty();
              assertThat(client.resources(IPAddress.class).inNamespace("churn").list().getItems())
                  .isEmpty();
              InClusterIPPool pool =
                  client
                      .resources(InClusterIPPool.class)
                      .inNamespace("churn")
                      .withName("churn")
                      .get();
              assertThat(
                      pool.getStatus() == null || pool.getStatus().getAllocations() == null
                          ? List.of()
                          : pool.getStatus().getAllocations())
                  .isEmpty();
            });
  }

  /** The burst: 1,000 claims created at once by 8 writers on one pool of 1,022. */
  @Test
  void aBurstOfAThousandClaimsGetsDistinctAddressesAndTheCountsAddUp(KubernetesClient client)
      throws Exception {
    int claims = 1_000;
    InClusterHarness.createNamespace(client, "burst");
    client.resource(pool("burst", "burst", "  addresses: [10.6.0.0/22]\n  prefix: 22\n")).create();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    List<Future<IPAddressClaim>> created = new ArrayList<>();
    try {
      for (int i = 0; i < claims; i++) {
        String name = String.format("c-%04d", i);
        created.add(
            writers.submit(
                () ->
                    client
                        .resource(claim("burst", name, InClusterApi.IN_CLUSTER_IP_POOL, "burst"))
                        .create()));
      }
      for (Future<IPAddressClaim> claim : created) {
        claim.get();
      }
    } finally {
      writers.shutdownNow();
    }

    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<IPAddress> addresses =
                  client.resources(IPAddress.class).inNamespace("burst").list().getItems();
              assertThat(addresses).hasSize(claims);
              assertThat(addresses.stream().map(a -> a.getSpec().getAddress()).distinct())
                  .hasSize(claims);
              InClusterIPPool pool =
                  client
                      .resources(InClusterIPPool.class)
                      .inNamespace("burst")
                      .withName("burst")
                      .get();
              assertThat(pool.getStatus().getIpAddresses().getUsed()).isEqualTo(claims);
              assertThat(pool.getStatus().getIpAddresses().getFree()).isEqualTo(1_022 - claims);
              assertThat(pool.getStatus().getIpAddresses().getTotal()).isEqualTo(1_022);
              assertThat(pool.getStatus().getAllocations()).hasSize(claims);
            });
    List<IPAddressClaim> served =
        client.resources(IPAddressClaim.class).inNamespace("burst").list().getItems();
    assertThat(served).hasSize(claims).allMatch(claim -> ClaimReady.is(claim, "True"));
  }

  @Test
  void aPoolThatCannotServeSaysWhyAndItsClaimsWaitWhileOthersAreServed(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "bad");
    client
        .resource(
            pool(
                "bad",
                "only-gateway",
                "  addresses: [10.5.0.1]\n  prefix: 24\n  gateway: 10.5.0.1\n"))
        .create();
    client
        .resource(pool("bad", "mixed", "  addresses: [10.5.1.1, 'fd00::1']\n  prefix: 24\n"))
        .create();
    client
        .resource(pool("bad", "good", "  addresses: [10.5.2.1-10.5.2.9]\n  prefix: 24\n"))
        .create();
    IPAddressClaim waiting =
        client
            .resource(claim("bad", "waits", InClusterApi.IN_CLUSTER_IP_POOL, "only-gateway"))
            .create();
    IPAddressClaim served =
        client.resource(claim("bad", "served", InClusterApi.IN_CLUSTER_IP_POOL, "good")).create();

    eventually()
        .untilAsserted(
            () -> {
              assertThat(addressOf(client, served)).isNotNull();
              assertThat(ClaimReady.of(live(client, waiting)))
                  .hasValueSatisfying(
                      ready -> {
                        assertThat(ready.getReason()).isEqualTo("PoolNotReady");
                        assertThat(ready.getMessage())
                            .contains("spec.addresses")
                            .contains("10.5.0.1");
                      });
              for (String name : List.of("only-gateway", "mixed")) {
                InClusterIPPool pool =
                    client.resources(InClusterIPPool.class).inNamespace("bad").withName(name).get();
                assertThat(pool.getStatus().getConditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("InvalidSpec");
                          assertThat(c.getMessage()).contains("spec.addresses");
                        });
              }
            });
  }

  private static void cluster(
      KubernetesClient client, String namespace, String name, boolean paused) {
    client
        .resource(
            InClusterHarness.yaml(
                "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: "
                    + name
                    + "\n  namespace: "
                    + namespace
                    + "\nspec:\n  paused: "
                    + paused
                    + "\n",
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .serverSideApply();
  }

  /**
   * Served after {@code waiting} was looked at: claims of one pool are decided in one pass, oldest
   * first, so once a later claim is served the earlier one has been looked at too.
   */
  private static void servedAfter(
      KubernetesClient client, IPAddressClaim waiting, String sentinel) {
    IPAddressClaim later =
        client
            .resource(
                claim(
                    waiting.getMetadata().getNamespace(),
                    sentinel,
                    InClusterApi.IN_CLUSTER_IP_POOL,
                    waiting.getSpec().getPoolRef().getName()))
            .create();
    eventually().untilAsserted(() -> assertThat(addressOf(client, later)).isNotNull());
  }

  @Test
  void aClaimOfAMissingOrPausedClusterWaitsUntilItsClusterRunsAsUpstream(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "paused");
    client
        .resource(pool("paused", "pool", "  addresses: [10.4.0.1-10.4.0.20]\n  prefix: 24\n"))
        .create();
    IPAddressClaim moved = claim("paused", "moved", InClusterApi.IN_CLUSTER_IP_POOL, "pool");
    moved.getSpec().setClusterName("workload");
    IPAddressClaim created = client.resource(moved).create();

    servedAfter(client, created, "sentinel-1");
    assertThat(addressOf(client, created)).as("served while its Cluster does not exist").isNull();

    cluster(client, "paused", "workload", true);
    servedAfter(client, created, "sentinel-2");
    assertThat(addressOf(client, created)).as("served while its Cluster is paused").isNull();

    cluster(client, "paused", "workload", false);
    eventually().untilAsserted(() -> assertThat(addressOf(client, created)).isNotNull());
  }

  @Test
  void aPausedClaimIsNeitherServedNorReleasedUntilItsAnnotationGoes(KubernetesClient client) {
    InClusterHarness.createNamespace(client, "paused-claim");
    client
        .resource(pool("paused-claim", "pool", "  addresses: [10.3.0.1-10.3.0.20]\n  prefix: 24\n"))
        .create();
    IPAddressClaim paused = claim("paused-claim", "held", InClusterApi.IN_CLUSTER_IP_POOL, "pool");
    paused.getMetadata().setAnnotations(java.util.Map.of("cluster.x-k8s.io/paused", ""));
    IPAddressClaim created = client.resource(paused).create();
    servedAfter(client, created, "sentinel-1");
    assertThat(addressOf(client, created)).as("a paused claim served").isNull();

    client
        .resource(live(client, created))
        .edit(
            c -> {
              c.getMetadata().getAnnotations().remove("cluster.x-k8s.io/paused");
              return c;
            });
    eventually().untilAsserted(() -> assertThat(addressOf(client, created)).isNotNull());

    client
        .resource(live(client, created))
        .edit(
            c -> {
              c.getMetadata().setAnnotations(java.util.Map.of("cluster.x-k8s.io/paused", ""));
              return c;
            });
    eventually()
        .untilAsserted(
            () ->
                assertThat(live(client, created).getMetadata().getAnnotations())
                    .containsKey("cluster.x-k8s.io/paused"));
    client.resource(created).delete();
    // Released only once unpaused: its finalizer and IPAddress stay while it is paused.
    servedAfter(client, created, "sentinel-2");
    assertThat(live(client, created)).as("a paused claim released").isNotNull();
    assertThat(addressOf(client, created)).isNotNull();

    client
        .resource(live(client, created))
        .edit(
            c -> {
              c.getMetadata().getAnnotations().remove("cluster.x-k8s.io/paused");
              return c;
            });
    eventually().untilAsserted(() -> assertThat(live(client, created)).isNull());
  }
}
