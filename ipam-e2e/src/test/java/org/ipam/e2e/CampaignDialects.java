package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPoolSpec;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;

/**
 * The kinds of claim the reliability campaign attacks, one class each ({@link CampaignDialect#all}
 * lists them). Each audit reads the API server's objects once (one list per kind, one get of the
 * pool) and works out from them, never from what the campaign remembers, what the dialect promises:
 * every live claim served with an address held for its uid, nothing held for two claims, nothing
 * left behind by a claim that is gone, the pool's status agreeing with the objects, and nothing
 * stuck in deletion.
 *
 * <p>Each dialect has an address space of its own, so that the runs of one API server never share
 * one: Metal3 IPClaims 10.11.0.0/16, Metal3 Cluster API claims 10.12.0.0/16, in-cluster addresses
 * 10.13.0.0/16, in-cluster prefixes fd00:0:14::/48 (/64 children), kubipam 10.64.0.0/10, Harvester
 * LoadBalancers 10.128.0.0/10 and Harvester Services 10.192.0.0/10. Harvester pools are
 * cluster-scoped and must not overlap any other pool (the controller refuses the newer of two that
 * do), so each takes a subnet of its region that no existing pool covers.
 */
final class CampaignDialects {
  static final ResourceDefinitionContext HARVESTER_POOLS =
      ThroughputDialect.context(
          "loadbalancer.harvesterhci.io", "v1beta1", "IPPool", "ippools", false);
  private static final ResourceDefinitionContext NETWORKING_POOLS =
      ThroughputDialect.context(
          "networking.harvesterhci.io", "v1beta1", "IPPool", "ippools", false);
  static final ResourceDefinitionContext LOAD_BALANCERS =
      ThroughputDialect.context(
          "loadbalancer.harvesterhci.io", "v1beta1", "LoadBalancer", "loadbalancers", true);
  private static final String LOAD_BALANCER = "LoadBalancer";
  private static final String SERVICE = "Service";
  private static final String HARVESTER_CLASS = "ipam.org/harvester";
  private static final String SERVICE_POOL_ANNOTATION = "ipam.org/ip-pool";

  private CampaignDialects() {}

  /**
   * What every kind of claim shares: its name, the throughput harness's dialect of its API ({@link
   * ThroughputDialect}: the CRDs, the controller's flags, whether its pools are namespaced, and,
   * unless the kind of claim says otherwise, how one claim is created) and the claims' resource,
   * through which one is deleted by name.
   */
  private abstract static class Dialect implements CampaignDialect {
    private final String name;
    private final ThroughputDialect api;
    private final ClaimResource claims;

    Dialect(String name, ThroughputDialect api, ClaimResource claims) {
      this.name = name;
      this.api = api;
      this.claims = claims;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean namespaced() {
      return api.namespaced();
    }

    @Override
    public void installCrds(KubernetesClient client) {
      api.installCrds(client);
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return api.apiGroups();
    }

    @Override
    public List<String> controllerFlags() {
      return api.controllerFlags();
    }

    @Override
    public void createClaim(
        KubernetesClient client, String namespace, String pool, String name, int index) {
      api.createClaim(client, namespace, pool, name);
    }

    @Override
    public void deleteClaim(KubernetesClient client, String namespace, String name) {
      claims.of(client).inNamespace(namespace).withName(name).delete();
    }

    @Override
    public String uidOf(KubernetesClient client, String namespace, String name) {
      HasMetadata claim = claims.of(client).inNamespace(namespace).withName(name).get();
      return claim == null ? null : claim.getMetadata().getUid();
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return api.informServed(client, namespace, served);
    }

    @Override
    public String statusOf(KubernetesClient client, String namespace, String name) {
      HasMetadata claim = claims.of(client).inNamespace(namespace).withName(name).get();
      if (claim == null) {
        return null;
      }
      Object status =
          client
              .getKubernetesSerialization()
              .convertValue(claim, GenericKubernetesResource.class)
              .getAdditionalProperties()
              .get("status");
      return client.getKubernetesSerialization().asJson(status);
    }
  }

  /** Where the claims of a kind are: {@code client.resources(IPClaim.class)}, for example. */
  private interface ClaimResource {
    MixedOperation<? extends HasMetadata, ?, ? extends Resource<? extends HasMetadata>> of(
        KubernetesClient client);
  }

  // ------------------------------------------------------------------------------------ Metal3

  /**
   * A kind of claim on a Metal3 IPPool of the namespace: the pool from 10.{@code second}.0.1 on,
   * twice the claims and some (namePrefix: its name), the claims of {@code claimKind} the
   * campaign's ({@link #metal3Audit}).
   */
  private abstract static class Metal3Dialect extends Dialect {
    private final int second;
    private final String claimKind;

    Metal3Dialect(
        String name, ThroughputDialect api, ClaimResource claims, int second, String claimKind) {
      super(name, api, claims);
      this.second = second;
      this.claimKind = claimKind;
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String pool, int claims) {
      int size = poolSize(claims);
      new Metal3Objects(client, namespace)
          .createPool(pool, ipv4(10, second, 1), ipv4(10, second, size), 16);
    }

    @Override
    public CampaignAudit audit(KubernetesClient client, String namespace, String pool) {
      return metal3Audit(client, namespace, pool, claimKind);
    }

    @Override
    public List<CampaignBadInput.InvalidObject> invalidObjects(
        KubernetesClient client, String namespace, String pool) {
      return CampaignBadInput.metal3(client, namespace, pool);
    }
  }

  /**
   * Metal3 IPClaims on a Metal3 IPPool of the namespace, from 10.11.0.1 on. Served: the claim's
   * status names a Metal3 IPAddress whose owner is the claim (uid). The pool's {@code
   * status.indexes} and {@code status.allocations} (claim name to address) must equal the Metal3
   * IPAddress objects of the pool.
   */
  static final class Metal3Claims extends Metal3Dialect {
    Metal3Claims() {
      super(
          "metal3",
          new ThroughputDialect.Metal3(),
          client -> client.resources(IPClaim.class),
          11,
          AddressAudit.IP_CLAIM);
    }
  }

  /**
   * Cluster API IPAddressClaims whose poolRef is a Metal3 IPPool of the namespace, from 10.12.0.1
   * on. Served: Ready True, and the claim's status names a Cluster API IPAddress owned by the claim
   * beside a Metal3 IPAddress of the same name and address owned by it too (the lock both claim
   * kinds share). The pool's status as for {@link Metal3Claims}.
   */
  static final class Metal3CapiClaims extends Metal3Dialect {
    Metal3CapiClaims() {
      super(
          "metal3-capi",
          new ThroughputDialect.Metal3Capi(),
          client -> client.resources(IPAddressClaim.class),
          12,
          AddressAudit.IP_ADDRESS_CLAIM);
    }
  }

