package org.ipam.metal3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ipam.metal3.Metal3Harness.addressNamed;
import static org.ipam.metal3.Metal3Harness.addressesOf;
import static org.ipam.metal3.Metal3Harness.capiClaim;
import static org.ipam.metal3.Metal3Harness.claim;
import static org.ipam.metal3.Metal3Harness.claimNamed;
import static org.ipam.metal3.Metal3Harness.createNamespace;
import static org.ipam.metal3.Metal3Harness.eventually;
import static org.ipam.metal3.Metal3Harness.handMadeAddress;
import static org.ipam.metal3.Metal3Harness.pool;
import static org.junit.jupiter.api.Assertions.assertAll;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.ClusterPause;
import org.ipam.core.engine.Conditions;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Pins what the Metal3 dialect does where it differs from metal3-io/ip-address-manager (items 3-14
 * of issue 11, which lists them; docs/compat/metal3.md), on the real kube-apiserver with webhooks
 * off, so the controller's own rules run. One test per item or more; each uses namespaces of its
 * own ({@code ud-...}).
 *
 * <p>Bad inputs tried:
 *
 * <ul>
 *   <li>three hand-made IPAddresses (no owner references) naming one claim {@code abcd} and holding
 *       every address of a /30 pool, then an IPAddressClaim {@code abcd} and, elsewhere, an IPClaim
 *       {@code abcd};
 *   <li>one claim name created, deleted and created again five times on a random pool;
 *   <li>a pool paused by its own {@code cluster.x-k8s.io/paused} annotation with a claim waiting;
 *   <li>an {@code ipAddress} annotation (10.9.9.9) outside every entry of the pool, on an
 *       IPAddressClaim and on an IPClaim;
 *   <li>a hand-made IPAddress {@code handmade-1} whose name does not follow the pool's namePrefix,
 *       and a namePrefix changed under a served Cluster API claim, then both claims deleted;
 *   <li>a claim with a stale errorMessage and a foreign finalizer ({@code example.com/hold})
 *       deleted;
 *   <li>an IPClaim and an IPAddressClaim of one name created in one burst, five pairs;
 *   <li>{@code spec.namePrefix} changed from {@code old} to {@code new} with claims served;
 *   <li>a pool's only entry changed from IPv4 ({@code 10.73.0.0/24}) to IPv6 ({@code
 *       2001:db8::/120}) under a served claim;
 *   <li>{@code spec.prefix: 33} on an IPv4 pool; a pre-allocation (10.99.0.1) outside every entry;
 *   <li>namePrefixes {@code BadPrefix} and {@code a_b} (refused by the CRD schema);
 *   <li>an IPClaim whose {@code spec.pool.name} is empty; an IPAddressClaim naming a Metal3 pool
 *       that does not exist yet; a range shrunk below a held address; an entry with a start only.
 *   <li>a random pool whose only entry has a start only;
 *   <li>an {@code ipAddress} of the other family (10.0.0.5 on an IPv6 pool), with and without a
 *       pre-allocation;
 *   <li>claims of both kinds deleted while naming a pool that never existed, and after their pool's
 *       finalizer was removed by hand;
 *   <li>a 220-character namePrefix on an IPv6 pool (the schema admits it, the rules do not).
 * </ul>
 */
