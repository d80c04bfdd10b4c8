package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;

/**
 * One look at every claim (Metal3 IPClaim, Cluster API IPAddressClaim) and every address object
 * (Metal3 IPAddress, Cluster API IPAddress) of a namespace, and what is wrong with them: an address
 * held by two claims, a claim whose status points at an object that is not its own, an address
 * object whose claim is gone.
 *
 * <p>Claims are known by kind and uid (an address object's claim is the owner reference of kind
 * IPClaim or IPAddressClaim), never by name: an object left by an earlier claim of the same name is
 * not that claim's. One claim may hold one address through objects of both kinds (a Metal3
 * IPAddress taken as the lock for a Cluster API claim beside its Cluster API IPAddress): that is
 * one holder, not two.
 */
final class AddressAudit {
  static final String METAL3_ADDRESS = "ipam.metal3.io/IPAddress";
  static final String CAPI_ADDRESS = "ipam.cluster.x-k8s.io/IPAddress";
  static final String IP_CLAIM = "IPClaim";
  static final String IP_ADDRESS_CLAIM = "IPAddressClaim";

  /** A claim as address objects name it: owner kind and uid. */
  record ClaimId(String kind, String uid) implements Comparable<ClaimId> {
    @Override
    public int compareTo(ClaimId other) {
      return (kind + "/" + uid).compareTo(other.kind + "/" + other.uid);
    }

    @Override
    public String toString() {
      return kind + "/" + uid;
    }
  }

  /**
   * A claim: its kind, name and uid, the address object its status names (kind as in {@link
   * #METAL3_ADDRESS}, name; null when its status names none), whether it reports Ready (always true
   * for a served IPClaim), its finalizers, whether it is being deleted, and its pool ({@link
   * #poolKey}).
   */
  record Claim(
      String kind,
      String name,
      String uid,
      String addressKind,
      String addressName,
      boolean ready,
      List<String> finalizers,
      boolean deleting,
      String pool) {
    ClaimId id() {
      return new ClaimId(kind, uid);
    }

    boolean served() {
      return addressName != null && ready;
    }

    @Override
    public String toString() {
      return kind + " " + name + " (uid " + uid + ")";
    }
  }

  /**
   * An address object: its kind, name and uid, the address, the claim its owner reference names
   * (null when none does), the claim name its spec names, whether it is being deleted, and the pool
   * its spec names ({@link #poolKey}).
   */
  record AddressObject(
      String kind,
      String name,
      String uid,
      String address,
      ClaimId claim,
      String specClaimName,
      boolean deleting,
      String pool) {
    String key() {
      return kind + " " + name;
    }

    @Override
    public String toString() {
      return kind
          + " "
          + name
          + " ("
          + address
          + ", owner "
          + claim
          + ", spec claim "
          + specClaimName
          + (deleting ? ", being deleted" : "")
          + ")";
    }
  }

  private final List<Claim> claims;
  private final List<AddressObject> addressObjects;
  private final Map<String, AddressObject> objectsByKey = new HashMap<>();
  private final Set<String> liveClaimUids;

  AddressAudit(List<Claim> claims, List<AddressObject> addressObjects) {
    this.claims = List.copyOf(claims);
    this.addressObjects = List.copyOf(addressObjects);
    for (AddressObject object : addressObjects) {
      objectsByKey.put(object.key(), object);
    }
    this.liveClaimUids = claims.stream().map(Claim::uid).collect(Collectors.toSet());
  }