  /**
   * One look at a Metal3 pool: both claim kinds and both address object kinds of the pool (through
   * {@link AddressAudit}), of which the claims of {@code claimKind} are the campaign's.
   */
  private static CampaignAudit metal3Audit(
      KubernetesClient client, String namespace, String pool, String claimKind) {
    String key = AddressAudit.poolKey(IPPool.GROUP, "IPPool", pool);
    AddressAudit audit =
        AddressAudit.take(client, namespace)
            .byPool()
            .getOrDefault(key, new AddressAudit(List.of(), List.of()));
    IPPool ipPool = client.resources(IPPool.class).inNamespace(namespace).withName(pool).get();
    String poolName = "IPPool " + namespace + "/" + pool;
    Findings findings = new Findings();

    Map<String, AddressAudit.AddressObject> objectsByKey = new HashMap<>();
    for (AddressAudit.AddressObject object : audit.addressObjects()) {
      objectsByKey.put(object.key(), object);
      if (object.deleting()) {
        findings.stuck.add(object + " is being deleted");
      }
    }
    // A live claim holding a second address is a leak (a Cluster API claim's IPAddress and its
    // Metal3 lock are one address).
    audit
        .claimsHoldingSeveralAddresses()
        .forEach(
            (claim, addresses) ->
                findings.statusMismatch.add(
                    claim + " holds " + addresses.size() + ": " + addresses));
    boolean capi = AddressAudit.IP_ADDRESS_CLAIM.equals(claimKind);
    for (AddressAudit.Claim claim : audit.claims()) {
      if (claim.deleting()) {
        findings.stuck.add(claim + " is being deleted");
        continue;
      }
      if (!claim.kind().equals(claimKind)) {
        continue;
      }
      findings.liveClaims.add(claim.name());
      if (claim.addressName() == null) {
        continue;
      }
      AddressAudit.AddressObject object = audit.objectOf(claim);
      String problem = null;
      if (object == null) {
        problem =
            "its status names "
                + claim.addressKind()
                + " "
                + claim.addressName()
                + ", which does not exist in "
                + poolName;
      } else if (!claim.id().equals(object.claim())) {
        problem = "its status names " + object + ", which is not its own";
      } else if (capi) {
        AddressAudit.AddressObject lock =
            objectsByKey.get(AddressAudit.METAL3_ADDRESS + " " + claim.addressName());
        if (lock == null
            || !claim.id().equals(lock.claim())
            || !Objects.equals(lock.address(), object.address())) {
          problem =
              "its "
                  + object
                  + " has no Metal3 IPAddress lock of its own ("
                  + (lock == null ? "none" : lock)
                  + ")";
        }
      }
      if (problem != null) {
        findings.notOwn.add(claim + ": " + problem);
      } else if (claim.ready()) {
        findings.served.add(claim.name());
      }
    }

    audit
        .addressesHeldTwice()
        .forEach(
            (address, holders) ->
                findings.heldTwice.add(
                    address
                        + " held for "
                        + holders
                        + ": "
                        + audit.addressObjects().stream()
                            .filter(o -> address.equals(o.address()))
                            .map(String::valueOf)
                            .toList()));
    audit.orphans().forEach(o -> findings.orphans.add(o + ": its claim (by uid) is gone"));

    if (ipPool == null) {
      findings.statusMismatch.add(poolName + " not found");
    } else {
      // What the Metal3 IPAddresses say (the lock of a Cluster API claim among them): claim name
      // to the addresses held for that name. The status holds one address per claim name.
      Map<String, Set<String>> expected = new TreeMap<>();
      for (AddressAudit.AddressObject object : audit.addressObjects()) {
        if (object.kind().equals(AddressAudit.METAL3_ADDRESS) && object.specClaimName() != null) {
          expected
              .computeIfAbsent(object.specClaimName(), n -> new TreeSet<>())
              .add(object.address());
        }
      }
      var status = ipPool.getStatus();
      compareClaimMap(
          poolName + " status.indexes",
          status == null ? null : status.getIndexes(),
          expected,
          findings.statusMismatch);
      compareClaimMap(
          poolName + " status.allocations",
          status == null ? null : status.getAllocations(),
          expected,
          findings.statusMismatch);
    }
    return findings.audit();
  }

  /** Compares a Metal3 status map (claim name to address) with what the IPAddresses hold. */
  private static void compareClaimMap(
      String what,
      Map<String, String> written,
      Map<String, Set<String>> expected,
      List<String> out) {
    Map<String, String> actual = written == null ? Map.of() : written;
    for (Map.Entry<String, String> entry : new TreeMap<>(actual).entrySet()) {
      Set<String> held = expected.get(entry.getKey());
      if (held == null) {
        out.add(
            what
                + " gives "
                + entry.getKey()
                + " "
                + entry.getValue()
                + ", but no IPAddress holds an address for "
                + entry.getKey());
      } else if (!held.contains(entry.getValue())) {
        out.add(
            what
                + " gives "
                + entry.getKey()
                + " "
                + entry.getValue()
                + ", its IPAddresses hold "
                + held);
      }
    }
    expected.forEach(
        (claim, held) -> {
          if (!actual.containsKey(claim)) {
            out.add(what + " lacks " + claim + " (its IPAddresses hold " + held + ")");
          }
        });
  }

  // -------------------------------------------------------------------------------- in-cluster

  /**
   * Cluster API IPAddressClaims on an in-cluster pool of the namespace of {@code poolKind}
   * (InClusterIPPool or InClusterPrefixPool), audited by {@link #inClusterAudit}.
   */
  private abstract static class InClusterDialect extends Dialect {
    private final String poolKind;

    InClusterDialect(String name, String poolKind) {
      super(
          name,
          new ThroughputDialect.InCluster(),
          client -> client.resources(IPAddressClaim.class));
      this.poolKind = poolKind;
    }

    @Override
    public void createClaim(
        KubernetesClient client, String namespace, String pool, String name, int index) {
      IPAddressClaim claim = new IPAddressClaim();
      claim.getMetadata().setName(name);
      claim.getMetadata().setNamespace(namespace);
      claim.setSpec(
          new org.ipam.core.capi.IPAddressClaimSpec(
              new PoolReference(InClusterApi.GROUP, poolKind, pool)));
      client.resource(claim).create();
    }

    @Override
    public CampaignAudit audit(KubernetesClient client, String namespace, String pool) {
      return inClusterAudit(client, namespace, pool, poolKind);
    }

    @Override
    public List<CampaignBadInput.InvalidObject> invalidObjects(
        KubernetesClient client, String namespace, String pool) {
      return CampaignBadInput.inCluster(client, namespace, pool, poolKind);
    }
  }

  /**
   * Cluster API IPAddressClaims on an InClusterIPPool of the namespace (10.13.0.1 on). Served:
   * Ready True and the claim's status names a Cluster API IPAddress of the pool owned by the claim
   * (uid). The pool's ledger ({@code status.allocations}, address and claim uid) must equal the
   * IPAddresses, and {@code status.ipAddresses.used} their count.
   */
  static final class InClusterIpClaims extends InClusterDialect {
    InClusterIpClaims() {
      super("incluster-ip", InClusterApi.IN_CLUSTER_IP_POOL);
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String pool, int claims) {
      InClusterIPPool ipPool = new InClusterIPPool();
      ipPool.getMetadata().setName(pool);
      ipPool.getMetadata().setNamespace(namespace);
      InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
      spec.setAddresses(List.of(ipv4(10, 13, 1) + "-" + ipv4(10, 13, poolSize(claims))));
      spec.setPrefix(16);
      ipPool.setSpec(spec);
      client.resource(ipPool).create();
    }
  }

