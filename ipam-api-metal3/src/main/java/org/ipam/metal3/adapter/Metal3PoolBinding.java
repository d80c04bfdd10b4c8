package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.capi.IPAddressClaimStatus;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolBinding;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Metal3 IPPool during one engine pass: its IPClaims and the Cluster API IPAddressClaims that
 * name it, and the IPAddress objects of both kinds that hold its addresses. The commit point is the
 * create of the address object, named from namePrefix and address (reference/metal3.md 1.7).
 *
 * <p>Allocations are keyed by claim name, as upstream's {@code status.indexes} and {@code
 * preAllocations} are. Where an IPClaim and an IPAddressClaim of the same name both ask this pool,
 * the older one is served and the other is told why (upstream lets them share one address).
 */
public final class Metal3PoolBinding implements PoolBinding<Metal3Claim> {
  private static final Logger LOG = LoggerFactory.getLogger(Metal3PoolBinding.class);
  static final String DIALECT = "metal3";

  private final KubernetesClient client;
  private final IPPool pool;
  private final PoolSpec spec;
  private final List<String> specErrors;
  private final List<Metal3Claim> claims;
  private final List<IPAddress> addresses;
  private final List<org.ipam.core.capi.IPAddress> capiAddresses;
  private final Map<Metal3Claim, String> nameTakenBy = new HashMap<>();

  /**
   * IPAddress names this pass found held by another pool's claim (pools sharing a namePrefix);
   * written from the engine's writer threads, reported on the pool's Ready condition.
   */
  private final Set<String> namePrefixClashes = ConcurrentHashMap.newKeySet();

  private final Clock clock;

  public Metal3PoolBinding(
      KubernetesClient client,
      IPPool pool,
      Metal3PoolTranslation translation,
      List<Metal3Claim> claims,
      List<IPAddress> addresses,
      List<org.ipam.core.capi.IPAddress> capiAddresses,
      Clock clock) {
    this.client = client;
    this.pool = pool;
    this.spec = translation.spec();
    this.specErrors = translation.errors();
    this.claims = claims;
    this.addresses = addresses;
    this.capiAddresses = capiAddresses;
    this.clock = clock;
    findNameClashes();
  }

  /** Of several claims with one name, the oldest keeps the name; the others are refused. */
  private void findNameClashes() {
    Map<String, Metal3Claim> first = new HashMap<>();
    claims.stream()
        .sorted(
            Comparator.comparing((Metal3Claim c) -> created(c.object()))
                .thenComparing(Metal3Claim::kind))
        .forEach(
            claim -> {
              Metal3Claim holder = first.putIfAbsent(claim.name(), claim);
              if (holder != null) {
                nameTakenBy.put(claim, holder.kind() + " " + namespace() + "/" + holder.name());
              }
            });
  }

  private String namespace() {
    return pool.getMetadata().getNamespace();
  }

  private String namePrefix() {
    return pool.getSpec().getNamePrefix();
  }

  @Override
  public PoolKey pool() {
    return new PoolKey(DIALECT, namespace(), pool.getMetadata().getName());
  }

  @Override
  public PoolSpec spec() {
    return spec;
  }

  @Override
  public List<ExistingAllocation> existingAllocations() {
    record Found(Instant created, ExistingAllocation allocation) {}
    List<Found> found = new ArrayList<>();
    for (IPAddress address : addresses) {
      toExisting(address, address.getSpec().getClaim().getName(), address.getSpec().getAddress())
          .ifPresent(e -> found.add(new Found(created(address), e)));
    }
    for (org.ipam.core.capi.IPAddress address : capiAddresses) {
      toExisting(address, address.getSpec().getClaimRef().getName(), address.getSpec().getAddress())
          .ifPresent(e -> found.add(new Found(created(address), e)));
    }
    found.sort(Comparator.comparing(Found::created));
    return found.stream().map(Found::allocation).toList();
  }

  private Optional<ExistingAllocation> toExisting(HasMetadata object, String claim, String text) {
    Parsed<Ip> address = IpParser.parseAddress(text == null ? "" : text);
    if (address instanceof Parsed.Invalid<Ip> invalid) {
      LOG.warn(
          "{} {}/{}: spec.address {} is not usable, ignored",
          object.getKind(),
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          invalid.message());
      return Optional.empty();
    }
    return Optional.of(new ExistingAllocation(claim, IpRange.single(address.orElseThrow())));
  }

  @Override
  public List<Metal3Claim> claims() {
    return claims;
  }