  /** Lists the four kinds in the namespace (claims first, so that no claim looks orphaned). */
  static AddressAudit take(KubernetesClient client, String namespace) {
    List<Claim> claims = new ArrayList<>();
    for (IPClaim claim : client.resources(IPClaim.class).inNamespace(namespace).list().getItems()) {
      var status = claim.getStatus();
      String address =
          status == null || status.getAddress() == null ? null : status.getAddress().getName();
      claims.add(
          new Claim(
              IP_CLAIM,
              claim.getMetadata().getName(),
              claim.getMetadata().getUid(),
              METAL3_ADDRESS,
              address,
              true,
              finalizers(claim),
              claim.getMetadata().getDeletionTimestamp() != null,
              metal3Pool(claim.getSpec() == null ? null : claim.getSpec().getPool())));
    }
    for (IPAddressClaim claim :
        client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems()) {
      var status = claim.getStatus();
      String address =
          status == null || status.getAddressRef() == null
              ? null
              : status.getAddressRef().getName();
      boolean ready =
          status != null
              && status.getConditions() != null
              && status.getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      claims.add(
          new Claim(
              IP_ADDRESS_CLAIM,
              claim.getMetadata().getName(),
              claim.getMetadata().getUid(),
              CAPI_ADDRESS,
              address,
              ready,
              finalizers(claim),
              claim.getMetadata().getDeletionTimestamp() != null,
              capiPool(claim.getSpec() == null ? null : claim.getSpec().getPoolRef())));
    }
    List<AddressObject> objects = new ArrayList<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      var spec = address.getSpec();
      objects.add(
          addressObject(
              METAL3_ADDRESS,
              address,
              spec == null ? null : spec.getAddress(),
              spec == null || spec.getClaim() == null ? null : spec.getClaim().getName(),
              metal3Pool(spec == null ? null : spec.getPool())));
    }
    for (org.ipam.core.capi.IPAddress address :
        client
            .resources(org.ipam.core.capi.IPAddress.class)
            .inNamespace(namespace)
            .list()
            .getItems()) {
      var spec = address.getSpec();
      objects.add(
          addressObject(
              CAPI_ADDRESS,
              address,
              spec == null ? null : spec.getAddress(),
              spec == null || spec.getClaimRef() == null ? null : spec.getClaimRef().getName(),
              capiPool(spec == null ? null : spec.getPoolRef())));
    }
    return new AddressAudit(claims, objects);
  }

  private static List<String> finalizers(HasMetadata object) {
    List<String> finalizers = object.getMetadata().getFinalizers();
    return finalizers == null ? List.of() : List.copyOf(finalizers);
  }

  /**
   * A pool as {@code <apiGroup>/<kind>/<name>}: a Metal3 object's {@code spec.pool} is an IPPool of
   * {@code ipam.metal3.io}, a Cluster API object's {@code spec.poolRef} says group and kind.
   */
  static String poolKey(String apiGroup, String kind, String name) {
    return apiGroup + "/" + kind + "/" + name;
  }

  private static String metal3Pool(ObjectReference pool) {
    return poolKey(IPPool.GROUP, "IPPool", pool == null ? null : pool.getName());
  }

  private static String capiPool(PoolReference pool) {
    return pool == null
        ? poolKey(null, null, null)
        : poolKey(pool.getApiGroup(), pool.getKind(), pool.getName());
  }

  private static AddressObject addressObject(
      String kind, HasMetadata object, String address, String specClaimName, String pool) {
    ClaimId claim = null;
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners != null) {
      for (OwnerReference owner : owners) {
        if (IP_CLAIM.equals(owner.getKind()) || IP_ADDRESS_CLAIM.equals(owner.getKind())) {
          claim = new ClaimId(owner.getKind(), owner.getUid());
          break;
        }
      }
    }
    return new AddressObject(
        kind,
        object.getMetadata().getName(),
        object.getMetadata().getUid(),
        address,
        claim,
        specClaimName,
        object.getMetadata().getDeletionTimestamp() != null,
        pool);
  }

  List<Claim> claims() {
    return claims;
  }

  List<AddressObject> addressObjects() {
    return addressObjects;
  }

  /**
   * One audit per pool ({@link #poolKey}): the claims that name it and the address objects that
   * name it. Two pools may legitimately hand out one address each (separate pools whose ranges
   * overlap); within one pool every check of this class holds. An object that names another pool
   * than its claim's shows as an orphan of its pool.
   */
  Map<String, AddressAudit> byPool() {
    Set<String> pools = new TreeSet<>();
    claims.forEach(c -> pools.add(c.pool()));
    addressObjects.forEach(o -> pools.add(o.pool()));
    Map<String, AddressAudit> audits = new TreeMap<>();
    for (String pool : pools) {
      audits.put(
          pool,
          new AddressAudit(
              claims.stream().filter(c -> c.pool().equals(pool)).toList(),
              addressObjects.stream().filter(o -> o.pool().equals(pool)).toList()));
    }
    return audits;
  }

  long addressObjectsOfKind(String kind) {
    return addressObjects.stream().filter(o -> o.kind().equals(kind)).count();
  }

  /** Claims whose status names no address object yet (or, Cluster API, is not Ready=True). */
  List<Claim> unserved() {
    return claims.stream().filter(c -> !c.served()).toList();
  }

  /** The address object a claim's status names, or null when it names none or it does not exist. */
  AddressObject objectOf(Claim claim) {
    return claim.addressName() == null
        ? null
        : objectsByKey.get(claim.addressKind() + " " + claim.addressName());
  }

  /** Address text to the claims (kind and uid) whose objects hold it, for every address. */
  Map<String, Set<ClaimId>> holdersByAddress() {
    Map<String, Set<ClaimId>> holders = new TreeMap<>();
    for (AddressObject object : addressObjects) {
      ClaimId holder =
          object.claim() != null
              ? object.claim()
              : new ClaimId("no-owner", object.kind() + " " + object.name());
      holders.computeIfAbsent(object.address(), a -> new TreeSet<>()).add(holder);
    }
    return holders;
  }

  /** (a) Addresses held by two or more different claims, across both kinds of address object. */
  Map<String, Set<ClaimId>> addressesHeldTwice() {
    Map<String, Set<ClaimId>> twice = new TreeMap<>();
    holdersByAddress()
        .forEach(
            (address, holders) -> {
              if (holders.size() > 1) {
                twice.put(address, holders);
              }
            });
    return twice;
  }

  /** Claims whose address objects hold more than one address (a leak, not a duplicate). */
  Map<ClaimId, Set<String>> claimsHoldingSeveralAddresses() {
    Map<ClaimId, Set<String>> byClaim = new TreeMap<>();
    for (AddressObject object : addressObjects) {
      if (object.claim() != null) {
        byClaim.computeIfAbsent(object.claim(), c -> new TreeSet<>()).add(object.address());
      }
    }
    byClaim.values().removeIf(addresses -> addresses.size() < 2);
    return byClaim;
  }

  /**
   * (b) Served claims whose status names an address object that is missing, or that belongs to
   * another claim (another uid: an earlier claim of the same name), each with what is wrong.
   */
  List<String> claimsPointingAtWrongObjects() {
    List<String> wrong = new ArrayList<>();
    for (Claim claim : claims) {
      if (claim.addressName() == null) {
        continue;
      }
      AddressObject object = objectOf(claim);
      if (object == null) {
        wrong.add(claim + ": its status names " + claim.addressName() + ", which does not exist");
      } else if (!claim.id().equals(object.claim())) {
        wrong.add(claim + ": its status names " + object + ", which is not its own");
      }
    }
    return wrong;
  }

  /** (b) Addresses that the statuses of two or more claims point at. */
  Map<String, List<String>> addressesSharedByClaimStatuses() {
    Map<String, List<String>> byAddress = new TreeMap<>();
    for (Claim claim : claims) {
      AddressObject object = objectOf(claim);
      if (object != null) {
        byAddress.computeIfAbsent(object.address(), a -> new ArrayList<>()).add(claim.toString());
      }
    }
    byAddress.values().removeIf(holders -> holders.size() < 2);
    return byAddress;
  }

  /** (c) Address objects whose claim (by owner uid) does not exist, or that name no claim owner. */
  List<AddressObject> orphans() {
    return addressObjects.stream()
        .filter(o -> o.claim() == null || !liveClaimUids.contains(o.claim().uid()))
        .toList();
  }

  /** Claims that do not carry the given finalizer. */
  List<Claim> withoutFinalizer(String finalizer) {
    return claims.stream().filter(c -> !c.finalizers().contains(finalizer)).toList();
  }

  /** Claim name to the address its status names (through its address object), served claims. */
  Map<String, String> addressByClaimName() {
    Map<String, String> byName = new TreeMap<>();
    for (Claim claim : claims) {
      AddressObject object = objectOf(claim);
      if (object != null) {
        byName.put(claim.name(), object.address());
      }
    }
    return byName;
  }

  /** Whether every check holds: served, own objects, no address twice, no orphan. */
  boolean clean() {
    return unserved().isEmpty()
        && claimsPointingAtWrongObjects().isEmpty()
        && addressesHeldTwice().isEmpty()
        && addressesSharedByClaimStatuses().isEmpty()
        && orphans().isEmpty();
  }

  /** The counts, on one line, for the run's printout. */
  String figures() {
    long ipClaims = claims.stream().filter(c -> c.kind().equals(IP_CLAIM)).count();
    return "claims %d (IPClaims %d, IPAddressClaims %d), served %d, unserved %d;"
            .formatted(
                claims.size(),
                ipClaims,
                claims.size() - ipClaims,
                claims.size() - unserved().size(),
                unserved().size())
        + " address objects %d (Metal3 %d, CAPI %d, distinct addresses %d);"
            .formatted(
                addressObjects.size(),
                addressObjectsOfKind(METAL3_ADDRESS),
                addressObjectsOfKind(CAPI_ADDRESS),
                holdersByAddress().size())
        + " addresses held by two claims %d, claims holding several addresses %d,"
            .formatted(addressesHeldTwice().size(), claimsHoldingSeveralAddresses().size())
        + " claims pointing at an object not their own %d, addresses two statuses point at %d,"
            .formatted(
                claimsPointingAtWrongObjects().size(), addressesSharedByClaimStatuses().size())
        + " orphan address objects %d".formatted(orphans().size());
  }

  /** The first few elements of a collection, for a readable failure message. */
  static String some(Collection<?> items) {
    return items.stream()
            .limit(10)
            .map(String::valueOf)
            .collect(Collectors.joining("\n  ", "\n  ", ""))
        + (items.size() > 10 ? "\n  ... " + (items.size() - 10) + " more" : "");
  }

  static String some(Map<?, ?> items) {
    return some(items.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).toList());
  }
}
