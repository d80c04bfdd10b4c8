package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.Crds;
import org.ipam.e2e.AddressAudit.AddressObject;
import org.ipam.e2e.AddressAudit.Claim;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.incluster.adapter.InClusterDialectModule;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.metal3.adapter.Metal3Claim;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One controller serving the Metal3 and the in-cluster dialects at once ({@code
 * --adapters=metal3,incluster}), on two pools of one namespace with one name and the same
 * addresses: a Metal3 IPPool and an InClusterIPPool, both {@value #METAL3_POOL}, 10.30.0.1 to
 * 10.30.0.40. Separate pools, so an address may be handed out once by each. Claims, {@value
 * #PER_GROUP} of each group, created at once in a shuffled order: Metal3 IPClaims and Cluster API
 * IPAddressClaims on the Metal3 pool, and Cluster API IPAddressClaims on the in-cluster pool
 * ({@code spec.poolRef} apiGroup and kind pick the dialect).
 *
 * <p>Asserted once all are served, and again after half of each group is deleted and as many new
 * claims created, and once all are deleted: each Cluster API claim is answered by the dialect of
 * its pool, in that dialect's shape (Metal3: an IPAddress named {@code <namePrefix>-<address>} with
 * Metal3's finalizers and a Metal3 IPAddress of the same name as the lock; in-cluster: an IPAddress
 * named after the claim, {@code ProtectAddress}/{@code ReleaseAddress}, the claim as controller
 * owner); no claim carries the other dialect's finalizer; within each pool no address is held
 * twice, across IPClaims and IPAddressClaims alike, and no address object is without its claim; the
 * two pools do share addresses; each pool's status counts its objects (Metal3 {@code
 * status.indexes}, in-cluster {@code status.ipAddresses} and its ledger); the new claims get
 * exactly the addresses the deleted ones freed, whichever kind freed them; deleted claims leave no
 * finalizer and no address object of either kind behind; and both pools, deleted last, go.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class MixedDialectsIT {
  private static final int PER_GROUP = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /**
   * Both pools have one name: only {@code spec.poolRef}'s apiGroup and kind tell them apart
   * (upstream Metal3 checks neither, and serves claims of an InClusterIPPool of its pool's name).
   */
  private static final String METAL3_POOL = "shared";

  private static final String IN_CLUSTER_POOL = "shared";
  private static final String FIRST = "10.30.0.1";
  private static final String LAST = "10.30.0.40";
  private static final long POOL_SIZE = 40;
  private static final String METAL3_POOL_KEY =
      AddressAudit.poolKey(IPPool.GROUP, "IPPool", METAL3_POOL);
  private static final String IN_CLUSTER_POOL_KEY =
      AddressAudit.poolKey(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_IP_POOL, IN_CLUSTER_POOL);

  /** The three groups of claims, by name prefix. */
  private enum Group {
    IP_CLAIM("ipc"),
    METAL3_CAPI("m3c"),
    IN_CLUSTER_CAPI("icc");

    final String prefix;

    Group(String prefix) {
      this.prefix = prefix;
    }

    String name(int i) {
      return prefix + "-" + i;
    }

    static Group of(String claimName) {
      for (Group group : values()) {
        if (claimName.startsWith(group.prefix + "-")) {
          return group;
        }
      }
      throw new IllegalArgumentException("no group for claim " + claimName);
    }
  }

  @Test
  void eachClaimIsServedByTheDialectOfItsPoolAndPoolsOverlapWithoutClashing(Cluster cluster) {
    String namespace = "e2e-mixed-" + UUID.randomUUID().toString().substring(0, 8);
    long started = System.nanoTime();
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrdsWithCapi(client);
      Crds.install(
          client,
          InClusterDialectModule.class.getClassLoader(),
          new InClusterDialectModule().crdResources());
      Metal3Objects metal3 = new Metal3Objects(client, namespace);
      metal3.createNamespace();
      metal3.createPool(METAL3_POOL, FIRST, LAST, 24);
      createInClusterPool(client, namespace);
      ControllerProcess controller =
          ControllerProcess.start(
              "mixed-dialects",
              List.of(
                  "--kubeconfig=" + cluster.kubeconfig(),
                  "--adapters=metal3,incluster",
                  "--namespaces=" + namespace,
                  "--no-leader-elect",
                  "--webhook-port=0"));
      controller.awaitReady(Duration.ofMinutes(3));

      // All three groups at once, interleaved: both dialects decide for the same addresses.
      createClaimsAtOnce(client, namespace, 0, PER_GROUP);
      AddressAudit served = awaitServed(client, namespace, 3 * PER_GROUP);
      SoftAssertions soft = new SoftAssertions();
      check(soft, "all served", client, namespace, served, 3 * PER_GROUP);
      Map<String, String> first = addressByClaim(served);
      Set<String> shared = new TreeSet<>(addressesOf(served, METAL3_POOL_KEY));
      shared.retainAll(addressesOf(served, IN_CLUSTER_POOL_KEY));
      soft.assertThat(shared)
          .as("addresses handed out by both pools (the ranges overlap)")
          .isNotEmpty();

      // Half of each group deleted: released, then as many new claims get what they freed.
      List<String> deleted = new ArrayList<>();
      for (Group group : Group.values()) {
        for (int i = 0; i < PER_GROUP / 2; i++) {
          deleted.add(group.name(i));
        }
      }
      Set<String> deletedUids =
          served.claims().stream()
              .filter(c -> deleted.contains(c.name()))
              .map(Claim::uid)
              .collect(Collectors.toSet());
      deleted.forEach(name -> deleteClaim(client, namespace, name));
      boolean released =
          Awaits.quietly(
              TIMEOUT,
              () -> {
                AddressAudit now = AddressAudit.take(client, namespace);
                return now.claims().size() == 3 * PER_GROUP - deleted.size()
                    && now.addressObjects().stream()
                        .noneMatch(o -> o.claim() != null && deletedUids.contains(o.claim().uid()))
                    && countProblems(client, namespace, now).isEmpty();
              });
      AddressAudit afterDelete = AddressAudit.take(client, namespace);
      soft.assertThat(released)
          .as(
              "deleted claims gone with their address objects; left: %s; counts: %s",
              leftBy(afterDelete, deletedUids), countProblems(client, namespace, afterDelete))
          .isTrue();
      check(soft, "half deleted", client, namespace, afterDelete, 3 * PER_GROUP - deleted.size());
      Map<String, String> kept = addressByClaim(afterDelete);
      soft.assertThat(kept)
          .as("the claims left keep their addresses")
          .isEqualTo(withoutKeys(first, deleted));

      createClaimsAtOnce(client, namespace, PER_GROUP, PER_GROUP + PER_GROUP / 2);
      AddressAudit refilled = awaitServed(client, namespace, 3 * PER_GROUP);
      check(soft, "refilled", client, namespace, refilled, 3 * PER_GROUP);
      Map<String, String> now = addressByClaim(refilled);
      for (String pool : List.of(METAL3_POOL_KEY, IN_CLUSTER_POOL_KEY)) {
        Set<String> freed = new TreeSet<>();
        Set<String> taken = new TreeSet<>();
        for (Claim claim : served.claims()) {
          if (claim.pool().equals(pool) && deleted.contains(claim.name())) {
            freed.add(first.get(claim.name()));
          }
        }
        for (Claim claim : refilled.claims()) {
          if (claim.pool().equals(pool) && !first.containsKey(claim.name())) {
            taken.add(now.get(claim.name()));
          }
        }
        soft.assertThat(taken)
            .as("%s: the new claims' addresses, against those the deleted claims freed", pool)
            .isEqualTo(freed);
      }

      // Everything deleted: no finalizer holds a claim, no address object of either kind is left.
      refilled.claims().forEach(c -> deleteClaim(client, namespace, c.name()));
      boolean emptied =
          Awaits.quietly(
              TIMEOUT,
              () -> {
                AddressAudit left = AddressAudit.take(client, namespace);
                return left.claims().isEmpty()
                    && left.addressObjects().isEmpty()
                    && countProblems(client, namespace, left).isEmpty();
              });
      AddressAudit end = AddressAudit.take(client, namespace);
      soft.assertThat(emptied)
          .as(
              "all claims deleted: claims left %s, address objects left %s, counts %s",
              AddressAudit.some(end.claims()),
              AddressAudit.some(end.addressObjects()),
              countProblems(client, namespace, end))
          .isTrue();
      client.resources(IPPool.class).inNamespace(namespace).withName(METAL3_POOL).delete();
      client
          .resources(InClusterIPPool.class)
          .inNamespace(namespace)
          .withName(IN_CLUSTER_POOL)
          .delete();
      boolean poolsGone =
          Awaits.quietly(
              TIMEOUT,
              () ->
                  client.resources(IPPool.class).inNamespace(namespace).list().getItems().isEmpty()
                      && client
                          .resources(InClusterIPPool.class)
                          .inNamespace(namespace)
                          .list()
                          .getItems()
                          .isEmpty());
      soft.assertThat(poolsGone).as("both pools deleted (their finalizers released)").isTrue();
      soft.assertThat(controller.isAlive()).as("controller alive").isTrue();
      System.out.printf(
          "E2E mixed dialects: %d claims in 3 groups served, %d deleted and refilled, all"
              + " released; addresses both pools handed out %d; per pool: %s; %d s%n",
          3 * PER_GROUP,
          deleted.size(),
          shared.size(),
          served.byPool().entrySet().stream()
              .map(e -> e.getKey() + ": " + e.getValue().figures())
              .collect(Collectors.joining(" | ")),
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      soft.assertAll();
    }
  }

  private static void createInClusterPool(KubernetesClient client, String namespace) {
    InClusterIPPool pool = new InClusterIPPool();
    pool.getMetadata().setName(IN_CLUSTER_POOL);
    pool.getMetadata().setNamespace(namespace);
    InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
    spec.setAddresses(List.of(FIRST + "-" + LAST));
    spec.setPrefix(24);
    pool.setSpec(spec);
    client.resource(pool).create();
  }

  /** Claims {@code from} to {@code to - 1} of each group, from parallel threads, shuffled. */
  private static void createClaimsAtOnce(
      KubernetesClient client, String namespace, int from, int to) {
    Metal3Objects metal3 = new Metal3Objects(client, namespace);
    List<String> names = new ArrayList<>();
    for (Group group : Group.values()) {
      for (int i = from; i < to; i++) {
        names.add(group.name(i));
      }
    }
    Collections.shuffle(names, new Random(from));
    names.parallelStream()
        .forEach(
            name -> {
              switch (Group.of(name)) {
                case IP_CLAIM -> metal3.newIpClaim(METAL3_POOL, name);
                case METAL3_CAPI -> metal3.newCapiClaim(METAL3_POOL, name);
                case IN_CLUSTER_CAPI ->
                    new ThroughputDialect.InCluster()
                        .createClaim(client, namespace, IN_CLUSTER_POOL, name);
              }
            });
  }

  private static void deleteClaim(KubernetesClient client, String namespace, String name) {
    Class<? extends HasMetadata> kind =
        Group.of(name) == Group.IP_CLAIM ? IPClaim.class : IPAddressClaim.class;
    client.resources(kind).inNamespace(namespace).withName(name).delete();
  }

  /** Waits until {@code count} claims are all served; the audit of that moment. */
  private static AddressAudit awaitServed(KubernetesClient client, String namespace, int count) {
    boolean served =
        Awaits.quietly(
            TIMEOUT,
            () -> {
              AddressAudit audit = AddressAudit.take(client, namespace);
              return audit.claims().size() == count
                  && audit.unserved().isEmpty()
                  && countProblems(client, namespace, audit).isEmpty();
            });
    AddressAudit audit = AddressAudit.take(client, namespace);
    assertThat(served)
        .as(
            "%d claims served within %s; %s; unserved: %s; counts: %s",
            count,
            TIMEOUT,
            audit.figures(),
            AddressAudit.some(audit.unserved()),
            countProblems(client, namespace, audit))
        .isTrue();
    return audit;
  }

  /** Every check that holds whenever the claims are served: per pool, per dialect, per count. */
  private static void check(
      SoftAssertions soft,
      String when,
      KubernetesClient client,
      String namespace,
      AddressAudit audit,
      int claims) {
    soft.assertThat(audit.claims()).as("%s: claims", when).hasSize(claims);
    soft.assertThat(audit.unserved()).as("%s: unserved claims", when).isEmpty();
    Map<String, AddressAudit> pools = audit.byPool();
    soft.assertThat(pools.keySet())
        .as("%s: pools that claims and address objects name", when)
        .containsExactlyInAnyOrder(METAL3_POOL_KEY, IN_CLUSTER_POOL_KEY);
    pools.forEach(
        (pool, inPool) -> {
          soft.assertThat(inPool.addressesHeldTwice())
              .as("%s: %s: addresses held by two claims", when, pool)
              .isEmpty();
          soft.assertThat(inPool.addressesSharedByClaimStatuses())
              .as("%s: %s: addresses two claim statuses point at", when, pool)
              .isEmpty();
          soft.assertThat(inPool.claimsPointingAtWrongObjects())
              .as("%s: %s: claims pointing at objects not their own", when, pool)
              .isEmpty();
          soft.assertThat(inPool.orphans())
              .as("%s: %s: address objects without their claim", when, pool)
              .isEmpty();
          soft.assertThat(inPool.claimsHoldingSeveralAddresses())
              .as("%s: %s: claims holding several addresses", when, pool)
              .isEmpty();
        });
    soft.assertThat(shapeProblems(audit))
        .as("%s: answers in their dialect's shape", when)
        .isEmpty();
    soft.assertThat(countProblems(client, namespace, audit)).as("%s: pool counts", when).isEmpty();
  }

  /**
   * What is not as the dialect of a claim's pool writes it: finalizers, the address objects (kind,
   * name, pool, finalizer, owners) and the claim's status.
   */
  private static List<String> shapeProblems(AddressAudit audit) {
    List<String> problems = new ArrayList<>();
    for (Claim claim : audit.claims()) {
      Group group = Group.of(claim.name());
      List<AddressObject> own =
          audit.addressObjects().stream()
              .filter(o -> o.claim() != null && o.claim().uid().equals(claim.uid()))
              .toList();
      AddressObject answer = audit.objectOf(claim);
      if (answer == null) {
        problems.add(claim + ": no answer");
        continue;
      }
      String lockName = METAL3_POOL + "-" + answer.address().replace('.', '-');
      switch (group) {
        case IP_CLAIM -> {
          expect(problems, claim, "pool", claim.pool(), METAL3_POOL_KEY);
          expect(problems, claim, "finalizers", claim.finalizers(), List.of(IPClaim.FINALIZER));
          expect(
              problems,
              claim,
              "objects",
              kindsAndNames(own),
              List.of(AddressAudit.METAL3_ADDRESS + " " + lockName));
        }
        case METAL3_CAPI -> {
          expect(problems, claim, "pool", claim.pool(), METAL3_POOL_KEY);
          expect(
              problems,
              claim,
              "finalizers",
              claim.finalizers(),
              List.of(Metal3Claim.Capi.FINALIZER));
          // The lock (a Metal3 IPAddress) and the answer, both named after pool and address.
          expect(
              problems,
              claim,
              "objects",
              kindsAndNames(own),
              List.of(
                  AddressAudit.CAPI_ADDRESS + " " + lockName,
                  AddressAudit.METAL3_ADDRESS + " " + lockName));
          expect(problems, claim, "answer's pool", answer.pool(), METAL3_POOL_KEY);
        }
        case IN_CLUSTER_CAPI -> {
          expect(problems, claim, "pool", claim.pool(), IN_CLUSTER_POOL_KEY);
          expect(
              problems,
              claim,
              "finalizers",
              claim.finalizers(),
              List.of(InClusterApi.RELEASE_ADDRESS_FINALIZER));
          expect(
              problems,
              claim,
              "objects",
              kindsAndNames(own),
              List.of(AddressAudit.CAPI_ADDRESS + " " + claim.name()));
          expect(problems, claim, "answer's pool", answer.pool(), IN_CLUSTER_POOL_KEY);
        }
      }
    }
    return problems;
  }

  private static List<String> kindsAndNames(List<AddressObject> objects) {
    return objects.stream().map(o -> o.kind() + " " + o.name()).sorted().toList();
  }

  private static void expect(
      List<String> problems, Claim claim, String what, Object actual, Object expected) {
    if (!expected.equals(actual)) {
      problems.add(claim + ": " + what + " " + actual + ", expected " + expected);
    }
  }

  /**
   * The pools' status against the objects: the Metal3 pool's {@code status.indexes} (claim name to
   * address, IPClaims and IPAddressClaims alike), the in-cluster pool's counts and ledger; and the
   * address objects' finalizers and owners as each dialect writes them.
   */
  private static List<String> countProblems(
      KubernetesClient client, String namespace, AddressAudit audit) {
    List<String> problems = new ArrayList<>();
    Map<String, String> metal3Expected = new TreeMap<>();
    Map<String, String> ledgerExpected = new TreeMap<>();
    int inClusterObjects = 0;
    for (Claim claim : audit.claims()) {
      AddressObject answer = audit.objectOf(claim);
      if (answer == null) {
        continue;
      }
      if (claim.pool().equals(METAL3_POOL_KEY)) {
        metal3Expected.put(claim.name(), answer.address());
      }
    }
    for (AddressObject object : audit.addressObjects()) {
      if (object.pool().equals(IN_CLUSTER_POOL_KEY)) {
        inClusterObjects++;
        ledgerExpected.put(object.address(), object.claim() == null ? null : object.claim().uid());
      }
    }
    IPPool metal3 =
        client.resources(IPPool.class).inNamespace(namespace).withName(METAL3_POOL).get();
    Map<String, String> indexes =
        metal3 == null || metal3.getStatus() == null || metal3.getStatus().getIndexes() == null
            ? Map.of()
            : new TreeMap<>(metal3.getStatus().getIndexes());
    if (!indexes.equals(metal3Expected)) {
      problems.add(
          "IPPool " + METAL3_POOL + ": status.indexes " + indexes + ", expected " + metal3Expected);
    }
    InClusterIPPool inCluster =
        client
            .resources(InClusterIPPool.class)
            .inNamespace(namespace)
            .withName(IN_CLUSTER_POOL)
            .get();
    var status = inCluster == null ? null : inCluster.getStatus();
    var counts = status == null ? null : status.getIpAddresses();
    String expected =
        "total=%d used=%d free=%d outOfRange=0"
            .formatted(POOL_SIZE, inClusterObjects, POOL_SIZE - inClusterObjects);
    String actual =
        counts == null
            ? "none"
            : "total=%d used=%d free=%d outOfRange=%d"
                .formatted(
                    counts.getTotal(), counts.getUsed(), counts.getFree(), counts.getOutOfRange());
    if (!expected.equals(actual)) {
      problems.add(
          "InClusterIPPool " + IN_CLUSTER_POOL + ": counts " + actual + ", expected " + expected);
    }
    Map<String, String> ledger = new TreeMap<>();
    if (status != null && status.getAllocations() != null) {
      for (AllocationRecord entry : status.getAllocations()) {
        ledger.put(entry.getAddress(), entry.getUid());
      }
    }
    if (!ledger.equals(ledgerExpected)) {
      problems.add(
          "InClusterIPPool "
              + IN_CLUSTER_POOL
              + ": ledger "
              + ledger
              + ", expected "
              + ledgerExpected);
    }
    problems.addAll(objectProblems(client, namespace, metal3, inCluster));
    return problems;
  }

  /** Finalizers and owner references of the address objects, as each dialect writes them. */
  private static List<String> objectProblems(
      KubernetesClient client, String namespace, IPPool metal3, InClusterIPPool inCluster) {
    List<String> problems = new ArrayList<>();
    for (IPAddress lock :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      expectObject(
          problems,
          lock,
          IPAddress.FINALIZER,
          owner -> metal3 != null && owner.getUid().equals(metal3.getMetadata().getUid()));
    }
    for (org.ipam.core.capi.IPAddress answer :
        client
            .resources(org.ipam.core.capi.IPAddress.class)
            .inNamespace(namespace)
            .list()
            .getItems()) {
      boolean metal3Pool = IPPool.GROUP.equals(answer.getSpec().getPoolRef().getApiGroup());
      HasMetadata pool = metal3Pool ? metal3 : inCluster;
      expectObject(
          problems,
          answer,
          metal3Pool ? Metal3Claim.Capi.ADDRESS_FINALIZER : InClusterApi.PROTECT_ADDRESS_FINALIZER,
          owner -> pool != null && owner.getUid().equals(pool.getMetadata().getUid()));
      boolean claimIsController =
          answer.getMetadata().getOwnerReferences().stream()
              .anyMatch(
                  o ->
                      "IPAddressClaim".equals(o.getKind())
                          && Boolean.TRUE.equals(o.getController()));
      if (!metal3Pool && !claimIsController) {
        problems.add(
            "IPAddress " + answer.getMetadata().getName() + ": its claim is not its controller");
      }
    }
    return problems;
  }

  private static void expectObject(
      List<String> problems, HasMetadata object, String finalizer, Predicate<OwnerReference> pool) {
    String name = object.getKind() + " " + object.getMetadata().getName();
    if (!List.of(finalizer).equals(object.getMetadata().getFinalizers())) {
      problems.add(
          name
              + ": finalizers "
              + object.getMetadata().getFinalizers()
              + ", expected "
              + finalizer);
    }
    if (object.getMetadata().getOwnerReferences().stream().noneMatch(pool)) {
      problems.add(name + ": not owned by its pool " + object.getMetadata().getOwnerReferences());
    }
  }

  /** Claim name to the address its status points at, served claims. */
  private static Map<String, String> addressByClaim(AddressAudit audit) {
    return audit.addressByClaimName();
  }

  private static Set<String> addressesOf(AddressAudit audit, String pool) {
    return audit.addressObjects().stream()
        .filter(o -> o.pool().equals(pool))
        .map(AddressObject::address)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> withoutKeys(Map<String, String> map, List<String> keys) {
    Map<String, String> kept = new TreeMap<>(map);
    keys.forEach(kept::remove);
    return kept;
  }

  private static List<String> leftBy(AddressAudit audit, Set<String> uids) {
    List<String> left = new ArrayList<>();
    audit.claims().stream()
        .filter(c -> uids.contains(c.uid()))
        .forEach(c -> left.add(c + " " + c.finalizers()));
    audit.addressObjects().stream()
        .filter(o -> o.claim() != null && uids.contains(o.claim().uid()))
        .forEach(o -> left.add(o.toString()));
    return left;
  }
}
