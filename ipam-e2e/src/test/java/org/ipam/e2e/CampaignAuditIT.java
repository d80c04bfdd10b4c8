package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimStatus;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.net.Ip;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.IPAddressCounts;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeStatus;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestStatus;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPClaimStatus;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test of the reliability campaign's audit ({@link CampaignDialect#audit}, {@link
 * CampaignDialects}). No controller runs: for each kind of claim the campaign attacks, a state made
 * by hand through the API breaks each promise the audit checks (an address held for two claims, an
 * address object or ledger entry whose claim is gone, a live claim shown an address not held for
 * it, a pool status that disagrees with the objects, a claim deleted but kept by a finalizer), and
 * the audit must name each fault; a correct, fully served state made the same way it must accept.
 * Each state has a namespace of its own.
 *
 * <p>Addresses are picked so that none is the start of another ({@code .21} to {@code .31}), so
 * that a finding can be recognised by its address.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class CampaignAuditIT {
  /** The claims each pool is made for: its range holds 36 addresses (.1 to .36), or 64 children. */
  private static final int CLAIMS = 10;

  /** Keeps an object that is deleted (or that a garbage collector would delete) in place. */
  private static final String FINALIZER = "e2e.ipam.org/campaign-audit";

  // ------------------------------------------------------------------------------------ Metal3

  @Test
  void metal3IpClaims(Cluster cluster) {
    metal3(cluster, new CampaignDialects.Metal3Claims(), false);
  }

  @Test
  void metal3CapiClaims(Cluster cluster) {
    metal3(cluster, new CampaignDialects.Metal3CapiClaims(), true);
  }

  /**
   * Metal3 IPClaims ({@code capi} false, 10.11.0.0/16) or Cluster API claims on a Metal3 pool
   * (10.12.0.0/16): a claim's address objects are a Metal3 IPAddress, and for a Cluster API claim a
   * Cluster API IPAddress of the same name beside it; the pool's status maps claim names to
   * addresses.
   */
  private static void metal3(Cluster cluster, CampaignDialect dialect, boolean capi) {
    int second = capi ? 12 : 11;
    String kind = capi ? "IPAddressClaim" : "IPClaim";
    try (KubernetesClient client = cluster.newClient()) {
      dialect.installCrds(client);
      try (Scene scene = new Scene(client, dialect, "faults")) {
        Metal3State state = new Metal3State(scene, capi, second);
        state.served("c-ok", "p-ok", 21);
        // 10.x.0.25 held for two claims, each pointed at an object of its own.
        state.served("c-a", "p-a", 25);
        state.served("c-b", "p-b", 25);
        // The objects of a claim that is gone: a uid no claim has.
        state.hold(Holder.gone("c-gone"), "p-gone", 26);
        // One claim shown the object of c-ok, one an object that does not exist.
        state.point(state.claim("c-wrong").name(), "p-ok");
        state.point(state.claim("c-missing").name(), "p-none");
        if (capi) {
          // A Cluster API IPAddress of its own, without the Metal3 IPAddress that locks it.
          Holder nolock = state.claim("c-nolock");
          state.capiAddress(nolock, "p-nolock", 28);
          state.point(nolock.name(), "p-nolock");
        }
        state.served("c-stuck", "p-stuck", 27);
        scene.keepDeleted(state.claimObject("c-stuck"));
        // Right for every claim the IPAddresses hold, and one more that none holds.
        state.poolStatus(
            Map.of("c-ok", 21, "c-a", 25, "c-b", 25, "c-gone", 26, "c-stuck", 27, "c-ghost", 29));

        CampaignAudit audit = scene.audit();
        List<String> live = new ArrayList<>(List.of("c-ok", "c-a", "c-b", "c-wrong", "c-missing"));
        if (capi) {
          live.add("c-nolock");
        }
        assertThat(audit.liveClaims())
            .as(audit.summary())
            .containsExactlyInAnyOrderElementsOf(live);
        assertThat(audit.served()).containsExactlyInAnyOrder("c-ok", "c-a", "c-b");
        assertThat(audit.heldTwice())
            .hasSize(1)
            .allMatch(s -> s.startsWith(state.address(25) + " held for "));
        assertThat(audit.orphans())
            .anyMatch(s -> s.contains("p-gone (" + state.address(26)) && s.contains("is gone"))
            .noneMatch(s -> s.contains(state.address(21)));
        assertThat(audit.notOwn())
            .anyMatch(
                s ->
                    s.startsWith(kind + " c-wrong ")
                        && s.contains("p-ok (" + state.address(21))
                        && s.contains("which is not its own"))
            .anyMatch(s -> s.startsWith(kind + " c-missing ") && s.contains("does not exist"))
            .noneMatch(s -> s.startsWith(kind + " c-ok "));
        if (capi) {
          assertThat(audit.notOwn())
              .anyMatch(
                  s ->
                      s.startsWith(kind + " c-nolock ")
                          && s.contains("has no Metal3 IPAddress lock of its own (none)"));
        }
        assertThat(audit.statusMismatch())
            .containsExactlyInAnyOrder(
                state.poolName()
                    + " status.indexes gives c-ghost "
                    + state.address(29)
                    + ", but no IPAddress holds an address for c-ghost",
                state.poolName()
                    + " status.allocations gives c-ghost "
                    + state.address(29)
                    + ", but no IPAddress holds an address for c-ghost");
        assertThat(audit.stuck())
            .anyMatch(s -> s.startsWith(kind + " c-stuck ") && s.endsWith(" is being deleted"));
      }
      try (Scene scene = new Scene(client, dialect, "clean")) {
        Metal3State state = new Metal3State(scene, capi, second);
        state.served("c-1", scene.pool + "-" + state.address(21).replace('.', '-'), 21);
        state.served("c-2", scene.pool + "-" + state.address(22).replace('.', '-'), 22);
        state.poolStatus(Map.of("c-1", 21, "c-2", 22));
        assertClean(scene.audit(), "c-1", "c-2");
      }
    }
  }

  /** A Metal3 pool's claims, address objects and status, made by hand. */
  private record Metal3State(Scene scene, boolean capi, int second) {
    String address(int host) {
      return "10." + second + ".0." + host;
    }

    String poolName() {
      return "IPPool " + scene.namespace + "/" + scene.pool;
    }

    Holder claim(String name) {
      scene.createClaim(name, 0);
      return Holder.of(claimObject(name));
    }

    HasMetadata claimObject(String name) {
      return capi
          ? scene
              .client
              .resources(IPAddressClaim.class)
              .inNamespace(scene.namespace)
              .withName(name)
              .get()
          : scene.client.resources(IPClaim.class).inNamespace(scene.namespace).withName(name).get();
    }

    /** A claim holding the address through objects named {@code object}, its status on them. */
    Holder served(String name, String object, int host) {
      Holder claim = claim(name);
      hold(claim, object, host);
      point(name, object);
      return claim;
    }

    /** The Metal3 IPAddress of the claim, and for a Cluster API claim its IPAddress too. */
    void hold(Holder claim, String object, int host) {
      org.ipam.metal3.model.IPAddress lock = new org.ipam.metal3.model.IPAddress();
      lock.setMetadata(scene.meta(object, claim, ownerKind()));
      org.ipam.metal3.model.IPAddressSpec spec = new org.ipam.metal3.model.IPAddressSpec();
      spec.setAddress(address(host));
      spec.setPrefix(16);
      spec.setClaim(new ObjectReferenceBuilder().withName(claim.name()).build());
      spec.setPool(new ObjectReferenceBuilder().withName(scene.pool).build());
      lock.setSpec(spec);
      scene.create(lock);
      if (capi) {
        capiAddress(claim, object, host);
      }
    }

    void capiAddress(Holder claim, String object, int host) {
      scene.capiAddress(
          object, claim, new PoolReference(IPPool.GROUP, "IPPool", scene.pool), address(host), 16);
    }

    private Class<? extends HasMetadata> ownerKind() {
      return capi ? IPAddressClaim.class : IPClaim.class;
    }

    /** The claim's status: the object of that name (Cluster API: and Ready True). */
    void point(String claim, String object) {
      if (capi) {
        scene.pointCapi(claim, object);
        return;
      }
      scene
          .client
          .resources(IPClaim.class)
          .inNamespace(scene.namespace)
          .withName(claim)
          .editStatus(
              c -> {
                IPClaimStatus status = new IPClaimStatus();
                status.setAddress(new ObjectReferenceBuilder().withName(object).build());
                c.setStatus(status);
                return c;
              });
    }

    /** The pool's {@code status.indexes} and {@code status.allocations}: claim name to host. */
    void poolStatus(Map<String, Integer> hosts) {
      Map<String, String> addresses = new TreeMap<>();
      hosts.forEach((claim, host) -> addresses.put(claim, address(host)));
      scene
          .client
          .resources(IPPool.class)
          .inNamespace(scene.namespace)
          .withName(scene.pool)
          .editStatus(
              p -> {
                IPPoolStatus status = new IPPoolStatus();
                status.setIndexes(addresses);
                status.setAllocations(addresses);
                p.setStatus(status);
                return p;
              });
    }
  }

  // -------------------------------------------------------------------------------- in-cluster

  @Test
  void inClusterIpClaims(Cluster cluster) {
    CampaignDialect dialect = new CampaignDialects.InClusterIpClaims();
    try (KubernetesClient client = cluster.newClient()) {
      dialect.installCrds(client);
      try (Scene scene = new Scene(client, dialect, "faults")) {
        InClusterState state = new InClusterState(scene, false);
        Holder ok = state.served("c-ok", 21);
        Holder a = state.served("c-a", 25);
        Holder b = state.served("c-b", 25);
        Holder gone = Holder.gone("c-gone");
        state.addressObject("c-gone", gone, 26);
        state.point(state.claim("c-wrong"), "c-ok");
        state.point(state.claim("c-missing"), "c-none");
        // Served by its IPAddress, which the ledger lacks.
        state.served("c-unledgered", 30);
        Holder stuck = state.served("c-stuck", 27);
        scene.keepDeleted(state.claimObject("c-stuck"));
        state.status(
            5,
            state.entry(ok, 21),
            state.entry(a, 25),
            state.entry(b, 25),
            state.entry(gone, 26),
            state.entry(stuck, 27));

        CampaignAudit audit = scene.audit();
        assertThat(audit.liveClaims())
            .as(audit.summary())
            .containsExactlyInAnyOrder(
                "c-ok", "c-a", "c-b", "c-wrong", "c-missing", "c-unledgered");
        assertThat(audit.served()).containsExactlyInAnyOrder("c-ok", "c-a", "c-b", "c-unledgered");
        assertThat(audit.heldTwice())
            .anyMatch(
                s ->
                    s.startsWith(
                        "10.13.0.25 and 10.13.0.25 overlap, held for two claims: IPAddress c-"))
            .noneMatch(s -> s.contains("10.13.0.21"));
        assertThat(audit.orphans())
            .anyMatch(s -> s.startsWith("IPAddress c-gone (10.13.0.26/16") && s.contains("is gone"))
            .anyMatch(
                s ->
                    s.contains(" status.allocations 10.13.0.26 for c-gone (uid " + gone.uid())
                        && s.endsWith("its claim (by uid) is gone"));
        assertThat(audit.notOwn())
            .anyMatch(
                s ->
                    s.startsWith("IPAddressClaim c-wrong ")
                        && s.contains(
                            "names IPAddress c-ok (10.13.0.21), owned by uid " + ok.uid()))
            .anyMatch(s -> s.startsWith("IPAddressClaim c-missing ") && s.contains("c-none"));
        assertThat(audit.statusMismatch())
            .containsExactly(
                state.poolName()
                    + " status.allocations holds 10.13.0.30 for nobody, its IPAddresses for"
                    + " c-unledgered ["
                    + state.uid("c-unledgered")
                    + "]");
        assertThat(audit.stuck())
            .anyMatch(s -> s.startsWith("IPAddressClaim c-stuck ") && s.contains("being deleted"));
      }
      try (Scene scene = new Scene(client, dialect, "clean")) {
        InClusterState state = new InClusterState(scene, false);
        Holder one = state.served("c-1", 21);
        Holder two = state.served("c-2", 22);
        state.status(2, state.entry(one, 21), state.entry(two, 22));
        assertClean(scene.audit(), "c-1", "c-2");
      }
    }
  }

  @Test
  void inClusterPrefixClaims(Cluster cluster) {
    CampaignDialect dialect = new CampaignDialects.InClusterPrefixClaims();
    try (KubernetesClient client = cluster.newClient()) {
      dialect.installCrds(client);
      try (Scene scene = new Scene(client, dialect, "faults")) {
        InClusterState state = new InClusterState(scene, true);
        Holder ok = state.served("c-ok", 0x21);
        // c-a's /64 lies inside c-b's /62: not equal, overlapping.
        Holder a = state.served("c-a", 0x24);
        Holder b = state.claim("c-b");
        state.addressObject("c-b", b, "fd00:0:14:24::", 62);
        state.point(b, "c-b");
        // A ledger entry of a claim that is gone, no IPAddress.
        Holder gone = Holder.gone("c-gone");
        state.point(state.claim("c-wrong"), "c-ok");
        Holder stuck = state.served("c-stuck", 0x29);
        scene.keepDeleted(state.claimObject("c-stuck"));
        // Four blocks in IPAddresses, the status says 5.
        state.status(
            5,
            state.entry(ok, 0x21),
            state.entry(a, 0x24),
            new AllocationRecord("fd00:0:14:24::/62", null, "c-b", b.uid()),
            state.entry(gone, 0x28),
            state.entry(stuck, 0x29));

        CampaignAudit audit = scene.audit();
        assertThat(audit.liveClaims())
            .as(audit.summary())
            .containsExactlyInAnyOrder("c-ok", "c-a", "c-b", "c-wrong");
        assertThat(audit.served()).containsExactlyInAnyOrder("c-ok", "c-a", "c-b");
        assertThat(audit.heldTwice())
            .hasSize(1)
            .allMatch(
                s ->
                    s.startsWith(
                        "fd00:0:14:24::/64 and fd00:0:14:24::/62 overlap, held for two claims:"));
        assertThat(audit.orphans())
            .anyMatch(
                s ->
                    s.contains(" status.allocations fd00:0:14:28::/64 for c-gone")
                        && s.endsWith("is gone"));
        assertThat(audit.notOwn())
            .anyMatch(
                s ->
                    s.startsWith("IPAddressClaim c-wrong ")
                        && s.contains("names IPAddress c-ok (fd00:0:14:21::), owned by uid "));
        assertThat(audit.statusMismatch())
            .contains(
                state.poolName() + " status.ipAddresses.used is 5, its IPAddresses hold 4",
                state.poolName()
                    + " status.allocations holds fd00:0:14:28::/64 for (gone) ["
                    + gone.uid()
                    + "], its IPAddresses for nobody");
        assertThat(audit.stuck())
            .anyMatch(s -> s.startsWith("IPAddressClaim c-stuck ") && s.contains("being deleted"));
      }
      try (Scene scene = new Scene(client, dialect, "clean")) {
        InClusterState state = new InClusterState(scene, true);
        Holder one = state.served("c-1", 0x21);
        Holder two = state.served("c-2", 0x22);
        state.status(2, state.entry(one, 0x21), state.entry(two, 0x22));
        assertClean(scene.audit(), "c-1", "c-2");
      }
    }
  }

  /**
   * An in-cluster pool's claims, IPAddresses (named as their claims) and ledger, made by hand: for
   * an InClusterIPPool a host of 10.13.0.0/16; for an InClusterPrefixPool the /64 child {@code
   * fd00:0:14:<host in hex>::/64}.
   */
  private record InClusterState(Scene scene, boolean prefix) {
    String poolKind() {
      return prefix ? InClusterApi.IN_CLUSTER_PREFIX_POOL : InClusterApi.IN_CLUSTER_IP_POOL;
    }

    String poolName() {
      return poolKind() + " " + scene.namespace + "/" + scene.pool;
    }

    /** The IPAddress's address: the host's address, or the child's first address. */
    String address(int host) {
      return prefix ? "fd00:0:14:" + Integer.toHexString(host) + "::" : "10.13.0." + host;
    }

    /** The ledger's text: the address, or the child. */
    String block(int host) {
      return prefix ? address(host) + "/64" : address(host);
    }

    Holder claim(String name) {
      scene.createClaim(name, 0);
      return Holder.of(claimObject(name));
    }

    IPAddressClaim claimObject(String name) {
      return scene
          .client
          .resources(IPAddressClaim.class)
          .inNamespace(scene.namespace)
          .withName(name)
          .get();
    }

    String uid(String claim) {
      return claimObject(claim).getMetadata().getUid();
    }

    Holder served(String name, int host) {
      Holder claim = claim(name);
      addressObject(name, claim, host);
      point(claim, name);
      return claim;
    }

    void addressObject(String object, Holder claim, int host) {
      addressObject(object, claim, address(host), prefix ? 64 : 16);
    }

    void addressObject(String object, Holder claim, String address, int length) {
      scene.capiAddress(
          object,
          claim,
          new PoolReference(InClusterApi.GROUP, poolKind(), scene.pool),
          address,
          length);
    }

    void point(Holder claim, String object) {
      scene.pointCapi(claim.name(), object);
    }

    AllocationRecord entry(Holder claim, int host) {
      return new AllocationRecord(block(host), null, claim.name(), claim.uid());
    }

    /** The pool's status: the ledger and {@code used} (total: the pool's 36 or 64). */
    void status(long used, AllocationRecord... ledger) {
      long total = prefix ? 64 : 36;
      PoolStatus status = new PoolStatus();
      status.setIpAddresses(new IPAddressCounts(total, used, total - used, 0));
      status.setAllocations(List.of(ledger));
      if (prefix) {
        scene
            .client
            .resources(InClusterPrefixPool.class)
            .inNamespace(scene.namespace)
            .withName(scene.pool)
            .editStatus(
                p -> {
                  p.setStatus(status);
                  return p;
                });
      } else {
        scene
            .client
            .resources(InClusterIPPool.class)
            .inNamespace(scene.namespace)
            .withName(scene.pool)
            .editStatus(
                p -> {
                  p.setStatus(status);
                  return p;
                });
      }
    }
  }

  // --------------------------------------------------------------------------------- Harvester

  @Test
  void harvesterLoadBalancers(Cluster cluster) {
    harvester(cluster, new CampaignDialects.HarvesterLoadBalancers(), false);
  }

  @Test
  void harvesterServices(Cluster cluster) {
    harvester(cluster, new CampaignDialects.HarvesterServices(), true);
  }

  /**
   * Harvester LoadBalancers ({@code services} false) or Services on a cluster-scoped IPPool whose
   * subnet the dialect picks (a /24: total 253): a claim shows its address in its status, the
   * pool's ledger records it by kind and uid, {@code status.allocated} by name.
   */
  private static void harvester(Cluster cluster, CampaignDialect dialect, boolean services) {
    String kind = services ? "Service" : "LoadBalancer";
    try (KubernetesClient client = cluster.newClient()) {
      dialect.installCrds(client);
      try (Scene scene = new Scene(client, dialect, "faults")) {
        HarvesterState state = new HarvesterState(scene, services);
        Holder ok = state.served("c-ok", 21);
        Holder a = state.served("c-a", 25);
        Holder b = state.served("c-b", 25);
        Holder gone = Holder.gone("c-gone");
        // Shows an address the ledger does not hold.
        state.served("c-wrong", 31);
        Holder stuck = state.served("c-stuck", 27);
        scene.keepDeleted(state.claimObject("c-stuck"));
        List<Map<String, Object>> ledger =
            new ArrayList<>(
                List.of(
                    state.entry(ok, 21),
                    state.entry(a, 25),
                    state.entry(b, 25),
                    state.entry(gone, 26),
                    state.entry(stuck, 27)));
        // c-ok's uid under the other kind: no claim of that kind has it.
        Map<String, Object> otherKind = new LinkedHashMap<>(state.entry(ok, 28));
        if (services) {
          otherKind.remove("kind");
        } else {
          otherKind.put("kind", "Service");
        }
        ledger.add(otherKind);
        Map<String, String> allocated = new TreeMap<>();
        allocated.put(state.address(21), state.allocatedName("c-ok"));
        allocated.put(state.address(25), state.allocatedName("c-a"));
        allocated.put(state.address(26), state.allocatedName("c-gone"));
        allocated.put(state.address(27), state.allocatedName("c-stuck"));
        // 253 less 4 allocated is 249.
        state.poolStatus(ledger, allocated, 253, 250);

        CampaignAudit audit = scene.audit();
        assertThat(audit.liveClaims())
            .as(audit.summary())
            .containsExactlyInAnyOrder("c-ok", "c-a", "c-b", "c-wrong");
        assertThat(audit.served()).containsExactly("c-ok");
        String held = state.address(25);
        assertThat(audit.heldTwice())
            .anyMatch(s -> s.startsWith(held + " and " + held + " overlap, held for two claims:"))
            .noneMatch(s -> s.contains(state.address(21)));
        assertThat(audit.orphans())
            .anyMatch(
                s ->
                    s.contains(
                            " status.allocations "
                                + state.address(26)
                                + " for "
                                + kind
                                + " "
                                + scene.namespace
                                + "/c-gone")
                        && s.endsWith("is gone"))
            .anyMatch(s -> s.contains(" status.allocations " + state.address(28) + " for "));
        assertThat(audit.notOwn())
            .anyMatch(
                s ->
                    s.startsWith(kind + " c-wrong ")
                        && s.contains(
                            "shows " + state.address(31) + " (the ledger holds it for nobody)"))
            .anyMatch(s -> s.startsWith(kind + " c-a ") && s.contains(held));
        assertThat(audit.statusMismatch())
            .contains(
                state.poolName() + " status.available is 250, total 253 less 4 allocated is 249");
        assertThat(audit.stuck())
            .anyMatch(s -> s.startsWith(kind + " c-stuck ") && s.endsWith(" is being deleted"));
      }
      try (Scene scene = new Scene(client, dialect, "clean")) {
        HarvesterState state = new HarvesterState(scene, services);
        Holder one = state.served("c-1", 21);
        Holder two = state.served("c-2", 22);
        state.poolStatus(
            List.of(state.entry(one, 21), state.entry(two, 22)),
            Map.of(
                state.address(21), state.allocatedName("c-1"),
                state.address(22), state.allocatedName("c-2")),
            253,
            251);
        assertClean(scene.audit(), "c-1", "c-2");
      }
    }
  }

  /** A Harvester pool's claims (LoadBalancers or Services) and status, made by hand. */
  private static final class HarvesterState {
    private final Scene scene;
    private final boolean services;
    private final Ip network;

    HarvesterState(Scene scene, boolean services) {
      this.scene = scene;
      this.services = services;
      GenericKubernetesResource pool =
          scene
              .client
              .genericKubernetesResources(CampaignDialects.HARVESTER_POOLS)
              .withName(scene.pool)
              .get();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ranges =
          (List<Map<String, Object>>)
              ((Map<String, Object>) pool.getAdditionalProperties().get("spec")).get("ranges");
      this.network = Ip.parse(String.valueOf(ranges.get(0).get("subnet")).split("/")[0]);
    }

    String address(int host) {
      return network.plus(host).toString();
    }

    String poolName() {
      return "IPPool " + scene.pool;
    }

    String allocatedName(String claim) {
      return (services ? "Service/" : "") + scene.namespace + "/" + claim;
    }

    HasMetadata claimObject(String name) {
      return services
          ? scene.client.services().inNamespace(scene.namespace).withName(name).get()
          : scene
              .client
              .genericKubernetesResources(CampaignDialects.LOAD_BALANCERS)
              .inNamespace(scene.namespace)
              .withName(name)
              .get();
    }

    /** A claim made by the dialect whose status shows the host's address of the pool. */
    Holder served(String name, int host) {
      scene.createClaim(name, 0);
      String ip = address(host);
      if (services) {
        scene
            .client
            .services()
            .inNamespace(scene.namespace)
            .withName(name)
            .editStatus(
                s -> {
                  s.setStatus(
                      new ServiceStatusBuilder()
                          .withNewLoadBalancer()
                          .addNewIngress()
                          .withIp(ip)
                          .endIngress()
                          .endLoadBalancer()
                          .build());
                  return s;
                });
      } else {
        scene
            .client
            .genericKubernetesResources(CampaignDialects.LOAD_BALANCERS)
            .inNamespace(scene.namespace)
            .withName(name)
            .editStatus(
                lb -> {
                  lb.setAdditionalProperty(
                      "status",
                      Map.of(
                          "allocatedAddress",
                          Map.of(
                              "ipPool",
                              scene.pool,
                              "ip",
                              ip,
                              "mask",
                              "255.255.255.0",
                              "gateway",
                              address(1))));
                  return lb;
                });
      }
      return Holder.of(claimObject(name));
    }

    /** A ledger entry: the host's address for the claim ({@code kind: Service} for a Service). */
    Map<String, Object> entry(Holder claim, int host) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ip", address(host));
      if (services) {
        entry.put("kind", "Service");
      }
      entry.put("namespace", scene.namespace);
      entry.put("name", claim.name());
      entry.put("uid", claim.uid());
      return entry;
    }

    void poolStatus(
        List<Map<String, Object>> ledger, Map<String, String> allocated, int total, int available) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("total", total);
      status.put("available", available);
      status.put("allocated", allocated);
      status.put("allocations", ledger);
      scene
          .client
          .genericKubernetesResources(CampaignDialects.HARVESTER_POOLS)
          .withName(scene.pool)
          .editStatus(
              p -> {
                p.setAdditionalProperty("status", status);
                return p;
              });
    }
  }

  // ----------------------------------------------------------------------------------- kubipam

  @Test
  void kubipamMixedSizes(Cluster cluster) {
    CampaignDialect dialect = new CampaignDialects.KubipamMixedSizes();
    try (KubernetesClient client = cluster.newClient()) {
      dialect.installCrds(client);
      try (Scene scene = new Scene(client, dialect, "faults")) {
        KubipamState state = new KubipamState(scene);
        // The index picks the size: 0 /24, 1 /26, 2 /28, 3 /32.
        Holder ok = state.shown("c-ok", 0, "10.64.0.0/24");
        // c-b's /28 lies inside c-a's /26.
        Holder a = state.shown("c-a", 1, "10.64.1.0/26");
        Holder b = state.shown("c-b", 2, "10.64.1.16/28");
        Holder gone = Holder.gone("c-gone");
        // Shows a block the ledger does not hold; shows a block of another size than asked.
        state.shown("c-wrong", 3, "10.64.3.7/32");
        Holder size = state.shown("c-size", 2, "10.64.4.0/26");
        // Recorded under another name.
        Holder named = state.shown("c-named", 3, "10.64.6.1/32");
        Holder stuck = state.shown("c-stuck", 0, "10.64.5.0/24");
        scene.keepDeleted(state.claimObject("c-stuck"));
        state.ledger(
            state.entry(ok, "10.64.0.0/24"),
            state.entry(a, "10.64.1.0/26"),
            state.entry(b, "10.64.1.16/28"),
            state.entry(gone, "10.64.2.0/28"),
            state.entry(size, "10.64.4.0/26"),
            new org.ipam.mandelsoft.model.AllocationRecord(
                "10.64.6.1/32", null, "c-renamed", named.uid()),
            state.entry(stuck, "10.64.5.0/24"));

        CampaignAudit audit = scene.audit();
        assertThat(audit.liveClaims())
            .as(audit.summary())
            .containsExactlyInAnyOrder("c-ok", "c-a", "c-b", "c-wrong", "c-size", "c-named");
        assertThat(audit.served()).containsExactlyInAnyOrder("c-ok", "c-a", "c-b", "c-named");
        assertThat(audit.heldTwice())
            .anyMatch(s -> s.startsWith("10.64.1.0/26 and 10.64.1.16/28 overlap"))
            .noneMatch(s -> s.contains("10.64.0.0/24"));
        assertThat(audit.orphans())
            .anyMatch(
                s ->
                    s.contains(" status.allocations 10.64.2.0/28 for c-gone (uid " + gone.uid())
                        && s.endsWith("its request (by uid) is gone"));
        assertThat(audit.notOwn())
            .anyMatch(
                s ->
                    s.startsWith("IPAMRequest c-wrong ")
                        && s.endsWith(
                            "shows 10.64.3.7/32: the range's ledger holds it for nobody, not for"
                                + " it"))
            .anyMatch(
                s ->
                    s.startsWith("IPAMRequest c-size ")
                        && s.endsWith("shows 10.64.4.0/26: a /26 where /28 was asked"));
        assertThat(audit.statusMismatch())
            .anyMatch(
                s ->
                    s.contains(" status.allocations 10.64.6.1/32 for c-renamed ")
                        && s.endsWith("the request of that uid is c-named"));
        assertThat(audit.stuck())
            .anyMatch(s -> s.startsWith("IPAMRequest c-stuck ") && s.endsWith(" is being deleted"));
      }
      try (Scene scene = new Scene(client, dialect, "clean")) {
        KubipamState state = new KubipamState(scene);
        Holder one = state.shown("c-1", 0, "10.64.0.0/24");
        Holder two = state.shown("c-2", 1, "10.64.1.0/26");
        Holder three = state.shown("c-3", 2, "10.64.1.64/28");
        Holder four = state.shown("c-4", 3, "10.64.1.80/32");
        state.ledger(
            state.entry(one, "10.64.0.0/24"),
            state.entry(two, "10.64.1.0/26"),
            state.entry(three, "10.64.1.64/28"),
            state.entry(four, "10.64.1.80/32"));
        assertClean(scene.audit(), "c-1", "c-2", "c-3", "c-4");
      }
    }
  }

  /** A kubipam range's requests and ledger, made by hand. */
  private record KubipamState(Scene scene) {
    IPAMRequest claimObject(String name) {
      return scene
          .client
          .resources(IPAMRequest.class)
          .inNamespace(scene.namespace)
          .withName(name)
          .get();
    }

    /** A request made by the dialect (its size from {@code index}), Ready with that block. */
    Holder shown(String name, int index, String cidr) {
      scene.createClaim(name, index);
      scene
          .client
          .resources(IPAMRequest.class)
          .inNamespace(scene.namespace)
          .withName(name)
          .editStatus(
              r -> {
                IPAMRequestStatus status = new IPAMRequestStatus();
                status.setState("Ready");
                status.setCidr(cidr);
                r.setStatus(status);
                return r;
              });
      return Holder.of(claimObject(name));
    }

    org.ipam.mandelsoft.model.AllocationRecord entry(Holder request, String cidr) {
      return new org.ipam.mandelsoft.model.AllocationRecord(
          cidr, null, request.name(), request.uid());
    }

    void ledger(org.ipam.mandelsoft.model.AllocationRecord... entries) {
      scene
          .client
          .resources(IPAMRange.class)
          .inNamespace(scene.namespace)
          .withName(scene.pool)
          .editStatus(
              r -> {
                IPAMRangeStatus status = new IPAMRangeStatus();
                status.setState("Ready");
                status.setAllocations(List.of(entries));
                r.setStatus(status);
                return r;
              });
    }
  }

  // ------------------------------------------------------------------------------------ shared

  /** Every promise holds, and exactly these claims are live and served. */
  private static void assertClean(CampaignAudit audit, String... claims) {
    assertThat(audit.clean()).as(audit.summary()).isTrue();
    assertThat(audit.liveClaims()).containsExactlyInAnyOrder(claims);
    assertThat(audit.served()).containsExactlyInAnyOrder(claims);
  }

  /**
   * A claim as address objects and ledgers name it: name and uid; {@code gone}: a made-up uid that
   * no claim has.
   */
  private record Holder(String name, String uid, boolean gone) {
    static Holder of(HasMetadata claim) {
      return new Holder(claim.getMetadata().getName(), claim.getMetadata().getUid(), false);
    }

    static Holder gone(String name) {
      return new Holder(name, UUID.randomUUID().toString(), true);
    }
  }

  /**
   * One state: a namespace of its own with the dialect's pool. Closing it lets go of what it kept
   * with {@link #FINALIZER}, deletes a cluster-scoped pool and the namespace.
   */
  private static final class Scene implements AutoCloseable {
    final KubernetesClient client;
    final CampaignDialect dialect;
    final String namespace;
    final String pool;
    private final List<HasMetadata> kept = new ArrayList<>();

    Scene(KubernetesClient client, CampaignDialect dialect, String state) {
      this.client = client;
      this.dialect = dialect;
      this.namespace =
          "audit-"
              + dialect.name()
              + "-"
              + state
              + "-"
              + UUID.randomUUID().toString().substring(0, 6);
      this.pool = namespace + "-pool";
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      dialect.createPool(client, namespace, pool, CLAIMS);
    }

    CampaignAudit audit() {
      return dialect.audit(client, namespace, pool);
    }

    void createClaim(String name, int index) {
      dialect.createClaim(client, namespace, pool, name, index);
    }

    /**
     * Metadata of an address object owned by the claim. One of a claim that is gone is kept by
     * {@link #FINALIZER}: a cluster with a garbage collector (kind) would delete it.
     */
    ObjectMeta meta(String name, Holder claim, Class<? extends HasMetadata> claimKind) {
      OwnerReference owner =
          new OwnerReferenceBuilder()
              .withApiVersion(HasMetadata.getApiVersion(claimKind))
              .withKind(HasMetadata.getKind(claimKind))
              .withName(claim.name())
              .withUid(claim.uid())
              .build();
      ObjectMetaBuilder meta =
          new ObjectMetaBuilder()
              .withName(name)
              .withNamespace(namespace)
              .withOwnerReferences(owner);
      if (claim.gone()) {
        meta.withFinalizers(FINALIZER);
      }
      return meta.build();
    }

    void create(HasMetadata object) {
      boolean keep =
          object.getMetadata().getFinalizers() != null
              && object.getMetadata().getFinalizers().contains(FINALIZER);
      HasMetadata created = client.resource(object).create();
      if (keep) {
        kept.add(created);
      }
    }

    /** A Cluster API IPAddress owned by the claim. */
    void capiAddress(String name, Holder claim, PoolReference poolRef, String address, int prefix) {
      IPAddress object = new IPAddress();
      object.setMetadata(meta(name, claim, IPAddressClaim.class));
      IPAddressSpec spec = new IPAddressSpec();
      spec.setClaimRef(new LocalReference(claim.name()));
      spec.setPoolRef(poolRef);
      spec.setAddress(address);
      spec.setPrefix(prefix);
      object.setSpec(spec);
      create(object);
    }

    /** A Cluster API claim's status: the IPAddress of that name, and Ready True. */
    void pointCapi(String claim, String object) {
      Condition ready =
          new ConditionBuilder()
              .withType("Ready")
              .withStatus("True")
              .withReason("Allocated")
              .withMessage("")
              .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
              .build();
      client
          .resources(IPAddressClaim.class)
          .inNamespace(namespace)
          .withName(claim)
          .editStatus(
              c -> {
                IPAddressClaimStatus status = new IPAddressClaimStatus();
                status.setAddressRef(new LocalReference(object));
                status.setConditions(new ArrayList<>(List.of(ready)));
                c.setStatus(status);
                return c;
              });
    }

    /** Deletes the object, kept in place by {@link #FINALIZER}: deletionTimestamp set, there. */
    void keepDeleted(HasMetadata object) {
      HasMetadata held =
          client
              .resource(object)
              .edit(
                  o -> {
                    List<String> finalizers = new ArrayList<>();
                    if (o.getMetadata().getFinalizers() != null) {
                      finalizers.addAll(o.getMetadata().getFinalizers());
                    }
                    finalizers.add(FINALIZER);
                    o.getMetadata().setFinalizers(finalizers);
                    return o;
                  });
      kept.add(held);
      client.resource(held).delete();
      assertThat(client.resource(held).get().getMetadata().getDeletionTimestamp())
          .as("%s being deleted", held.getMetadata().getName())
          .isNotNull();
    }

    @Override
    public void close() {
      for (HasMetadata object : kept) {
        try {
          HasMetadata current = client.resource(object).get();
          if (current != null) {
            client
                .resource(current)
                .edit(
                    o -> {
                      o.getMetadata().setFinalizers(List.of());
                      return o;
                    });
          }
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      dialect.cleanUp(client, namespace, pool);
      client.namespaces().withName(namespace).delete();
    }
  }
}