  @Override
  public ClaimFacts facts(Metal3Claim claim) {
    HasMetadata object = claim.object();
    String clashWith = nameTakenBy.get(claim);
    String owner = clashWith == null ? claim.name() : claim.kind() + "/" + claim.name();
    return new ClaimFacts(
        owner,
        claim.kind(),
        object.getMetadata().getNamespace(),
        claim.name(),
        created(object),
        object.getMetadata().getDeletionTimestamp() != null,
        request(claim, clashWith));
  }

  private AllocationRequest request(Metal3Claim claim, String clashWith) {
    if (clashWith != null) {
      return new AllocationRequest.Unreadable(
          "claim name \""
              + claim.name()
              + "\" is already served by "
              + clashWith
              + " from IPPool "
              + pool.getMetadata().getName()
              + "; Metal3 pools key allocations by claim name");
    }
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new AllocationRequest.Unreadable(
          "IPPool " + namespace() + "/" + pool.getMetadata().getName() + " is being deleted");
    }
    Map<String, String> annotations = claim.object().getMetadata().getAnnotations();
    String wanted = annotations == null ? null : annotations.get(IPClaim.IP_ADDRESS_ANNOTATION);
    if (wanted == null || wanted.isEmpty()) {
      return new AllocationRequest.AnyAddress();
    }
    Parsed<Ip> parsed = IpParser.parseAddress(wanted);
    if (!parsed.isValid()) {
      return new AllocationRequest.Unreadable(
          "Invalid ipAddress annotation \"" + wanted + "\": not a valid IP address");
    }
    return new AllocationRequest.SpecificAddress(parsed.orElseThrow());
  }

  @Override
  public boolean showsAllocation(Metal3Claim claim, Allocation allocation) {
    String name = AddressNames.of(namePrefix(), allocation.address());
    if (claim instanceof Metal3Claim.Metal3 m3) {
      var status = m3.claim().getStatus();
      return status != null
          && status.getErrorMessage() == null
          && status.getAddress() != null
          && name.equals(status.getAddress().getName());
    }
    IPAddressClaimStatus status = ((Metal3Claim.Capi) claim).claim().getStatus();
    return status != null
        && status.getAddressRef() != null
        && name.equals(status.getAddressRef().getName())
        && Conditions.find(status.getConditions(), "Ready")
            .map(c -> "True".equals(c.getStatus()))
            .orElse(false);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CommitOutcome commit(Metal3Claim claim, Allocation allocation) {
    try {
      if (!ObjectWrites.addFinalizer(client, claim.object(), claim.finalizer())) {
        return new CommitOutcome.ClaimGone();
      }
    } catch (KubernetesClientException e) {
      return new CommitOutcome.Failed("could not add finalizer: " + e.getMessage());
    }
    HasMetadata address = addressObject(claim, allocation);
    try {
      client.resource(address).create();
      return new CommitOutcome.Committed();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        return new CommitOutcome.Failed(
            "Failed to create associated IPAddress object: " + e.getMessage());
      }
    }
    // The name is taken: ours from an earlier pass whose result we did not see, or someone else's.
    HasMetadata existing = client.resource(address).get();
    String holder = existing == null ? null : claimNameOf(existing);
    if (claim.name().equals(holder)) {
      return new CommitOutcome.Committed();
    }
    String otherPool = existing == null ? null : poolNameOf(existing);
    if (otherPool != null && !otherPool.equals(pool.getMetadata().getName())) {
      namePrefixClashes.add(
          "IPAddress "
              + address.getMetadata().getName()
              + " belongs to claim "
              + holder
              + " of IPPool "
              + otherPool
              + ": pools sharing spec.namePrefix \""
              + pool.getSpec().getNamePrefix()
              + "\" cannot both allocate "
              + allocation.address());
    }
    return new CommitOutcome.Taken(
        existing == null
            ? address.getMetadata().getName() + " was just deleted"
            : address.getMetadata().getName() + " belongs to claim " + holder);
  }

  private static String poolNameOf(HasMetadata address) {
    if (address instanceof IPAddress m3) {
      return m3.getSpec().getPool() == null ? null : m3.getSpec().getPool().getName();
    }
    var poolRef = ((org.ipam.core.capi.IPAddress) address).getSpec().getPoolRef();
    return poolRef == null ? null : poolRef.getName();
  }

  private static String claimNameOf(HasMetadata address) {
    if (address instanceof IPAddress m3) {
      return m3.getSpec().getClaim().getName();
    }
    return ((org.ipam.core.capi.IPAddress) address).getSpec().getClaimRef().getName();
  }

  private HasMetadata addressObject(Metal3Claim claim, Allocation allocation) {
    String name = AddressNames.of(namePrefix(), allocation.address());
    var metadata =
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace())
            .withLabels(copy(claim.object().getMetadata().getLabels()))
            .withOwnerReferences(ownerOf(pool), ownerOf(claim.object()))
            .build();
    Integer prefix = allocation.segment() == null ? null : allocation.segment().prefixLength();
    Ip gateway = allocation.segment() == null ? null : allocation.segment().gateway();
    if (claim instanceof Metal3Claim.Metal3) {
      IPAddress address = new IPAddress();
      metadata.setFinalizers(List.of(IPAddress.FINALIZER));
      address.setMetadata(metadata);
      var spec = new org.ipam.metal3.model.IPAddressSpec();
      spec.setAddress(allocation.address().toString());
      spec.setPool(reference(pool));
      spec.setClaim(reference(claim.object()));
      spec.setPrefix(prefix == null ? 0 : prefix);
      spec.setGateway(gateway == null ? null : gateway.toString());
      List<String> dns =
          allocation.segment() == null
              ? List.of()
              : allocation.segment().dnsServers().stream().map(Ip::toString).toList();
      spec.setDnsServers(dns.isEmpty() ? null : dns);
      address.setSpec(spec);
      return address;
    }
    org.ipam.core.capi.IPAddress address = new org.ipam.core.capi.IPAddress();
    metadata.setFinalizers(List.of(Metal3Claim.Capi.ADDRESS_FINALIZER));
    address.setMetadata(metadata);
    IPAddressSpec spec = new IPAddressSpec();
    spec.setAddress(allocation.address().toString());
    spec.setPoolRef(new PoolReference(IPPool.GROUP, "IPPool", pool.getMetadata().getName()));
    spec.setClaimRef(new LocalReference(claim.name()));
    spec.setPrefix(prefix == null ? 0 : prefix);
    spec.setGateway(gateway == null ? null : gateway.toString());
    address.setSpec(spec);
    return address;
  }

  private static Map<String, String> copy(Map<String, String> labels) {
    return labels == null ? Map.of() : new LinkedHashMap<>(labels);
  }

  private static OwnerReference ownerOf(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  private static ObjectReference reference(HasMetadata object) {
    return new ObjectReferenceBuilder()
        .withName(object.getMetadata().getName())
        .withNamespace(object.getMetadata().getNamespace())
        .build();
  }

  @Override
  public void reportAllocated(Metal3Claim claim, Allocation allocation) {
    String name = AddressNames.of(namePrefix(), allocation.address());
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof Metal3Claim.Metal3) {
      status.put("address", Map.of("name", name, "namespace", namespace()));
      status.put("errorMessage", null);
    } else {
      status.put("addressRef", Map.of("name", name));
      status.put("conditions", readyCondition((Metal3Claim.Capi) claim, true, "Allocated", ""));
    }
    ObjectWrites.patchStatus(client, claim.object(), status);
    Events.normal(
        client,
        clock,
        claim.object(),
        "Allocated",
        "address " + allocation.address() + " from IPPool " + pool.getMetadata().getName());
  }

  @Override
  public void reportFailed(Metal3Claim claim, AllocationFailure failure) {
    // A pool with no usable entry is not exhausted: say what is wrong with it.
    String message =
        spec.segments().isEmpty() && !specErrors.isEmpty()
            ? "no address can be allocated from an invalid pool: " + String.join("; ", specErrors)
            : Metal3Messages.of(failure, hasPreAllocation(claim));
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof Metal3Claim.Metal3 m3) {
      var current = m3.claim().getStatus();
      if (current != null && message.equals(current.getErrorMessage())) {
        return;
      }
      status.put("errorMessage", message);
    } else {
      Metal3Claim.Capi capi = (Metal3Claim.Capi) claim;
      String reason =
          failure instanceof AllocationFailure.Exhausted ? "PoolExhausted" : "AllocationFailed";
      var current = capi.claim().getStatus();
      boolean same =
          current != null
              && Conditions.find(current.getConditions(), "Ready")
                  .map(c -> reason.equals(c.getReason()) && message.equals(c.getMessage()))
                  .orElse(false);
      if (same) {
        return;
      }
      status.put("conditions", readyCondition(capi, false, reason, message));
    }
    ObjectWrites.patchStatus(client, claim.object(), status);
    Events.warning(client, clock, claim.object(), "AllocationFailed", message);
  }

  private boolean hasPreAllocation(Metal3Claim claim) {
    return spec != null && spec.preAllocations().containsKey(claim.name());
  }

  private List<io.fabric8.kubernetes.api.model.Condition> readyCondition(
      Metal3Claim.Capi claim, boolean ready, String reason, String message) {
    var current = claim.claim().getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new ArrayList<>(current == null ? List.of() : current.getConditions());
    Conditions.set(
        conditions,
        "Ready",
        ready,
        reason,
        message,
        claim.claim().getMetadata().getGeneration(),
        clock.instant());
    return conditions;
  }

  @Override
  public boolean release(Metal3Claim claim, Optional<Allocation> held) {
    List<String> finalizers = claim.object().getMetadata().getFinalizers();
    boolean onlyOurs = finalizers.stream().allMatch(claim.finalizer()::equals);
    if (!onlyOurs) {
      // Another controller (CAPM3) still uses the address: keep it until its finalizer is gone.
      return false;
    }
    for (HasMetadata address : addressObjectsOf(claim)) {
      ObjectWrites.removeFinalizer(client, address, addressFinalizer(claim));
      ObjectWrites.delete(client, address);
    }
    ObjectWrites.removeFinalizer(client, claim.object(), claim.finalizer());
    return true;
  }

  private List<? extends HasMetadata> addressObjectsOf(Metal3Claim claim) {
    if (claim instanceof Metal3Claim.Metal3) {
      return addresses.stream()
          .filter(a -> claim.name().equals(a.getSpec().getClaim().getName()))
          .toList();
    }
    return capiAddresses.stream()
        .filter(a -> claim.name().equals(a.getSpec().getClaimRef().getName()))
        .toList();
  }

  private static String addressFinalizer(Metal3Claim claim) {
    return claim instanceof Metal3Claim.Metal3
        ? IPAddress.FINALIZER
        : Metal3Claim.Capi.ADDRESS_FINALIZER;
  }

  @Override
  public void reportPool(List<Allocation> allocations, PoolCounts counts) {
    Map<String, String> indexes = new TreeMap<>();
    for (Allocation allocation : allocations) {
      indexes.put(allocation.owner(), allocation.address().toString());
    }
    var current = pool.getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new ArrayList<>(
            current == null || current.getConditions() == null
                ? List.of()
                : current.getConditions());
    List<String> problems = new ArrayList<>(specErrors);
    problems.addAll(new TreeSet<>(namePrefixClashes));
    boolean conditionsChanged =
        Conditions.set(
            conditions,
            "Ready",
            problems.isEmpty(),
            !specErrors.isEmpty()
                ? "InvalidSpec"
                : namePrefixClashes.isEmpty() ? "Valid" : "NamePrefixClash",
            String.join("; ", problems),
            pool.getMetadata().getGeneration(),
            clock.instant());
    boolean indexesChanged =
        current == null
            || !Objects.equals(
                current.getIndexes() == null ? Map.of() : current.getIndexes(), indexes)
            || !Objects.equals(
                current.getAllocations() == null ? Map.of() : current.getAllocations(), indexes);
    if (!indexesChanged && !conditionsChanged && current.getLastUpdated() != null) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("indexes", mapPatch(current == null ? null : current.getIndexes(), indexes));
    status.put("allocations", mapPatch(current == null ? null : current.getAllocations(), indexes));
    status.put("conditions", conditions);
    status.put(
        "lastUpdated",
        indexesChanged || current == null || current.getLastUpdated() == null
            ? Conditions.timestamp(clock.instant())
            : current.getLastUpdated());
    ObjectWrites.patchStatus(client, pool, status);
  }

  /** A merge patch from one map to another: keys that went away are patched to null. */
  private static Map<String, Object> mapPatch(Map<String, String> from, Map<String, String> to) {
    Map<String, Object> patch = new LinkedHashMap<>(to);
    if (from != null) {
      from.keySet().stream().filter(k -> !to.containsKey(k)).forEach(k -> patch.put(k, null));
    }
    return patch;
  }

  private static Instant created(HasMetadata object) {
    String timestamp = object.getMetadata().getCreationTimestamp();
    return timestamp == null ? Instant.MAX : Instant.parse(timestamp);
  }
}