  /**
   * Cluster API IPAddressClaims on an InClusterPrefixPool of the namespace: one /64 child each of
   * {@code fd00:0:14::/n}, n such that the children are twice the claims and some. Served: as
   * {@link InClusterIpClaims}; the IPAddress holds the child's first address with prefix 64, the
   * ledger the child as a CIDR. Children held for two claims: any two that overlap.
   */
  static final class InClusterPrefixClaims extends InClusterDialect {
    private static final int CHILD_LENGTH = 64;

    InClusterPrefixClaims() {
      super("incluster-prefix", InClusterApi.IN_CLUSTER_PREFIX_POOL);
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String pool, int claims) {
      int childBits = ceilLog2(poolSize(claims));
      if (childBits > 16) {
        throw new IllegalArgumentException("too many claims for fd00:0:14::/48: " + claims);
      }
      InClusterPrefixPool prefixPool = new InClusterPrefixPool();
      prefixPool.getMetadata().setName(pool);
      prefixPool.getMetadata().setNamespace(namespace);
      InClusterPrefixPoolSpec spec = new InClusterPrefixPoolSpec();
      spec.setPrefixes(List.of("fd00:0:14::/" + (CHILD_LENGTH - childBits)));
      spec.setAllocationPrefixLength(CHILD_LENGTH);
      prefixPool.setSpec(spec);
      client.resource(prefixPool).create();
    }
  }

  /** Whether a pool reference names this in-cluster pool (an empty group is the in-cluster one). */
  private static boolean namesInClusterPool(PoolReference ref, String kind, String pool) {
    return ref != null
        && pool.equals(ref.getName())
        && kind.equals(ref.getKind())
        && (ref.getApiGroup() == null
            || ref.getApiGroup().isEmpty()
            || InClusterApi.GROUP.equals(ref.getApiGroup()));
  }

  /**
   * One look at an in-cluster pool of the namespace ({@code poolKind} InClusterIPPool or
   * InClusterPrefixPool): its claims, its IPAddresses and its ledger.
   */
  private static CampaignAudit inClusterAudit(
      KubernetesClient client, String namespace, String pool, String poolKind) {
    boolean prefixPool = InClusterApi.isPrefixPool(poolKind);
    List<IPAddressClaim> allClaims =
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems();
    List<IPAddress> allAddresses =
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems();
    HasMetadata poolObject;
    PoolStatus status;
    if (prefixPool) {
      InClusterPrefixPool found =
          client.resources(InClusterPrefixPool.class).inNamespace(namespace).withName(pool).get();
      poolObject = found;
      status = found == null ? null : found.getStatus();
    } else {
      InClusterIPPool found =
          client.resources(InClusterIPPool.class).inNamespace(namespace).withName(pool).get();
      poolObject = found;
      status = found == null ? null : found.getStatus();
    }
    String poolName = poolKind + " " + namespace + "/" + pool;
    Findings findings = new Findings();

    Map<String, String> nameByUid = new HashMap<>();
    allClaims.forEach(c -> nameByUid.put(c.getMetadata().getUid(), c.getMetadata().getName()));
    List<Holding> holdings = new ArrayList<>();

    // The IPAddresses of the pool: what they hold, and for whom (owner uid).
    Map<String, IPAddress> objectsByName = new HashMap<>();
    Map<IpRange, Set<String>> objectHolders = new HashMap<>();
    Set<IpRange> objectBlocks = new HashSet<>();
    for (IPAddress object : allAddresses) {
      var spec = object.getSpec();
      if (spec == null || !namesInClusterPool(spec.getPoolRef(), poolKind, pool)) {
        continue;
      }
      String name = object.getMetadata().getName();
      objectsByName.put(name, object);
      String owner = ownerUid(object, AddressAudit.IP_ADDRESS_CLAIM);
      IpRange block = inClusterBlock(spec.getAddress(), spec.getPrefix(), prefixPool);
      String what =
          "IPAddress "
              + name
              + " ("
              + spec.getAddress()
              + "/"
              + spec.getPrefix()
              + ", owner uid "
              + owner
              + ")";
      if (deleting(object)) {
        findings.stuck.add(what + " is being deleted");
      }
      if (owner == null) {
        findings.orphans.add(what + ": no IPAddressClaim owns it");
      } else if (!nameByUid.containsKey(owner)) {
        findings.orphans.add(what + ": its claim (by uid) is gone");
      }
      if (block == null) {
        findings.statusMismatch.add(what + ": its address does not parse");
        continue;
      }
      objectBlocks.add(block);
      holdings.add(new Holding(block, owner == null ? "no owner: " + name : owner, what));
      if (owner != null) {
        objectHolders.computeIfAbsent(block, b -> new TreeSet<>()).add(owner);
      }
    }

    // The ledger: each address (or child prefix) and the claim uid it is recorded for.
    Map<IpRange, Set<String>> ledgerHolders = new HashMap<>();
    List<AllocationRecord> ledger =
        status == null || status.getAllocations() == null ? List.of() : status.getAllocations();
    for (AllocationRecord record : ledger) {
      String what =
          poolName
              + " status.allocations "
              + record.getAddress()
              + " for "
              + record.getName()
              + " (uid "
              + record.getUid()
              + ")";
      IpRange block =
          prefixPool ? cidrRange(record.getAddress()) : addressRange(record.getAddress());
      if (record.getUid() == null || !nameByUid.containsKey(record.getUid())) {
        findings.orphans.add(what + ": its claim (by uid) is gone");
      }
      if (block == null) {
        findings.statusMismatch.add(what + ": the entry does not parse");
        continue;
      }
      String holder = record.getUid() == null ? "no uid: " + record.getName() : record.getUid();
      holdings.add(new Holding(block, holder, what));
      ledgerHolders.computeIfAbsent(block, b -> new TreeSet<>()).add(holder);
    }
    findings.heldTwice.addAll(overlapping(holdings));

    for (IPAddressClaim claim : allClaims) {
      if (claim.getSpec() == null
          || !namesInClusterPool(claim.getSpec().getPoolRef(), poolKind, pool)) {
        continue;
      }
      String name = claim.getMetadata().getName();
      String uid = claim.getMetadata().getUid();
      String claimText = "IPAddressClaim " + name + " (uid " + uid + ")";
      if (deleting(claim)) {
        findings.stuck.add(claimText + " is being deleted");
        continue;
      }
      findings.liveClaims.add(name);
      var claimStatus = claim.getStatus();
      String ref =
          claimStatus == null || claimStatus.getAddressRef() == null
              ? null
              : claimStatus.getAddressRef().getName();
      if (ref == null) {
        continue;
      }
      IPAddress object = objectsByName.get(ref);
      if (object == null) {
        findings.notOwn.add(
            claimText + ": its status names IPAddress " + ref + ", which " + poolName + " lacks");
      } else if (!uid.equals(ownerUid(object, AddressAudit.IP_ADDRESS_CLAIM))) {
        findings.notOwn.add(
            claimText
                + ": its status names IPAddress "
                + ref
                + " ("
                + object.getSpec().getAddress()
                + "), owned by uid "
                + ownerUid(object, AddressAudit.IP_ADDRESS_CLAIM));
      } else if (ClaimReady.is(claim, "True")) {
        findings.served.add(name);
      }
    }

    if (poolObject == null) {
      findings.statusMismatch.add(poolName + " not found");
    } else {
      compareLedger(
          poolName,
          ledgerHolders,
          objectHolders,
          ", its IPAddresses for ",
          nameByUid,
          findings.statusMismatch);
      Long used =
          status == null || status.getIpAddresses() == null
              ? null
              : status.getIpAddresses().getUsed();
      if (used == null || used != objectBlocks.size()) {
        findings.statusMismatch.add(
            poolName
                + " status.ipAddresses.used is "
                + used
                + ", its IPAddresses hold "
                + objectBlocks.size());
      }
    }
    return findings.audit();
  }