@ExtendWith(ControlPlaneExtension.class)
class Metal3UpstreamDifferencesIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String CAPI_CLAIM_FINALIZER = "ipam.metal3.io/ipaddressclaim";
  private static final String FOREIGN_FINALIZER = "example.com/hold";
  private static Metal3Harness harness;

  @BeforeAll
  static void startDialect(KubernetesClient client) {
    Metal3Harness.installClusterCrd(client);
    harness = Metal3Harness.start(client);
  }

  @AfterAll
  static void stopDialect() {
    harness.close();
  }

  // ------------------------------------------------------------------ item 3

  /**
   * Item 3: several IPAddress objects made by hand naming one claim {@code abcd}, holding every
   * address of the pool, created out of name order a second apart ({@code p-192-168-0-3} first).
   * The IPClaim {@code abcd} adopts the oldest object, {@code p-192-168-0-3} (oldest, then by name:
   * not the first by name); the Cluster API claim {@code abcd} in another namespace may not adopt
   * objects that name an IPClaim, and is told the pool is exhausted, as upstream. The other objects
   * stay occupied (a later claim is told the pool is exhausted) and are listed on the pool's Ready
   * message.
   */
  @Test
  void handMadeAddressesNamingOneClaimAreAdoptedOnceAtMostAndTheOthersStayOccupied(
      KubernetesClient client) {
    String capiNs = "ud-stray-capi";
    String m3Ns = "ud-stray-m3";
    List<String> ips = List.of("192.168.0.3", "192.168.0.1", "192.168.0.2");
    for (String ns : List.of(capiNs, m3Ns)) {
      createNamespace(client, ns);
      client
          .resource(pool(ns, "p", "namePrefix: p\npools:\n  - subnet: 192.168.0.0/30\n"))
          .create();
    }
    for (String ip : ips) {
      HasMetadata created = null;
      for (String ns : List.of(capiNs, m3Ns)) {
        created =
            client
                .resource(handMadeAddress(ns, "p-" + ip.replace('.', '-'), "p", "abcd", ip))
                .create();
      }
      afterTheSecondOf(created);
    }
    // The claims come once the controller knows all three objects (the pool lists them).
    for (String ns : List.of(capiNs, m3Ns)) {
      eventually()
          .untilAsserted(
              () ->
                  assertThat(poolReady(client, ns, "p").getMessage())
                      .contains("p-192-168-0-1", "p-192-168-0-2", "p-192-168-0-3"));
    }
    client.resource(capiClaim(capiNs, "abcd", "p", null)).create();
    client.resource(claim(m3Ns, "abcd", "p", null)).create();

    assertAll(
        () -> {
          eventually()
              .untilAsserted(
                  () -> {
                    Condition ready = capiReady(client, capiNs, "abcd");
                    assertThat(ready.getStatus()).isEqualTo("False");
                    assertThat(ready.getReason()).isEqualTo("PoolExhausted");
                    assertThat(ready.getMessage()).isEqualTo("Exhausted IP Pools");
                  });
          assertStableStatus(client, capiClaimNamed(client, capiNs, "abcd"));
          assertThat(capiClaimNamed(client, capiNs, "abcd").getStatus().getAddressRef()).isNull();
          assertExtraObjectsOccupiedAndListed(client, capiNs, ips, null);
        },
        () -> {
          eventually()
              .untilAsserted(
                  () -> {
                    var status = claimNamed(client, m3Ns, "abcd").getStatus();
                    assertThat(status.getErrorMessage()).isNull();
                    assertThat(status.getAddress().getName()).isEqualTo("p-192-168-0-3");
                  });
          assertStableStatus(client, claimNamed(client, m3Ns, "abcd"));
          assertThat(addressNamed(client, m3Ns, "p-192-168-0-3").getMetadata().getOwnerReferences())
              .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("IPClaim"));
          assertExtraObjectsOccupiedAndListed(client, m3Ns, ips, "p-192-168-0-3");
        });
  }

  /**
   * Waits until the second after an object's creation has passed: creation timestamps have
   * one-second resolution, and the next object must be younger.
   */
  private static void afterTheSecondOf(HasMetadata created) {
    Instant second = Instant.parse(created.getMetadata().getCreationTimestamp());
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Instant.now().isAfter(second.plusSeconds(1)));
  }

  /**
   * The three hand-made objects still exist with their addresses, no fourth address appeared, a
   * later claim is told the pool is exhausted, and the Ready message names every object not
   * adopted.
   */
  private static void assertExtraObjectsOccupiedAndListed(
      KubernetesClient client, String ns, List<String> ips, String adopted) {
    client.resource(claim(ns, "other", "p", null)).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "other").getStatus().getErrorMessage())
                    .isEqualTo("Exhausted IP Pools"));
    assertThat(addressesOf(client, ns)).containsExactlyInAnyOrderElementsOf(ips);
    List<String> extras =
        ips.stream()
            .map(ip -> "p-" + ip.replace('.', '-'))
            .filter(n -> !n.equals(adopted))
            .toList();
    eventually()
        .untilAsserted(
            () -> {
              Condition ready = poolReady(client, ns, "p");
              assertThat(ready.getReason()).isEqualTo("StrayAddresses");
              for (String extra : extras) {
                assertThat(ready.getMessage()).contains(extra);
              }
            });
    System.out.printf("STRAY pool %s/p Ready: %s%n", ns, poolReady(client, ns, "p").getMessage());
  }

  /** The claim's object stays as it is for a while: its status is final, nothing loops on it. */
  private static void assertStableStatus(KubernetesClient client, HasMetadata claim) {
    String version = claim.getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> version.equals(client.resource(claim).get().getMetadata().getResourceVersion()));
  }

  // ------------------------------------------------------------------ item 4

  /**
   * Item 4: a random pool hands one claim name, created and deleted five times, addresses from its
   * range that are not all the same.
   */
  @Test
  void aRandomPoolHandsAClaimCreatedAgainDifferentAddresses(KubernetesClient client) {
    String ns = "ud-random";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns,
                "rnd",
                "namePrefix: rnd\nallocationStrategy: random\npools:\n"
                    + "  - start: 10.0.0.1\n    end: 10.0.0.200\n"))
        .create();
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      client.resource(claim(ns, "r", "rnd", null)).create();
      eventually()
          .untilAsserted(
              () -> assertThat(claimNamed(client, ns, "r").getStatus().getAddress()).isNotNull());
      String name = claimNamed(client, ns, "r").getStatus().getAddress().getName();
      got.add(addressNamed(client, ns, name).getSpec().getAddress());
      client.resources(IPClaim.class).inNamespace(ns).withName("r").delete();
      eventually()
          .untilAsserted(
              () -> {
                assertThat(claimNamed(client, ns, "r")).isNull();
                assertThat(addressNamed(client, ns, name)).isNull();
              });
    }
    assertThat(got)
        .allSatisfy(
            ip -> {
              assertThat(ip).startsWith("10.0.0.");
              assertThat(Integer.parseInt(ip.substring("10.0.0.".length()))).isBetween(1, 200);
            });
    assertThat(new HashSet<>(got))
        .as("addresses of the five incarnations: %s", got)
        .hasSizeGreaterThan(1);
  }

  /**
   * Item 4: a random pool whose entry has no size (a start only), stored with webhooks off, hands
   * out nothing (upstream refuses it; it once handed out addresses far outside what the user wrote)
   * and says why on the pool and to the claim.
   */
  @Test
  void aRandomPoolWithAStartOnlyEntryHandsOutNothingAndSaysWhy(KubernetesClient client) {
    String ns = "ud-random-open";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns,
                "open",
                "namePrefix: open\nallocationStrategy: random\npools:\n  - start: 10.0.0.5\n"))
        .create();
    client.resource(claim(ns, "c", "open", null)).create();
    String refusal =
        "IPPool "
            + ns
            + "/open: spec.pools[0] cannot be used with allocationStrategy \"random\": its size is"
            + " unbounded";
    eventually()
        .untilAsserted(
            () -> {
              Condition ready = poolReady(client, ns, "open");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains(refusal);
              var status = claimNamed(client, ns, "c").getStatus();
              assertThat(status.getAddress()).isNull();
              assertThat(status.getErrorMessage())
                  .startsWith("no address can be allocated from an invalid pool: ")
                  .contains(refusal);
            });
    assertThat(addressesOf(client, ns)).isEmpty();
  }

  // ------------------------------------------------------------------ item 5

  /**
   * Item 5: removing the pool's own paused annotation serves the waiting claim on the update event:
   * within {@link Metal3Harness#AT_ONCE} of the change, where the periodic recheck comes 30 s after
   * the pool was last looked at (moments before the change), so only the event can pass.
   */
  @Test
  void removingThePausedAnnotationOfThePoolServesTheWaitingClaimAtOnce(KubernetesClient client) {
    String ns = "ud-unpause";
    createNamespace(client, ns);
    IPPool held =
        pool(ns, "held", "namePrefix: held\npools:\n  - start: 10.71.0.1\n    end: 10.71.0.9\n");
    held.getMetadata().setAnnotations(Map.of(ClusterPause.PAUSED_ANNOTATION, "true"));
    client.resource(held).create();
    client.resource(claim(ns, "waits", "held", null)).create();
    // A pool beside it, not paused, with a claim made after the waiting one: once that claim is
    // served, the controller has seen the waiting claim too, and served it nothing.
    client
        .resource(
            pool(
                ns,
                "ticker",
                "namePrefix: ticker\npools:\n  - start: 10.72.0.1\n    end: 10.72.0.9\n"))
        .create();
    client.resource(claim(ns, "after", "ticker", null)).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "after").getStatus().getAddress().getName())
                    .isEqualTo("ticker-10-72-0-1"));
    var waiting = claimNamed(client, ns, "waits").getStatus();
    assertThat(waiting == null ? null : waiting.getAddress()).isNull();
    assertThat(addressesOf(client, ns)).containsExactly("10.72.0.1");

    client
        .resources(IPPool.class)
        .inNamespace(ns)
        .withName("held")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + ClusterPause.PAUSED_ANNOTATION + "\":null}}}");
    await()
        .atMost(Metal3Harness.AT_ONCE)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "waits").getStatus().getAddress().getName())
                    .isEqualTo("held-10-71-0-1"));
  }

  // ------------------------------------------------------------------ item 6

  /**
   * Item 6: an address asked for outside every entry of the pool is refused with a message that
   * says so (upstream: "Exhausted IP Pools"), on both kinds of claim, reason {@code PoolExhausted}
   * as upstream; an address of the other family is outside every entry too. A claim with a
   * pre-allocation that asks for another address hears upstream's conflict first, whatever the
   * family.
   */
  @Test
  void aRequestedAddressOutsideEveryEntryIsToldSoOnBothKinds(KubernetesClient client) {
    String ns = "ud-outside";
    createNamespace(client, ns);
    client
        .resource(
            pool(ns, "o", "namePrefix: o\npools:\n  - start: 10.75.0.1\n    end: 10.75.0.9\n"))
        .create();
    client.resource(capiClaim(ns, "capi-wants", "o", Map.of("ipAddress", "10.9.9.9"))).create();
    client.resource(claim(ns, "m3-wants", "o", Map.of("ipAddress", "10.9.9.9"))).create();
    String message = "Requested IP 10.9.9.9 is outside every entry of IPPool " + ns + "/o";
    assertAll(
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      Condition ready = capiReady(client, ns, "capi-wants");
                      assertThat(ready.getStatus()).isEqualTo("False");
                      assertThat(ready.getReason()).isEqualTo("PoolExhausted");
                      assertThat(ready.getMessage()).isEqualTo(message);
                    }),
        () ->
            eventually()
                .untilAsserted(
                    () ->
                        assertThat(claimNamed(client, ns, "m3-wants").getStatus().getErrorMessage())
                            .isEqualTo(message)));
    assertThat(addressesOf(client, ns)).isEmpty();

    client
        .resource(
            pool(
                ns,
                "six",
                "namePrefix: six\npools:\n  - subnet: 2001:db8::/120\n"
                    + "preAllocations:\n  pinned: 2001:db8::7\n"))
        .create();
    client.resource(capiClaim(ns, "capi-v4", "six", Map.of("ipAddress", "10.0.0.5"))).create();
    client.resource(claim(ns, "m3-v4", "six", Map.of("ipAddress", "10.0.0.5"))).create();
    client.resource(claim(ns, "pinned", "six", Map.of("ipAddress", "10.0.0.5"))).create();
    String otherFamily = "Requested IP 10.0.0.5 is outside every entry of IPPool " + ns + "/six";
    assertAll(
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      Condition ready = capiReady(client, ns, "capi-v4");
                      assertThat(ready.getStatus()).isEqualTo("False");
                      assertThat(ready.getReason()).isEqualTo("PoolExhausted");
                      assertThat(ready.getMessage()).isEqualTo(otherFamily);
                    }),
        () ->
            eventually()
                .untilAsserted(
                    () ->
                        assertThat(claimNamed(client, ns, "m3-v4").getStatus().getErrorMessage())
                            .isEqualTo(otherFamily)),
        () ->
            eventually()
                .untilAsserted(
                    () ->
                        assertThat(claimNamed(client, ns, "pinned").getStatus().getErrorMessage())
                            .isEqualTo(
                                "PreAllocation and requested ip address are conflicting: the"
                                    + " ipAddress annotation asks for 10.0.0.5, IPPool "
                                    + ns
                                    + "/six pre-allocates 2001:db8::7")));
    assertThat(addressesOf(client, ns)).isEmpty();
  }

  // ------------------------------------------------------------------ item 7

  /**
   * Item 7: release deletes the claim's own objects whatever their names: a Cluster API claim's
   * IPAddress and lock after the pool's namePrefix changed, and an adopted hand-made IPAddress
   * {@code handmade-1}.
   */
  @Test
  void releaseDeletesTheClaimsObjectsWhateverTheirNames(KubernetesClient client) {
    String ns = "ud-release";
    createNamespace(client, ns);
    client
        .resource(
            pool(ns, "rel", "namePrefix: rel\npools:\n  - start: 10.76.0.1\n    end: 10.76.0.9\n"))
        .create();
    client.resource(capiClaim(ns, "machine", "rel", null)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(capiReady(client, ns, "machine").getStatus()).isEqualTo("True");
              assertThat(
                      capiClaimNamed(client, ns, "machine").getStatus().getAddressRef().getName())
                  .isEqualTo("rel-10-76-0-1");
              assertThat(capiAddressNamed(client, ns, "rel-10-76-0-1")).isNotNull();
              assertThat(
                      addressNamed(client, ns, "rel-10-76-0-1").getMetadata().getOwnerReferences())
                  .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("IPAddressClaim"));
            });

    client.resource(handMadeAddress(ns, "handmade-1", "rel", "hm", "10.76.0.5")).create();
    // The claim comes once the controller knows the object (the pool lists it): the two arrive
    // through different informers, and a claim seen first would be served a new address.
    eventually()
        .untilAsserted(
            () -> assertThat(poolReady(client, ns, "rel").getMessage()).contains("handmade-1"));
    client.resource(claim(ns, "hm", "rel", null)).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "hm").getStatus().getAddress().getName())
                    .isEqualTo("handmade-1"));

    // Webhooks off: the prefix changes, so rel-10-76-0-1 no longer follows it either.
    client
        .resources(IPPool.class)
        .inNamespace(ns)
        .withName("rel")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"namePrefix\":\"renamed\"}}");
    eventually()
        .untilAsserted(
            () -> assertThat(poolReady(client, ns, "rel").getMessage()).contains("renamed-"));

    client.resources(IPAddressClaim.class).inNamespace(ns).withName("machine").delete();
    client.resources(IPClaim.class).inNamespace(ns).withName("hm").delete();
    assertAll(
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      assertThat(capiClaimNamed(client, ns, "machine")).isNull();
                      assertThat(capiAddressNamed(client, ns, "rel-10-76-0-1")).isNull();
                      assertThat(addressNamed(client, ns, "rel-10-76-0-1")).isNull();
                    }),
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      assertThat(claimNamed(client, ns, "hm")).isNull();
                      assertThat(addressNamed(client, ns, "handmade-1")).isNull();
                    }));
    assertThat(addressesOf(client, ns)).isEmpty();
  }

  // ------------------------------------------------------------------ item 8

  /**
   * Item 8: a deleting claim that another controller still holds (a foreign finalizer) loses its
   * stale errorMessage while it waits, and goes once that finalizer goes.
   */
  @Test
  void aDeletingClaimsStaleErrorMessageIsCleared(KubernetesClient client) {
    String ns = "ud-stale";
    createNamespace(client, ns);
    client
        .resource(
            pool(ns, "s", "namePrefix: s\npools:\n  - start: 10.77.0.1\n    end: 10.77.0.9\n"))
        .create();
    client.resource(claim(ns, "held", "s", Map.of("ipAddress", "10.9.9.9"))).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "held").getStatus().getErrorMessage())
                    .isEqualTo(
                        "Requested IP 10.9.9.9 is outside every entry of IPPool " + ns + "/s"));
    client
        .resources(IPClaim.class)
        .inNamespace(ns)
        .withName("held")
        .edit(
            c -> {
              c.getMetadata().getFinalizers().add(FOREIGN_FINALIZER);
              return c;
            });
    client.resources(IPClaim.class).inNamespace(ns).withName("held").delete();
    eventually()
        .untilAsserted(
            () -> {
              IPClaim deleting = claimNamed(client, ns, "held");
              assertThat(deleting).isNotNull();
              assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
              assertThat(
                      deleting.getStatus() == null ? null : deleting.getStatus().getErrorMessage())
                  .isNull();
            });
    client
        .resources(IPClaim.class)
        .inNamespace(ns)
        .withName("held")
        .edit(
            c -> {
              c.getMetadata().getFinalizers().remove(FOREIGN_FINALIZER);
              return c;
            });
    eventually().untilAsserted(() -> assertThat(claimNamed(client, ns, "held")).isNull());
  }

  // ------------------------------------------------------------------ item 9

  /**
   * Item 9 (docs/compat/metal3.md row 4): an IPClaim and an IPAddressClaim of one name created in
   * one burst, five pairs. Per pair exactly one is served and the other told the name is already
   * served. At every look: no Ready Cluster API claim points at a Cluster API IPAddress that does
   * not exist, every served claim has its finalizer, and no address is held for two claims.
   */
  @Test
  void anIpClaimAndAClusterApiClaimOfOneNameCreatedAtOnceNeverShareAnAddress(
      KubernetesClient client) throws Exception {
    String ns = "ud-samename";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns,
                "both",
                "namePrefix: both\npools:\n  - start: 10.78.0.1\n    end: 10.78.0.50\n"))
        .create();
    eventually()
        .untilAsserted(() -> assertThat(poolNamed(client, ns, "both").getStatus()).isNotNull());
    List<String> names = List.of("pair-0", "pair-1", "pair-2", "pair-3", "pair-4");
    List<Callable<HasMetadata>> creates = new ArrayList<>();
    for (String name : names) {
      creates.add(() -> client.resource(claim(ns, name, "both", null)).create());
      creates.add(() -> client.resource(capiClaim(ns, name, "both", null)).create());
    }
    ExecutorService creators = Executors.newFixedThreadPool(creates.size());
    try {
      for (Future<HasMetadata> created : creators.invokeAll(creates)) {
        created.get();
      }
    } finally {
      creators.shutdown();
    }

    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    eventually()
        .untilAsserted(
            () -> {
              SameNameSnapshot snapshot = SameNameSnapshot.take(client, ns);
              violations.addAll(snapshot.violations());
              for (String name : names) {
                assertThat(snapshot.pairOutcome(name)).as(snapshot.toString()).isNull();
              }
            });
    SameNameSnapshot last = SameNameSnapshot.take(client, ns);
    System.out.printf("SAMENAME settled:%s", last);
    violations.addAll(last.violations());
    assertThat(violations).as(last.toString()).isEmpty();
    for (String name : names) {
      assertThat(last.pairOutcome(name)).as(last.toString()).isNull();
    }
  }

  /**
   * One look at the claims and address objects of a namespace, read in an order that makes the
   * checks sound while the controller writes: claims first (a claim shows an address only after its
   * objects exist), then Cluster API IPAddresses, then Metal3 IPAddresses (a lock is created before
   * and deleted after its Cluster API IPAddress).
   */
  private record SameNameSnapshot(
      Map<String, IPClaim> ipClaims,
      Map<String, IPAddressClaim> capiClaims,
      List<org.ipam.core.capi.IPAddress> capiAddresses,
      List<IPAddress> metal3Addresses) {

    static SameNameSnapshot take(KubernetesClient client, String ns) {
      Map<String, IPClaim> ipClaims =
          client.resources(IPClaim.class).inNamespace(ns).list().getItems().stream()
              .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
      Map<String, IPAddressClaim> capiClaims =
          client.resources(IPAddressClaim.class).inNamespace(ns).list().getItems().stream()
              .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
      var capiAddresses =
          client.resources(org.ipam.core.capi.IPAddress.class).inNamespace(ns).list().getItems();
      var metal3Addresses = client.resources(IPAddress.class).inNamespace(ns).list().getItems();
      return new SameNameSnapshot(ipClaims, capiClaims, capiAddresses, metal3Addresses);
    }

    static boolean served(IPClaim claim) {
      return claim.getStatus() != null
          && claim.getStatus().getAddress() != null
          && claim.getStatus().getErrorMessage() == null;
    }

    static boolean refused(IPClaim claim) {
      return claim.getStatus() != null
          && claim.getStatus().getErrorMessage() != null
          && claim.getStatus().getErrorMessage().contains("is already served by");
    }

    static Condition ready(IPAddressClaim claim) {
      return claim.getStatus() == null
          ? null
          : Conditions.find(claim.getStatus().getConditions(), "Ready").orElse(null);
    }

    static boolean served(IPAddressClaim claim) {
      Condition ready = ready(claim);
      return ready != null
          && "True".equals(ready.getStatus())
          && claim.getStatus().getAddressRef() != null;
    }

    static boolean refused(IPAddressClaim claim) {
      Condition ready = ready(claim);
      return ready != null
          && "False".equals(ready.getStatus())
          && ready.getMessage() != null
          && ready.getMessage().contains("is already served by");
    }

    /**
     * Null when the pair of this name is settled as row 4 says: one served, the other told the name
     * is already served; else what is wrong with it.
     */
    String pairOutcome(String name) {
      IPClaim m3 = ipClaims.get(name);
      IPAddressClaim capi = capiClaims.get(name);
      if (m3 == null || capi == null) {
        return name + ": a claim is missing";
      }
      boolean m3Served = served(m3);
      boolean capiServed = served(capi);
      if (m3Served && capiServed) {
        return name + ": both claims of one name are served";
      }
      if (m3Served && refused(capi) || capiServed && refused(m3)) {
        return null;
      }
      return name
          + ": not settled (IPClaim served "
          + m3Served
          + ", IPAddressClaim served "
          + capiServed
          + ")";
    }

    List<String> violations() {
      List<String> found = new ArrayList<>();
      Map<String, org.ipam.core.capi.IPAddress> capiByName =
          capiAddresses.stream().collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a));
      Map<String, IPAddress> metal3ByName =
          metal3Addresses.stream()
              .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a));
      for (IPAddressClaim claim : capiClaims.values()) {
        if (!served(claim)) {
          continue;
        }
        String name = claim.getMetadata().getName();
        String ref = claim.getStatus().getAddressRef().getName();
        var answer = capiByName.get(ref);
        if (answer == null) {
          found.add(
              "IPAddressClaim "
                  + name
                  + " is Ready with addressRef "
                  + ref
                  + ", which does not exist");
        } else if (!name.equals(answer.getSpec().getClaimRef().getName())) {
          found.add(
              "IPAddressClaim "
                  + name
                  + " points at "
                  + ref
                  + " of claim "
                  + answer.getSpec().getClaimRef().getName());
        }
        if (!claim.getMetadata().getFinalizers().contains(CAPI_CLAIM_FINALIZER)) {
          found.add("IPAddressClaim " + name + " is served without its finalizer");
        }
      }
      for (IPClaim claim : ipClaims.values()) {
        if (served(claim) && !claim.getMetadata().getFinalizers().contains(IPClaim.FINALIZER)) {
          found.add(
              "IPClaim " + claim.getMetadata().getName() + " is served without its finalizer");
        }
        if (served(claim)) {
          IPAddress answer = metal3ByName.get(claim.getStatus().getAddress().getName());
          if (answer == null) {
            found.add(
                "IPClaim "
                    + claim.getMetadata().getName()
                    + " points at "
                    + claim.getStatus().getAddress().getName()
                    + ", which does not exist");
          }
        }
      }
      Map<String, List<String>> metal3ByAddress = new HashMap<>();
      metal3Addresses.forEach(
          a ->
              metal3ByAddress
                  .computeIfAbsent(a.getSpec().getAddress(), k -> new ArrayList<>())
                  .add(a.getMetadata().getName()));
      metal3ByAddress.forEach(
          (ip, objects) -> {
            if (objects.size() > 1) {
              found.add("Metal3 IPAddresses " + objects + " share " + ip);
            }
          });
      Map<String, List<String>> capiByAddress = new HashMap<>();
      capiAddresses.forEach(
          a ->
              capiByAddress
                  .computeIfAbsent(a.getSpec().getAddress(), k -> new ArrayList<>())
                  .add(a.getMetadata().getName()));
      capiByAddress.forEach(
          (ip, objects) -> {
            if (objects.size() > 1) {
              found.add("Cluster API IPAddresses " + objects + " share " + ip);
            }
          });
      // A Cluster API IPAddress has its lock: the Metal3 IPAddress of its name and address, of the
      // same claim. Otherwise its address could be an IPClaim's too.
      for (var answer : capiAddresses) {
        IPAddress lock = metal3ByName.get(answer.getMetadata().getName());
        String claimUid = claimUidOf(answer);
        if (lock == null) {
          found.add("Cluster API IPAddress " + answer.getMetadata().getName() + " has no lock");
        } else if (!lock.getSpec().getAddress().equals(answer.getSpec().getAddress())
            || claimUid == null
            || !claimUid.equals(claimUidOf(lock))) {
          found.add(
              "Cluster API IPAddress "
                  + answer.getMetadata().getName()
                  + " and its lock disagree on address or claim");
        }
      }
      return found;
    }

    private static String claimUidOf(HasMetadata address) {
      return address.getMetadata().getOwnerReferences().stream()
          .filter(o -> "IPAddressClaim".equals(o.getKind()) || "IPClaim".equals(o.getKind()))
          .map(o -> o.getKind() + "/" + o.getUid())
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("\n");
      ipClaims.values().stream()
          .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
          .forEach(
              c ->
                  text.append("IPClaim ")
                      .append(c.getMetadata().getName())
                      .append(" finalizers=")
                      .append(c.getMetadata().getFinalizers())
                      .append(" status=")
                      .append(Serialization.asJson(c.getStatus()))
                      .append('\n'));
      capiClaims.values().stream()
          .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
          .forEach(
              c ->
                  text.append("IPAddressClaim ")
                      .append(c.getMetadata().getName())
                      .append(" finalizers=")
                      .append(c.getMetadata().getFinalizers())
                      .append(" status=")
                      .append(Serialization.asJson(c.getStatus()))
                      .append('\n'));
      capiAddresses.forEach(
          a ->
              text.append("CAPI IPAddress ")
                  .append(a.getMetadata().getName())
                  .append(' ')
                  .append(a.getSpec().getAddress())
                  .append(" claim ")
                  .append(a.getSpec().getClaimRef().getName())
                  .append('\n'));
      metal3Addresses.forEach(
          a ->
              text.append("Metal3 IPAddress ")
                  .append(a.getMetadata().getName())
                  .append(' ')
                  .append(a.getSpec().getAddress())
                  .append(" claim ")
                  .append(a.getSpec().getClaim().getName())
                  .append(" owners ")
                  .append(
                      a.getMetadata().getOwnerReferences().stream()
                          .map(o -> o.getKind() + "/" + o.getName())
                          .toList())
                  .append('\n'));
      return text.toString();
    }
  }

  // ------------------------------------------------------------------ item 10

  /**
   * Item 10: a namePrefix changed with webhooks off: served claims keep their objects of the old
   * name, new claims get the new name, and the pool's Ready condition says so.
   */
  @Test
  void aChangedNamePrefixKeepsTheOldObjectsAndNamesNewOnesAfterTheNewPrefix(
      KubernetesClient client) {
    String ns = "ud-rename";
    createNamespace(client, ns);
    client
        .resource(
            pool(ns, "np", "namePrefix: old\npools:\n  - start: 10.79.0.1\n    end: 10.79.0.9\n"))
        .create();
    client.resource(claim(ns, "a", "np", null)).create();
    client.resource(claim(ns, "b", "np", null)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(claimNamed(client, ns, "a").getStatus().getAddress().getName())
                  .isEqualTo("old-10-79-0-1");
              assertThat(claimNamed(client, ns, "b").getStatus().getAddress().getName())
                  .isEqualTo("old-10-79-0-2");
            });
    client
        .resources(IPPool.class)
        .inNamespace(ns)
        .withName("np")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"namePrefix\":\"new\"}}");
    client.resource(claim(ns, "c", "np", null)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(claimNamed(client, ns, "c").getStatus().getAddress().getName())
                  .isEqualTo("new-10-79-0-3");
              Condition ready = poolReady(client, ns, "np");
              assertThat(ready.getReason()).isEqualTo("NamePrefixChanged");
              assertThat(ready.getMessage()).contains("not named \"new-<address>\"");
            });
    assertThat(claimNamed(client, ns, "a").getStatus().getAddress().getName())
        .isEqualTo("old-10-79-0-1");
    assertThat(claimNamed(client, ns, "b").getStatus().getAddress().getName())
        .isEqualTo("old-10-79-0-2");
    assertThat(addressNamed(client, ns, "old-10-79-0-1").getSpec().getAddress())
        .isEqualTo("10.79.0.1");
    assertThat(addressNamed(client, ns, "old-10-79-0-2").getSpec().getAddress())
        .isEqualTo("10.79.0.2");
    assertThat(addressesOf(client, ns))
        .containsExactlyInAnyOrder("10.79.0.1", "10.79.0.2", "10.79.0.3");
  }

  // ------------------------------------------------------------------ item 11

  /**
   * Item 11: a pool changed from IPv4 to IPv6 under a served claim: the claim keeps its IPv4
   * address until it goes, new claims get IPv6 ones, and the pool's Ready message says so.
   */
  @Test
  void aPoolChangedFromIpv4ToIpv6KeepsTheIpv4AddressUntilItsClaimGoes(KubernetesClient client) {
    String ns = "ud-family";
    createNamespace(client, ns);
    client
        .resource(pool(ns, "fam", "namePrefix: fam\npools:\n  - subnet: 10.73.0.0/24\n"))
        .create();
    client.resource(claim(ns, "first", "fam", null)).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "first").getStatus().getAddress().getName())
                    .isEqualTo("fam-10-73-0-1"));
    IPAddress before = addressNamed(client, ns, "fam-10-73-0-1");
    var statusBefore = claimNamed(client, ns, "first").getStatus();

    client
        .resources(IPPool.class)
        .inNamespace(ns)
        .withName("fam")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"pools\":[{\"subnet\":\"2001:db8::/120\"}]}}");
    client.resource(claim(ns, "second", "fam", null)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(claimNamed(client, ns, "second").getStatus().getAddress().getName())
                  .isEqualTo("fam-2001-db8--1");
              assertThat(poolReady(client, ns, "fam").getMessage())
                  .contains("10.73.0.1")
                  .contains("kept until");
            });
    assertThat(addressNamed(client, ns, "fam-2001-db8--1").getSpec().getAddress())
        .isEqualTo("2001:db8::1");
    IPAddress after = addressNamed(client, ns, "fam-10-73-0-1");
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(Serialization.asJson(after.getSpec()))
        .isEqualTo(Serialization.asJson(before.getSpec()));
    var statusAfter = claimNamed(client, ns, "first").getStatus();
    assertThat(Serialization.asJson(statusAfter)).isEqualTo(Serialization.asJson(statusBefore));

    client.resources(IPClaim.class).inNamespace(ns).withName("first").delete();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(claimNamed(client, ns, "first")).isNull();
              assertThat(addressNamed(client, ns, "fam-10-73-0-1")).isNull();
            });
    assertThat(addressesOf(client, ns)).containsExactly("2001:db8::1");
  }

  // ------------------------------------------------------------------ item 12

  /**
   * Item 12: the webhook's rules applied by the controller: an IPv4 pool with {@code prefix: 33}
   * and a pool with a pre-allocation outside every entry are Ready=False with the webhook's words,
   * and their claims are told why they get nothing.
   */
  @Test
  void theControllerAppliesTheWebhooksRulesToPoolsItWasGiven(KubernetesClient client) {
    String ns = "ud-rules";
    createNamespace(client, ns);
    client
        .resource(
            pool(
                ns,
                "long",
                "namePrefix: long\nprefix: 33\npools:\n  - start: 10.80.0.1\n    end: 10.80.0.9\n"))
        .create();
    client
        .resource(
            pool(
                ns,
                "pre",
                "namePrefix: pre\npreAllocations:\n  c1: 10.99.0.1\npools:\n"
                    + "  - start: 10.0.0.1\n    end: 10.0.0.9\n"))
        .create();
    client.resource(claim(ns, "on-long", "long", null)).create();
    client.resource(claim(ns, "c1", "pre", null)).create();
    assertAll(
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      Condition ready = poolReady(client, ns, "long");
                      assertThat(ready.getStatus()).isEqualTo("False");
                      assertThat(ready.getReason()).isEqualTo("InvalidSpec");
                      assertThat(ready.getMessage())
                          .contains("spec.prefix \"33\" is longer than 32 for IPv4");
                      assertThat(claimNamed(client, ns, "on-long").getStatus().getErrorMessage())
                          .contains("IPPool " + ns + "/long");
                    }),
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      Condition ready = poolReady(client, ns, "pre");
                      assertThat(ready.getStatus()).isEqualTo("False");
                      assertThat(ready.getMessage())
                          .contains(
                              "spec.preAllocations.c1 \"10.99.0.1\" is out of bounds of the pools"
                                  + " given");
                      assertThat(claimNamed(client, ns, "c1").getStatus().getErrorMessage())
                          .isEqualTo(
                              "Pre-allocated IP out of bounds: 10.99.0.1 is outside every entry"
                                  + " of IPPool "
                                  + ns
                                  + "/pre");
                    }));
    assertThat(addressesOf(client, ns)).isEmpty();
  }

  // ------------------------------------------------------------------ item 13

  /**
   * Item 13: a namePrefix that cannot begin an object name is refused by the CRD schema, so the
   * controller never sees one.
   */
  @Test
  void theSchemaRefusesANamePrefixThatCannotFormObjectNames(KubernetesClient client) {
    String ns = "ud-prefix";
    createNamespace(client, ns);
    List<Executable> refusals = new ArrayList<>();
    int i = 0;
    for (String prefix : List.of("BadPrefix", "a_b")) {
      String name = "bad-" + i++;
      refusals.add(
          () ->
              assertThatThrownBy(
                      () ->
                          client
                              .resource(
                                  pool(
                                      ns,
                                      name,
                                      "namePrefix: "
                                          + prefix
                                          + "\npools:\n  - start: 10.81.0.1\n    end: 10.81.0.9\n"))
                              .create())
                  .as("namePrefix %s", prefix)
                  .isInstanceOfSatisfying(
                      KubernetesClientException.class,
                      e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getMessage()).contains("spec.namePrefix");
                      }));
    }
    assertAll(refusals);
    assertThat(client.resources(IPPool.class).inNamespace(ns).list().getItems()).isEmpty();
  }

  // ------------------------------------------------------------------ item 14

  /**
   * Item 14: what claims and pools are told: a claim that names no pool, a Cluster API claim whose
   * pool does not exist yet (served once it does), a range shrunk below a held address (kept), an
   * entry with a start only (it runs to the family's last address).
   */
  @Test
  void claimsAndPoolsAreToldWhatIsWrongInWords(KubernetesClient client) {
    String ns = "ud-messages";
    createNamespace(client, ns);
    client.resource(claim(ns, "nameless", "", null)).create();
    client.resource(capiClaim(ns, "early", "later", null)).create();
    client
        .resource(
            pool(
                ns,
                "shrinks",
                "namePrefix: shrinks\npools:\n  - start: 10.0.0.1\n    end: 10.0.0.9\n"))
        .create();
    client.resource(claim(ns, "holder", "shrinks", null)).create();
    client.resource(pool(ns, "open", "namePrefix: open\npools:\n  - start: 10.82.0.1\n")).create();

    assertAll(
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      assertThat(claimNamed(client, ns, "nameless").getStatus().getErrorMessage())
                          .isEqualTo(
                              "IPClaim "
                                  + ns
                                  + "/nameless names no IPPool (the pool reference's name is"
                                  + " empty)");
                      assertThat(eventsOf(client, ns, "nameless", "PoolNotSet"))
                          .singleElement()
                          .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"))
                          .satisfies(
                              e ->
                                  assertThat(e.getInvolvedObject().getKind()).isEqualTo("IPClaim"));
                    }),
        () -> {
          eventually()
              .untilAsserted(
                  () -> {
                    Condition ready = capiReady(client, ns, "early");
                    assertThat(ready.getStatus()).isEqualTo("False");
                    assertThat(ready.getReason()).isEqualTo("PoolNotFound");
                    assertThat(ready.getMessage())
                        .isEqualTo("IPPool " + ns + "/later not found; served once it exists");
                    assertThat(eventsOf(client, ns, "early", "PoolNotFound"))
                        .singleElement()
                        .satisfies(
                            e ->
                                assertThat(e.getMessage())
                                    .isEqualTo(
                                        "IPPool " + ns + "/later not found; served once it exists"))
                        .satisfies(
                            e ->
                                assertThat(e.getInvolvedObject().getKind())
                                    .isEqualTo("IPAddressClaim"));
                  });
          client
              .resource(
                  pool(
                      ns,
                      "later",
                      "namePrefix: later\npools:\n  - start: 10.83.0.1\n    end: 10.83.0.9\n"))
              .create();
          eventually()
              .untilAsserted(
                  () -> {
                    assertThat(capiReady(client, ns, "early").getStatus()).isEqualTo("True");
                    assertThat(
                            capiClaimNamed(client, ns, "early")
                                .getStatus()
                                .getAddressRef()
                                .getName())
                        .isEqualTo("later-10-83-0-1");
                  });
        },
        () -> {
          eventually()
              .untilAsserted(
                  () ->
                      assertThat(
                              claimNamed(client, ns, "holder").getStatus().getAddress().getName())
                          .isEqualTo("shrinks-10-0-0-1"));
          client
              .resources(IPPool.class)
              .inNamespace(ns)
              .withName("shrinks")
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"pools\":[{\"start\":\"10.0.0.5\",\"end\":\"10.0.0.9\"}]}}");
          eventually()
              .untilAsserted(
                  () -> {
                    Condition ready = poolReady(client, ns, "shrinks");
                    assertThat(ready.getReason()).isEqualTo("AddressesOutOfRange");
                    assertThat(ready.getMessage()).contains("10.0.0.1");
                  });
          assertThat(claimNamed(client, ns, "holder").getStatus().getAddress().getName())
              .isEqualTo("shrinks-10-0-0-1");
          assertThat(addressNamed(client, ns, "shrinks-10-0-0-1").getSpec().getAddress())
              .isEqualTo("10.0.0.1");
        },
        () ->
            eventually()
                .untilAsserted(
                    () -> {
                      Condition ready = poolReady(client, ns, "open");
                      assertThat(ready.getStatus()).isEqualTo("True");
                      assertThat(ready.getReason()).isEqualTo("SpecWarnings");
                      assertThat(ready.getMessage()).contains("it runs to 255.255.255.255");
                    }));
  }

  /**
   * Item 14: a deleting claim whose Metal3 pool is gone lets go. One that named a pool that never
   * existed (each kind, our finalizer set by the test): the finalizer is removed. One whose pool
   * was deleted with its finalizer removed by hand, while the claim's address objects still named
   * it (no pass of that pool will ever run): the claim's objects of both kinds are deleted, then
   * its finalizer.
   */
  @Test
  void aDeletingClaimWhosePoolIsGoneLetsGoAndTakesItsObjectsWithIt(KubernetesClient client) {
    String ns = "ud-poolless";
    createNamespace(client, ns);
    IPAddressClaim capiNever = capiClaim(ns, "capi-never", "never", null);
    capiNever.getMetadata().setFinalizers(List.of(CAPI_CLAIM_FINALIZER));
    client.resource(capiNever).create();
    IPClaim m3Never = claim(ns, "m3-never", "never", null);
    m3Never.getMetadata().setFinalizers(List.of(IPClaim.FINALIZER));
    client.resource(m3Never).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(capiReady(client, ns, "capi-never").getReason())
                    .isEqualTo("PoolNotFound"));
    client.resources(IPAddressClaim.class).inNamespace(ns).withName("capi-never").delete();
    client.resources(IPClaim.class).inNamespace(ns).withName("m3-never").delete();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(capiClaimNamed(client, ns, "capi-never")).isNull();
              assertThat(claimNamed(client, ns, "m3-never")).isNull();
            });

    client
        .resource(
            pool(ns, "cut", "namePrefix: cut\npools:\n  - start: 10.84.0.1\n    end: 10.84.0.9\n"))
        .create();
    client.resource(capiClaim(ns, "machine", "cut", null)).create();
    client.resource(claim(ns, "host", "cut", null)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(capiReady(client, ns, "machine").getStatus()).isEqualTo("True");
              assertThat(claimNamed(client, ns, "host").getStatus().getAddress()).isNotNull();
              assertThat(capiAddressesOf(client, ns)).hasSize(1);
              assertThat(addressesOf(client, ns)).hasSize(2);
            });
    client.resources(IPPool.class).inNamespace(ns).withName("cut").delete();
    eventually()
        .untilAsserted(
            () ->
                assertThat(poolNamed(client, ns, "cut").getMetadata().getDeletionTimestamp())
                    .isNotNull());
    // What an operator does to a pool that will not go: its finalizer removed by hand.
    client
        .resources(IPPool.class)
        .inNamespace(ns)
        .withName("cut")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    eventually().untilAsserted(() -> assertThat(poolNamed(client, ns, "cut")).isNull());
    assertThat(addressesOf(client, ns)).hasSize(2);
    // A claim told the pool is not found shows that the controller's cache has let it go too.
    client.resource(claim(ns, "probe", "cut", null)).create();
    eventually()
        .untilAsserted(
            () ->
                assertThat(claimNamed(client, ns, "probe").getStatus().getErrorMessage())
                    .isEqualTo("IPPool " + ns + "/cut not found; served once it exists"));

    client.resources(IPAddressClaim.class).inNamespace(ns).withName("machine").delete();
    client.resources(IPClaim.class).inNamespace(ns).withName("host").delete();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(capiClaimNamed(client, ns, "machine")).isNull();
              assertThat(claimNamed(client, ns, "host")).isNull();
              assertThat(capiAddressesOf(client, ns)).isEmpty();
              assertThat(addressesOf(client, ns)).isEmpty();
            });
  }

  /**
   * Item 13, on a real server: an IPv6 pool whose namePrefix (220 characters) passes the CRD schema
   * (at most 237, enough for an IPv4 address) but leaves no room for an IPv6 address. With webhooks
   * off the pool is InvalidSpec, and its claim is told once (one status write, one event), not
   * retried with the API server's raw 422 text.
   */
  @Test
  void anIpv6PoolWhoseNamePrefixLeavesNoRoomTellsItsClaimOnce(KubernetesClient client) {
    String ns = "ud-longprefix";
    createNamespace(client, ns);
    String prefix = "v6" + "a".repeat(218);
    client
        .resource(
            pool(ns, "long6", "namePrefix: " + prefix + "\npools:\n  - subnet: 2001:db8::/120\n"))
        .create();
    client.resource(claim(ns, "c", "long6", null)).create();
    String problem =
        "spec.namePrefix \""
            + prefix
            + "\" is 220 characters long; at most 213 leave room for an IPv6 address in a"
            + " 253-character object name";
    eventually()
        .untilAsserted(
            () -> {
              Condition ready = poolReady(client, ns, "long6");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.getMessage()).contains(problem);
              assertThat(claimNamed(client, ns, "c").getStatus().getErrorMessage())
                  .isEqualTo(
                      "IPPool "
                          + ns
                          + "/long6: "
                          + problem
                          + "; no IPAddress can be created until it is fixed");
            });
    assertStableStatus(client, claimNamed(client, ns, "c"));
    assertThat(eventsOf(client, ns, "c", "AllocationFailed")).hasSize(1);
    assertThat(addressesOf(client, ns)).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /** The events of this reason on the object of this name. */
  private static List<io.fabric8.kubernetes.api.model.Event> eventsOf(
      KubernetesClient client, String namespace, String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static List<String> capiAddressesOf(KubernetesClient client, String namespace) {
    return client
        .resources(org.ipam.core.capi.IPAddress.class)
        .inNamespace(namespace)
        .list()
        .getItems()
        .stream()
        .map(a -> a.getSpec().getAddress())
        .toList();
  }

  private static IPAddressClaim capiClaimNamed(
      KubernetesClient client, String namespace, String name) {
    return client.resources(IPAddressClaim.class).inNamespace(namespace).withName(name).get();
  }

  private static org.ipam.core.capi.IPAddress capiAddressNamed(
      KubernetesClient client, String namespace, String name) {
    return client
        .resources(org.ipam.core.capi.IPAddress.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static IPPool poolNamed(KubernetesClient client, String namespace, String name) {
    return client.resources(IPPool.class).inNamespace(namespace).withName(name).get();
  }

  /** The pool's Ready condition; throws (so an eventually() retries) while there is none. */
  private static Condition poolReady(KubernetesClient client, String namespace, String name) {
    return Conditions.find(poolNamed(client, namespace, name).getStatus().getConditions(), "Ready")
        .orElseThrow();
  }

  /** The Cluster API claim's Ready condition; throws while there is none. */
  private static Condition capiReady(KubernetesClient client, String namespace, String name) {
    return Conditions.find(
            capiClaimNamed(client, namespace, name).getStatus().getConditions(), "Ready")
        .orElseThrow();
  }
}