  /** An in-cluster IPAddress's block: its address, or for a prefix pool its address/prefix. */
  private static IpRange inClusterBlock(String address, Integer prefix, boolean prefixPool) {
    if (!(IpParser.parseAddress(address) instanceof Parsed.Valid<Ip> ip)) {
      return null;
    }
    if (!prefixPool) {
      return IpRange.single(ip.value());
    }
    if (prefix == null || prefix < 0 || prefix > ip.value().family().bits()) {
      return null;
    }
    return new Cidr(ip.value(), prefix).range();
  }

  // --------------------------------------------------------------------------------- Harvester

  /**
   * A kind of claim of the namespace on a cluster-scoped IPPool whose scope is the namespace (a
   * free subnet of the /10 region from {@code regionBase}, {@link #createHarvesterPool}), the
   * claims of {@code claimKind} the campaign's ({@link #harvesterAudit}); the pool is deleted after
   * the run.
   */
  private abstract static class HarvesterDialect extends Dialect {
    private final long regionBase;
    private final String claimKind;

    HarvesterDialect(String name, ClaimResource claims, long regionBase, String claimKind) {
      super(name, new ThroughputDialect.Harvester(), claims);
      this.regionBase = regionBase;
      this.claimKind = claimKind;
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String pool, int claims) {
      createHarvesterPool(client, namespace, pool, claims, regionBase);
    }

    @Override
    public CampaignAudit audit(KubernetesClient client, String namespace, String pool) {
      return harvesterAudit(client, namespace, pool, claimKind);
    }

    @Override
    public List<CampaignBadInput.InvalidObject> invalidObjects(
        KubernetesClient client, String namespace, String pool) {
      return CampaignBadInput.harvester(client, namespace, pool);
    }

    @Override
    public void cleanUp(KubernetesClient client, String namespace, String pool) {
      deleteHarvesterPool(client, pool);
      CampaignBadInput.deleteHarvesterPools(client, namespace);
    }
  }

  /**
   * Harvester LoadBalancers ({@code spec.ipam: pool}) of the namespace on a cluster-scoped IPPool
   * whose scope is the namespace (a free subnet of 10.128.0.0/10). Served: {@code
   * status.allocatedAddress} names the pool and an ip that the pool's ledger holds for the
   * LoadBalancer's uid. The ledger must equal what the LoadBalancers show, {@code status.allocated}
   * (address to {@code <namespace>/<name>}) likewise, and {@code available} be {@code total} less
   * the addresses allocated.
   */
  static final class HarvesterLoadBalancers extends HarvesterDialect {
    HarvesterLoadBalancers() {
      super(
          "harvester-lb",
          client -> client.genericKubernetesResources(LOAD_BALANCERS),
          ipv4Value(10, 128, 0),
          LOAD_BALANCER);
    }
  }

  /**
   * Core Services of type LoadBalancer, {@code loadBalancerClass: ipam.org/harvester}, of the
   * namespace, on a cluster-scoped IPPool whose scope is the namespace (a free subnet of
   * 10.192.0.0/10). Served: {@code status.loadBalancer.ingress} shows an ip that the pool's ledger
   * holds for the Service's uid ({@code kind: Service}). The pool's status as for {@link
   * HarvesterLoadBalancers}, a Service named {@code Service/<namespace>/<name>} in {@code
   * allocated}. No node ports are allocated ({@code allocateLoadBalancerNodePorts: false}): 2,000
   * Services would exhaust the range.
   */
  static final class HarvesterServices extends HarvesterDialect {
    HarvesterServices() {
      super("harvester-service", KubernetesClient::services, ipv4Value(10, 192, 0), SERVICE);
    }

    @Override
    public void createClaim(
        KubernetesClient client, String namespace, String pool, String name, int index) {
      Service service =
          new ServiceBuilder()
              .withNewMetadata()
              .withNamespace(namespace)
              .withName(name)
              .endMetadata()
              .withNewSpec()
              .withType(LOAD_BALANCER)
              .withLoadBalancerClass(HARVESTER_CLASS)
              .withAllocateLoadBalancerNodePorts(false)
              .addNewPort()
              .withProtocol("TCP")
              .withPort(80)
              .endPort()
              .endSpec()
              .build();
      client.services().inNamespace(namespace).resource(service).create();
    }

    /** Served: the Service of our class shows an ingress ip (the Harvester API's are LBs). */
    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return ThroughputDialect.inform(
          client.services().inNamespace(namespace),
          service ->
              service.getSpec() != null
                  && HARVESTER_CLASS.equals(service.getSpec().getLoadBalancerClass())
                  && service.getStatus() != null
                  && service.getStatus().getLoadBalancer() != null
                  && service.getStatus().getLoadBalancer().getIngress() != null
                  && service.getStatus().getLoadBalancer().getIngress().stream()
                      .anyMatch(i -> i.getIp() != null && !i.getIp().isEmpty()),
          served);
    }
  }

  /**
   * A cluster-scoped IPPool scoped to the namespace: a subnet of twice the claims and some, the
   * first of the /10 region from {@code regionBase} (searched from a place the pool's name picks)
   * that no IPPool of either group covers; other regions when that one is full.
   */
  private static void createHarvesterPool(
      KubernetesClient client, String namespace, String pool, int claims, long regionBase) {
    int hostBits = Math.max(8, ceilLog2(poolSize(claims) + 4L));
    // A free block four times the size the claims need: its first quarter is the pool's first
    // range, which serves them; the first /24 of its second half the pool's second range, which
    // the bad input's pools over the good one cover (CampaignBadInput.harvester: the overlap is out
    // of service for both pools, docs/compat/harvester.md row 44), and that half their widest.
    Cidr block =
        IpParser.parseCidr(
                freeHarvesterSubnet(client, namespace + "/" + pool, regionBase, hostBits + 2))
            .orElseThrow();
    Cidr first = new Cidr(block.network(), 32 - hostBits);
    Cidr second = new Cidr(block.network().plus(1L << (hostBits + 1)), 24);
    client
        .genericKubernetesResources(HARVESTER_POOLS)
        .resource(
            ThroughputDialect.yaml(
                client,
                "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                    + "metadata:\n  name: %s\nspec:\n  ranges:\n  - subnet: %s\n  - subnet: %s\n"
                    + "  selector:\n    scope:\n    - namespace: %s\n",
                pool,
                first,
                second,
                namespace))
        .create();
  }

  private static String freeHarvesterSubnet(
      KubernetesClient client, String seed, long regionBase, int hostBits) {
    List<IpRange> taken = new ArrayList<>();
    for (ResourceDefinitionContext kind : List.of(HARVESTER_POOLS, NETWORKING_POOLS)) {
      List<GenericKubernetesResource> pools;
      try {
        pools = client.genericKubernetesResources(kind).list().getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue;
        }
        throw e;
      }
      for (GenericKubernetesResource other : pools) {
        if (at(other.getAdditionalProperties(), "spec", "ranges") instanceof List<?> ranges) {
          for (Object range : ranges) {
            IpRange subnet = cidrRange(textAt(range, "subnet"));
            if (subnet != null) {
              taken.add(subnet);
            }
          }
        }
      }
    }
    long[][] regions = {
      {regionBase, 10}, {ipv4Value(100, 64, 0), 10}, {ipv4Value(172, 16, 0), 12},
    };
    for (long[] region : regions) {
      int regionHostBits = 32 - (int) region[1];
      if (hostBits > regionHostBits) {
        continue;
      }
      long blocks = 1L << (regionHostBits - hostBits);
      long start = Math.floorMod(seed.hashCode(), blocks);
      for (long i = 0; i < blocks; i++) {
        long block = (start + i) % blocks;
        Cidr candidate = new Cidr(Ip.v4(region[0] + (block << hostBits)), 32 - hostBits);
        if (taken.stream().noneMatch(t -> t.overlaps(candidate.range()))) {
          return candidate.toString();
        }
      }
    }
    throw new IllegalStateException(
        "no free /" + (32 - hostBits) + " for a Harvester IPPool: existing pools cover " + taken);
  }

  private static void deleteHarvesterPool(KubernetesClient client, String pool) {
    try {
      client.genericKubernetesResources(HARVESTER_POOLS).withName(pool).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * A claim of a Harvester pool: a LoadBalancer or a Service, the addresses its status shows from
   * the pool.
   */
  private record HarvesterHolder(
      String kind, String name, String uid, boolean deleting, List<IpRange> shown) {
    /** How the ledger's holders are keyed: kind and uid. */
    String key() {
      return kind + "/" + uid;
    }

    /** How {@code status.allocated} names it. */
    String allocatedName(String namespace) {
      return SERVICE.equals(kind) ? SERVICE + "/" + namespace + "/" + name : namespace + "/" + name;
    }

    @Override
    public String toString() {
      return kind + " " + name + " (uid " + uid + ")";
    }
  }

  /**
   * One look at a Harvester pool: the namespace's LoadBalancers and Services on it (both kinds hold
   * addresses of one ledger), of which those of {@code claimKind} are the campaign's, and the
   * pool's status.
   */
  private static CampaignAudit harvesterAudit(
      KubernetesClient client, String namespace, String pool, String claimKind) {
    List<GenericKubernetesResource> loadBalancers =
        client.genericKubernetesResources(LOAD_BALANCERS).inNamespace(namespace).list().getItems();
    List<Service> services = client.services().inNamespace(namespace).list().getItems();
    GenericKubernetesResource ipPool =
        client.genericKubernetesResources(HARVESTER_POOLS).withName(pool).get();
    String poolName = "IPPool " + pool;
    Findings findings = new Findings();

    Map<String, Set<String>> existing = new HashMap<>();
    Map<String, String> nameByKey = new HashMap<>();
    List<HarvesterHolder> holders = new ArrayList<>();
    for (GenericKubernetesResource lb : loadBalancers) {
      String uid = lb.getMetadata().getUid();
      existing.computeIfAbsent(LOAD_BALANCER, k -> new HashSet<>()).add(uid);
      nameByKey.put(LOAD_BALANCER + "/" + uid, lb.getMetadata().getName());
      Map<String, Object> fields = lb.getAdditionalProperties();
      String ipam = textAt(fields, "spec", "ipam");
      String named = textAt(fields, "spec", "ipPool");
      if ("dhcp".equals(ipam) || (named != null && !named.isEmpty() && !named.equals(pool))) {
        continue;
      }
      List<IpRange> shown = new ArrayList<>();
      IpRange ip = addressRange(textAt(fields, "status", "allocatedAddress", "ip"));
      if (pool.equals(textAt(fields, "status", "allocatedAddress", "ipPool"))
          && ip != null
          && !ip.first().toBigInteger().equals(BigInteger.ZERO)) {
        shown.add(ip);
      }
      holders.add(
          new HarvesterHolder(LOAD_BALANCER, lb.getMetadata().getName(), uid, deleting(lb), shown));
    }
    for (Service service : services) {
      String uid = service.getMetadata().getUid();
      existing.computeIfAbsent(SERVICE, k -> new HashSet<>()).add(uid);
      nameByKey.put(SERVICE + "/" + uid, service.getMetadata().getName());
      var spec = service.getSpec();
      Map<String, String> annotations = service.getMetadata().getAnnotations();
      String named = annotations == null ? null : annotations.get(SERVICE_POOL_ANNOTATION);
      if (spec == null
          || !LOAD_BALANCER.equals(spec.getType())
          || !HARVESTER_CLASS.equals(spec.getLoadBalancerClass())
          || (named != null && !named.equals(pool))) {
        continue;
      }
      List<IpRange> shown = new ArrayList<>();
      if (service.getStatus() != null
          && service.getStatus().getLoadBalancer() != null
          && service.getStatus().getLoadBalancer().getIngress() != null) {
        for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
          IpRange ip = addressRange(ingress.getIp());
          if (ip != null) {
            shown.add(ip);
          }
        }
      }
      holders.add(
          new HarvesterHolder(
              SERVICE, service.getMetadata().getName(), uid, deleting(service), shown));
    }

    // The ledger: address to the holder (kind and uid) it is recorded for.
    Object status = ipPool == null ? null : at(ipPool.getAdditionalProperties(), "status");
    List<Holding> holdings = new ArrayList<>();
    Map<IpRange, Set<String>> ledgerHolders = new HashMap<>();
    if (at(status, "allocations") instanceof List<?> ledger) {
      for (Object entry : ledger) {
        String kind = textAt(entry, "kind");
        String recordKind = kind == null || kind.isEmpty() ? LOAD_BALANCER : kind;
        String entryNamespace = textAt(entry, "namespace");
        String uid = textAt(entry, "uid");
        String what =
            poolName
                + " status.allocations "
                + textAt(entry, "ip")
                + " for "
                + recordKind
                + " "
                + entryNamespace
                + "/"
                + textAt(entry, "name")
                + " (uid "
                + uid
                + ")";
        if (!namespace.equals(entryNamespace)
            || !existing.getOrDefault(recordKind, Set.of()).contains(uid)) {
          findings.orphans.add(what + ": its claim (by uid) is gone");
        }
        IpRange ip = addressRange(textAt(entry, "ip"));
        if (ip == null) {
          findings.statusMismatch.add(what + ": the entry does not parse");
          continue;
        }
        String key = recordKind + "/" + uid;
        holdings.add(new Holding(ip, key, what));
        ledgerHolders.computeIfAbsent(ip, i -> new TreeSet<>()).add(key);
      }
    }

    Map<IpRange, Set<String>> shownHolders = new HashMap<>();
    Map<String, Set<String>> expectedAllocated = new TreeMap<>();
    for (HarvesterHolder holder : holders) {
      // A claim being deleted still shows the address its release has already handed back (the
      // ledger first, the finalizer last: docs/engine.md): it holds nothing.
      for (IpRange ip : holder.deleting() ? List.<IpRange>of() : holder.shown()) {
        holdings.add(new Holding(ip, holder.key(), holder + " shows " + blockText(ip)));
        shownHolders.computeIfAbsent(ip, i -> new TreeSet<>()).add(holder.key());
        expectedAllocated
            .computeIfAbsent(blockText(ip), i -> new TreeSet<>())
            .add(holder.allocatedName(namespace));
      }
      if (holder.deleting()) {
        findings.stuck.add(holder + " is being deleted");
        continue;
      }
      if (!holder.kind().equals(claimKind)) {
        continue;
      }
      findings.liveClaims.add(holder.name());
      List<String> notHeld = new ArrayList<>();
      for (IpRange ip : holder.shown()) {
        Set<String> recorded = ledgerHolders.getOrDefault(ip, Set.of());
        if (!recorded.equals(Set.of(holder.key()))) {
          notHeld.add(
              blockText(ip)
                  + " (the ledger holds it for "
                  + holderNames(recorded, nameByKey)
                  + ")");
        }
      }
      if (!notHeld.isEmpty()) {
        findings.notOwn.add(holder + " shows " + String.join(", ", notHeld));
      } else if (!holder.shown().isEmpty()) {
        findings.served.add(holder.name());
      }
    }
    findings.heldTwice.addAll(overlapping(holdings));

    if (ipPool == null) {
      findings.statusMismatch.add(poolName + " not found");
    } else {
      compareLedger(
          poolName,
          ledgerHolders,
          shownHolders,
          ", the claims showing it are ",
          nameByKey,
          findings.statusMismatch);
      Map<String, String> allocated = new TreeMap<>();
      if (at(status, "allocated") instanceof Map<?, ?> written) {
        written.forEach(
            (ip, holder) -> allocated.put(canonicalIp(String.valueOf(ip)), String.valueOf(holder)));
      }
      Set<String> allocatedIps = new TreeSet<>(allocated.keySet());
      allocatedIps.addAll(expectedAllocated.keySet());
      for (String ip : allocatedIps) {
        String written = allocated.get(ip);
        Set<String> expected = expectedAllocated.getOrDefault(ip, Set.of());
        if (written == null ? !expected.isEmpty() : !expected.equals(Set.of(written))) {
          findings.statusMismatch.add(
              poolName
                  + " status.allocated gives "
                  + ip
                  + " to "
                  + (written == null ? "nobody" : written)
                  + ", the claims showing it are "
                  + (expected.isEmpty() ? "none" : expected));
        }
      }
      Object total = at(status, "total");
      Object available = at(status, "available");
      if (total instanceof Number t && available instanceof Number a) {
        long expected = Math.max(0, t.longValue() - allocated.size());
        if (a.longValue() != expected) {
          findings.statusMismatch.add(
              poolName
                  + " status.available is "
                  + a
                  + ", total "
                  + t
                  + " less "
                  + allocated.size()
                  + " allocated is "
                  + expected);
        }
      } else {
        findings.statusMismatch.add(
            poolName + " status has no total and available (" + total + ", " + available + ")");
      }
    }
    return findings.audit();
  }

  // ----------------------------------------------------------------------------------- kubipam

  /**
   * kubipam IPAMRequests on an IPAMRange of the namespace ({@code 10.64.0.0/n}, n such that the
   * range holds twice the claims' addresses), the sizes /24, /26, /28 and /32 in turn. Served:
   * state Ready with a {@code status.cidr} that is an aligned block of the size asked inside the
   * range, which the range's ledger holds for the request's uid. Blocks held for two requests: any
   * two that overlap (address arithmetic), among the ledger's and what the requests show. The
   * ledger must equal what the Ready requests show (uid and block, and the request's name).
   */
  static final class KubipamMixedSizes extends Dialect {
    private static final int[] SIZES = {24, 26, 28, 32};

    /** The mean addresses of a request: (256 + 64 + 16 + 1) / 4, rounded up. */
    private static final int MEAN_ADDRESSES = 85;

    KubipamMixedSizes() {
      super(
          "kubipam-mixed",
          new ThroughputDialect.Kubipam(),
          client -> client.resources(IPAMRequest.class));
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String pool, int claims) {
      if (claims < 1) {
        throw new IllegalArgumentException("claims must be at least 1: " + claims);
      }
      int hostBits = Math.max(12, ceilLog2(2L * MEAN_ADDRESSES * claims));
      if (hostBits > 22) {
        throw new IllegalArgumentException("too many claims for 10.64.0.0/10: " + claims);
      }
      IPAMRange range = new IPAMRange();
      range.getMetadata().setName(pool);
      range.getMetadata().setNamespace(namespace);
      IPAMRangeSpec spec = new IPAMRangeSpec();
      spec.setRanges(List.of("10.64.0.0/" + (32 - hostBits)));
      range.setSpec(spec);
      client.resource(range).create();
    }

    @Override
    public void createClaim(
        KubernetesClient client, String namespace, String pool, String name, int index) {
      IPAMRequest request = new IPAMRequest();
      request.getMetadata().setName(name);
      request.getMetadata().setNamespace(namespace);
      IPAMRequestSpec spec = new IPAMRequestSpec();
      spec.setIpam(new ObjectReference(pool, null));
      spec.setSize(SIZES[Math.floorMod(index, SIZES.length)]);
      request.setSpec(spec);
      client.resource(request).create();
    }

    @Override
    public CampaignAudit audit(KubernetesClient client, String namespace, String pool) {
      return kubipamAudit(client, namespace, pool);
    }

    @Override
    public List<CampaignBadInput.InvalidObject> invalidObjects(
        KubernetesClient client, String namespace, String pool) {
      return CampaignBadInput.kubipam(client, namespace, pool);
    }
  }

  private static CampaignAudit kubipamAudit(
      KubernetesClient client, String namespace, String pool) {
    List<IPAMRequest> requests =
        client.resources(IPAMRequest.class).inNamespace(namespace).list().getItems();
    IPAMRange range = client.resources(IPAMRange.class).inNamespace(namespace).withName(pool).get();
    String rangeName = "IPAMRange " + namespace + "/" + pool;
    Findings findings = new Findings();

    Map<String, String> nameByUid = new HashMap<>();
    requests.forEach(r -> nameByUid.put(r.getMetadata().getUid(), r.getMetadata().getName()));
    List<IpRange> space =
        range == null || range.getSpec() == null ? List.of() : rangeSpace(range.getSpec());
    List<Holding> holdings = new ArrayList<>();

    // The ledger: block and request uid; entries of requests of other namespaces are not ours.
    Map<String, Set<IpRange>> ledgerByUid = new HashMap<>();
    Map<IpRange, Set<String>> ledgerByBlock = new HashMap<>();
    List<org.ipam.mandelsoft.model.AllocationRecord> ledger =
        range == null || range.getStatus() == null || range.getStatus().getAllocations() == null
            ? List.of()
            : range.getStatus().getAllocations();
    for (org.ipam.mandelsoft.model.AllocationRecord record : ledger) {
      boolean ours =
          record.getNamespace() == null
              || record.getNamespace().isEmpty()
              || record.getNamespace().equals(namespace);
      String uid = record.getUid();
      String what =
          rangeName
              + " status.allocations "
              + record.getCidr()
              + " for "
              + (ours ? "" : record.getNamespace() + "/")
              + record.getName()
              + " (uid "
              + uid
              + ")";
      if (ours && (uid == null || !nameByUid.containsKey(uid))) {
        findings.orphans.add(what + ": its request (by uid) is gone");
      } else if (ours && !Objects.equals(record.getName(), nameByUid.get(uid))) {
        findings.statusMismatch.add(what + ": the request of that uid is " + nameByUid.get(uid));
      }
      IpRange block = cidrRange(record.getCidr());
      if (block == null) {
        findings.statusMismatch.add(what + ": the entry does not parse");
        continue;
      }
      String holder = uid == null ? "no uid: " + record.getName() : uid;
      holdings.add(new Holding(block, holder, what));
      ledgerByBlock.computeIfAbsent(block, b -> new TreeSet<>()).add(holder);
      if (ours) {
        ledgerByUid.computeIfAbsent(holder, u -> new HashSet<>()).add(block);
      }
    }

    // What the Ready requests of the range show: uid to block.
    Map<String, IpRange> shownByUid = new HashMap<>();
    for (IPAMRequest request : requests) {
      var spec = request.getSpec();
      if (spec == null
          || spec.getIpam() == null
          || !pool.equals(spec.getIpam().getName())
          || (spec.getIpam().getNamespace() != null
              && !spec.getIpam().getNamespace().isEmpty()
              && !spec.getIpam().getNamespace().equals(namespace))) {
        continue;
      }
      String name = request.getMetadata().getName();
      String uid = request.getMetadata().getUid();
      String requestText =
          "IPAMRequest " + name + " (uid " + uid + ", size " + spec.getSize() + ")";
      var status = request.getStatus();
      boolean ready =
          status != null && "Ready".equals(status.getState()) && status.getCidr() != null;
      Cidr cidr =
          ready && IpParser.parseCidr(status.getCidr()) instanceof Parsed.Valid<Cidr> valid
              ? valid.value()
              : null;
      if (cidr != null) {
        // A request being deleted still shows the block its release has already handed back
        // (the ledger first, the finalizer last: docs/engine.md): it holds nothing.
        if (!deleting(request)) {
          holdings.add(new Holding(cidr.range(), uid, requestText + " shows " + status.getCidr()));
        }
        shownByUid.put(uid, cidr.range());
      }
      if (deleting(request)) {
        findings.stuck.add(requestText + " is being deleted");
        continue;
      }
      findings.liveClaims.add(name);
      if (!ready) {
        continue;
      }
      String problem = blockProblem(cidr, spec.getSize(), space, rangeName);
      if (problem == null) {
        Set<String> holders = ledgerByBlock.getOrDefault(cidr.range(), Set.of());
        if (!holders.equals(Set.of(uid))) {
          problem =
              "the range's ledger holds it for " + holderNames(holders, nameByUid) + ", not for it";
        }
      }
      if (problem != null) {
        findings.notOwn.add(requestText + " shows " + status.getCidr() + ": " + problem);
      } else {
        findings.served.add(name);
      }
    }
    findings.heldTwice.addAll(overlapping(holdings));

    if (range == null) {
      findings.statusMismatch.add(rangeName + " not found");
    } else {
      if (range.getStatus() != null
          && range.getStatus().getState() != null
          && !"Ready".equals(range.getStatus().getState())) {
        findings.statusMismatch.add(
            rangeName
                + " is "
                + range.getStatus().getState()
                + ": "
                + range.getStatus().getMessage());
      }
      Set<String> uids = new TreeSet<>(ledgerByUid.keySet());
      uids.addAll(shownByUid.keySet());
      for (String uid : uids) {
        Set<IpRange> inLedger = ledgerByUid.getOrDefault(uid, Set.of());
        IpRange shown = shownByUid.get(uid);
        if (!inLedger.equals(shown == null ? Set.of() : Set.of(shown))) {
          findings.statusMismatch.add(
              rangeName
                  + " status.allocations holds "
                  + inLedger.stream().sorted(RANGE_ORDER).map(CampaignDialects::blockText).toList()
                  + " for "
                  + holderNames(Set.of(uid), nameByUid)
                  + ", the request shows "
                  + (shown == null ? "none" : blockText(shown)));
        }
      }
    }
    return findings.audit();
  }

  /** What is wrong with a block a request shows, or null: aligned, of its size, in the range. */
  private static String blockProblem(
      Cidr cidr, Integer size, List<IpRange> space, String rangeName) {
    if (cidr == null) {
      return "not a CIDR";
    }
    if (cidr.hasHostBits()) {
      return "not aligned (its block is " + cidr.masked() + ")";
    }
    if (size != null && cidr.prefixLength() != size) {
      return "a /" + cidr.prefixLength() + " where /" + size + " was asked";
    }
    if (!space.isEmpty() && space.stream().noneMatch(r -> r.contains(cidr.range()))) {
      return "outside " + rangeName;
    }
    return null;
  }

  /**
   * The addresses of a range's spec (CIDRs, {@code a-b} ranges and single IPs), joined where they
   * overlap or touch, as the range joins them.
   */
  private static List<IpRange> rangeSpace(IPAMRangeSpec spec) {
    List<IpRange> entries = new ArrayList<>();
    for (String entry : spec.getRanges() == null ? List.<String>of() : spec.getRanges()) {
      IpRange parsed = cidrRange(entry);
      if (parsed == null && IpParser.parseRange(entry) instanceof Parsed.Valid<IpRange> valid) {
        parsed = valid.value();
      }
      if (parsed == null) {
        parsed = addressRange(entry);
      }
      if (parsed != null) {
        entries.add(parsed);
      }
    }
    entries.sort(RANGE_ORDER);
    List<IpRange> joined = new ArrayList<>();
    for (IpRange entry : entries) {
      IpRange last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
      if (last != null && last.family() == entry.family() && touches(last, entry)) {
        Ip end = last.last().compareTo(entry.last()) >= 0 ? last.last() : entry.last();
        joined.set(joined.size() - 1, new IpRange(last.first(), end));
      } else {
        joined.add(entry);
      }
    }
    return joined;
  }

  /** Whether {@code next} (not starting before {@code last}) overlaps or directly follows it. */
  private static boolean touches(IpRange last, IpRange next) {
    if (next.first().compareTo(last.last()) <= 0) {
      return true;
    }
    try {
      return last.last().plus(1).equals(next.first());
    } catch (ArithmeticException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------ shared

  /** What one audit finds, filled as it goes. */
  private static final class Findings {
    final Set<String> liveClaims = new TreeSet<>();
    final Set<String> served = new TreeSet<>();
    final List<String> heldTwice = new ArrayList<>();
    final List<String> orphans = new ArrayList<>();
    final List<String> notOwn = new ArrayList<>();
    final List<String> statusMismatch = new ArrayList<>();
    final List<String> stuck = new ArrayList<>();

    CampaignAudit audit() {
      // Bad input (CampaignBadInput) is no claim of the workload's: what it holds and shows is
      // judged above like any claim's, but it is no live claim of the pool, served or not.
      liveClaims.removeIf(CampaignBadInput::isInvalid);
      served.removeIf(CampaignBadInput::isInvalid);
      return new CampaignAudit(
          liveClaims, served, heldTwice, orphans, notOwn, statusMismatch, stuck);
    }
  }

  /**
   * A block of addresses (one address, a prefix) held for a holder (a claim's uid, with its kind
   * where two kinds share a ledger), and what says so (an object, a ledger entry, a status).
   */
  private record Holding(IpRange range, String holder, String what) {}

  private static final Comparator<IpRange> RANGE_ORDER =
      Comparator.comparing(IpRange::first).thenComparing(IpRange::last);

  /**
   * The holdings of two different holders whose blocks overlap (equal blocks included), one line
   * per pair: sorted by first address, each block is checked against the earlier ones still open
   * where it starts. Two holdings of one block for one holder (its object and its ledger entry) are
   * one.
   */
  static List<String> overlapping(List<Holding> holdings) {
    Map<String, Holding> unique = new LinkedHashMap<>();
    for (Holding holding : holdings) {
      unique.merge(
          holding.range() + " " + holding.holder(),
          holding,
          (a, b) -> new Holding(a.range(), a.holder(), a.what() + " and " + b.what()));
    }
    List<Holding> sorted = new ArrayList<>(unique.values());
    sorted.sort(Comparator.comparing(Holding::range, RANGE_ORDER));
    List<Holding> open = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (Holding holding : sorted) {
      open.removeIf(o -> o.range().last().compareTo(holding.range().first()) < 0);
      for (Holding earlier : open) {
        if (!earlier.holder().equals(holding.holder())) {
          found.add(
              blockText(earlier.range())
                  + " and "
                  + blockText(holding.range())
                  + " overlap, held for two claims: "
                  + earlier.what()
                  + "; "
                  + holding.what());
        }
      }
      open.add(holding);
    }
    return found;
  }

  /** A block as text: an address, or a CIDR when it is one. */
  static String blockText(IpRange range) {
    if (range.first().equals(range.last())) {
      return range.first().toString();
    }
    BigInteger size = range.size();
    if (size.bitCount() == 1) {
      int prefix = range.family().bits() - (size.bitLength() - 1);
      Cidr cidr = new Cidr(range.first(), prefix);
      if (!cidr.hasHostBits()) {
        return cidr.toString();
      }
    }
    return range.toString();
  }

  /**
   * Compares a pool's ledger ({@code status.allocations}: block to holders) with what holds each
   * block elsewhere (its address objects, or the claims' statuses, said by {@code elsewhere}): one
   * line per block whose holders differ.
   */
  private static void compareLedger(
      String poolName,
      Map<IpRange, Set<String>> ledgerHolders,
      Map<IpRange, Set<String>> otherHolders,
      String elsewhere,
      Map<String, String> nameByHolder,
      List<String> out) {
    Set<IpRange> blocks = new TreeSet<>(RANGE_ORDER);
    blocks.addAll(ledgerHolders.keySet());
    blocks.addAll(otherHolders.keySet());
    for (IpRange block : blocks) {
      Set<String> inLedger = ledgerHolders.getOrDefault(block, Set.of());
      Set<String> inOther = otherHolders.getOrDefault(block, Set.of());
      if (!inLedger.equals(inOther)) {
        out.add(
            poolName
                + " status.allocations holds "
                + blockText(block)
                + " for "
                + holderNames(inLedger, nameByHolder)
                + elsewhere
                + holderNames(inOther, nameByHolder));
      }
    }
  }

  /** The holders (uids or kind/uid keys) with their names where known, for a message. */
  private static String holderNames(Set<String> holders, Map<String, String> nameByHolder) {
    if (holders.isEmpty()) {
      return "nobody";
    }
    List<String> names = new ArrayList<>();
    for (String holder : holders) {
      String name = nameByHolder.get(holder);
      names.add((name == null ? "(gone)" : name) + " [" + holder + "]");
    }
    return String.join(", ", names);
  }

  /** One IP address as a block, or null when the text is not one. */
  private static IpRange addressRange(String text) {
    return text != null && IpParser.parseAddress(text) instanceof Parsed.Valid<Ip> ip
        ? IpRange.single(ip.value())
        : null;
  }

  /** A CIDR's block (host bits masked), or null when the text is not one. */
  private static IpRange cidrRange(String text) {
    return text != null && IpParser.parseCidr(text) instanceof Parsed.Valid<Cidr> cidr
        ? cidr.value().range()
        : null;
  }

  /** An address in canonical text (the text itself when it is not an address). */
  private static String canonicalIp(String text) {
    IpRange ip = addressRange(text);
    return ip == null ? text : ip.first().toString();
  }

  /** The uid of the owner reference of this kind, or null. */
  private static String ownerUid(HasMetadata object, String kind) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners == null) {
      return null;
    }
    return owners.stream()
        .filter(o -> kind.equals(o.getKind()))
        .map(OwnerReference::getUid)
        .findFirst()
        .orElse(null);
  }

  private static boolean deleting(HasMetadata object) {
    return object.getMetadata().getDeletionTimestamp() != null;
  }

  /** The value at a path of nested maps, or null. */
  private static Object at(Object root, String... path) {
    Object current = root;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  private static String textAt(Object root, String... path) {
    return at(root, path) instanceof String text ? text : null;
  }

  /** Addresses a pool of the campaign has for {@code claims}: twice as many, and some. */
  private static int poolSize(int claims) {
    if (claims < 1 || claims > 32_000) {
      throw new IllegalArgumentException("claims must be 1 to 32,000: " + claims);
    }
    return claims * 2 + 16;
  }

  /** The smallest n with 2^n at least {@code value} (value at least 1). */
  static int ceilLog2(long value) {
    return value <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(value - 1);
  }

  private static long ipv4Value(int first, int second, long offset) {
    return ((long) first << 24) + ((long) second << 16) + offset;
  }

  /** The address {@code offset} after {@code first.second.0.0}. */
  private static String ipv4(int first, int second, long offset) {
    return Ip.v4(ipv4Value(first, second, offset)).toString();
  }
}
