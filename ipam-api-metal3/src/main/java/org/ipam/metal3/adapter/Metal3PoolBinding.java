package org.ipam.metal3.adapter;

import static org.ipam.metal3.adapter.Metal3Records.CAPI_ADDRESS;
import static org.ipam.metal3.adapter.Metal3Records.METAL3_ADDRESS;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimStatus;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.CommitStrategy;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.Conflicts;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolBinding;
import org.ipam.core.engine.PoolEvents;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolView;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolStatus;

/**
 * One Metal3 IPPool during one engine pass: the writes for its IPClaims and the Cluster API
 * IPAddressClaims that name it.
 *
 * <p>Commit point ({@link CommitStrategy#NAMED_RESERVATION}): the create of the Metal3 IPAddress
 * named from namePrefix and address (reference/metal3.md 1.7), for both kinds of claim. For an
 * IPClaim that object is its answer; for a Cluster API claim it is the lock, and the Cluster API
 * IPAddress of the same name is created after it. Upstream creates only the Cluster API object for
 * those, so an IPClaim and an IPAddressClaim decided by two writers could both win one address.
 */
public final class Metal3PoolBinding implements PoolBinding<Metal3Claim> {
  /** Above this many allocations the status maps are left out (etcd's 1.5 MiB object limit). */
  static final int STATUS_MAP_LIMIT = 10_000;

  private final KubernetesClient client;
  private final IPPool pool;
  private final PoolSpec spec;
  private final Metal3PoolTranslation translation;
  private final boolean watchesCapiClaims;
  private final NamePrefixClashes clashes;
  private final PoolEvents events;
  private final Clock clock;

  /** Claims whose finalizer this pass's commit wrote (the cached claim does not show it yet). */
  private final java.util.Set<String> finalizedNow =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Metal3PoolBinding(
      KubernetesClient client,
      IPPool pool,
      Metal3PoolTranslation translation,
      boolean watchesCapiClaims,
      NamePrefixClashes clashes,
      PoolEvents events,
      Clock clock) {
    this.client = client;
    this.pool = pool;
    this.spec = translation.spec();
    this.translation = translation;
    this.watchesCapiClaims = watchesCapiClaims;
    this.clashes = clashes;
    this.events = events;
    this.clock = clock;
  }

  private String namespace() {
    return pool.getMetadata().getNamespace();
  }

  private String poolName() {
    return pool.getMetadata().getName();
  }

  private String namePrefix() {
    return pool.getSpec().getNamePrefix();
  }

  @Override
  public PoolKey pool() {
    return Metal3Records.poolKey(namespace(), poolName());
  }

  @Override
  public PoolSpec spec() {
    return spec;
  }

  @Override
  public CommitStrategy strategy() {
    return CommitStrategy.NAMED_RESERVATION;
  }

  @Override
  public boolean watchesClaimKind(String kind) {
    return Metal3Records.IPCLAIM.equals(kind)
        || (watchesCapiClaims && Metal3Records.CAPI_CLAIM.equals(kind));
  }

  @Override
  public AllocationRequest request(Metal3Claim claim) {
    return request(pool, translation, claim);
  }

  /**
   * What a claim asks of a pool: the one reading of a claim, for the engine and for {@code
   * ipam-controller plan} alike.
   */
  public static AllocationRequest request(
      IPPool pool, Metal3PoolTranslation translation, Metal3Claim claim) {
    String namespace = pool.getMetadata().getNamespace();
    String poolName = pool.getMetadata().getName();
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new AllocationRequest.Unservable(
          "IPPool " + namespace + "/" + poolName + " is being deleted");
    }
    if (translation.blockingProblem() != null) {
      return new AllocationRequest.Unservable(translation.blockingProblem());
    }
    if (translation.spec().segments().isEmpty() && !translation.errors().isEmpty()) {
      // A pool with no usable entry is not exhausted: say what is wrong with it.
      return new AllocationRequest.Unservable(
          "no address can be allocated from an invalid pool: "
              + String.join("; ", translation.errors()));
    }
    String preAllocationProblem = translation.claimProblems().get(claim.name());
    if (preAllocationProblem != null) {
      return new AllocationRequest.Unservable(preAllocationProblem);
    }
    Map<String, String> annotations = claim.object().getMetadata().getAnnotations();
    String wanted = annotations == null ? null : annotations.get(IPClaim.IP_ADDRESS_ANNOTATION);
    if (wanted == null || wanted.isEmpty()) {
      return new AllocationRequest.AnyAddress();
    }
    Parsed<Ip> parsed = IpParser.parseAddress(wanted);
    if (!parsed.isValid()) {
      return new AllocationRequest.Unservable(
          "Invalid ipAddress annotation \"" + wanted + "\": not a valid IP address");
    }
    return new AllocationRequest.SpecificAddress(parsed.orElseThrow());
  }

  /** The name of the object the claim should point at: its own kind's object, else derived. */
  private String answerName(Metal3Claim claim, Allocation allocation, List<Holding> held) {
    String kind = claim instanceof Metal3Claim.Metal3 ? METAL3_ADDRESS : CAPI_ADDRESS;
    return held.stream()
        .filter(h -> h.object().kind().equals(kind))
        .map(h -> h.object().name())
        .findFirst()
        .orElse(AddressNames.of(namePrefix(), allocation.address()));
  }

  @Override
  public boolean showsAllocation(Metal3Claim claim, Allocation allocation, List<Holding> held) {
    if (!claim.object().getMetadata().getFinalizers().contains(claim.finalizer())) {
      return false;
    }
    String name = answerName(claim, allocation, held);
    if (claim instanceof Metal3Claim.Metal3 m3) {
      var status = m3.claim().getStatus();
      return status != null
          && status.getErrorMessage() == null
          && status.getAddress() != null
          && name.equals(status.getAddress().getName());
    }
    boolean hasCapiObject = held.stream().anyMatch(h -> h.object().kind().equals(CAPI_ADDRESS));
    Metal3Claim.Capi capi = (Metal3Claim.Capi) claim;
    IPAddressClaimStatus status = capi.claim().getStatus();
    return hasCapiObject
        && status != null
        && status.getAddressRef() != null
        && name.equals(status.getAddressRef().getName())
        && capi.readyIs("True");
  }

  // ---------------------------------------------------------------- the commit

  @Override
  public CommitOutcome commit(Metal3Claim claim, Allocation allocation) {
    try {
      if (!ObjectWrites.addFinalizer(client, claim.object(), claim.finalizer())) {
        return new CommitOutcome.ClaimGone();
      }
      finalizedNow.add(claim.uid());
    } catch (KubernetesClientException e) {
      return Conflicts.isConflict(e)
          ? new CommitOutcome.Conflict()
          : new CommitOutcome.Failed("could not add finalizer: " + e.getMessage());
    }
    IPAddress lock = metal3Address(claim, allocation);
    try {
      client.resource(lock).create();
      return new CommitOutcome.Committed();
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0 || e.getCode() >= 500) {
        // No answer (fabric8 gives -1 or 0), or the server failed: the create may have happened.
        // Thrown, the decision stays
        // held and the next try commits the same address again (the engine's in-doubt commit).
        throw e;
      }
      if (e.getCode() != 409) {
        return new CommitOutcome.Failed(
            "Failed to create associated IPAddress object: " + e.getMessage());
      }
    }
    // The name is taken: ours from an earlier write whose answer we did not see, or someone else's.
    IPAddress existing = client.resource(lock).get();
    Optional<Holding> holder =
        existing == null ? Optional.empty() : Metal3Records.holding(existing);
    if (holder.isPresent()
        && claim.uid().equals(holder.get().claimUid())
        && !holder.get().deleting()
        && holder.get().addresses().first().equals(allocation.address())) {
      // Written by an earlier try of ours: the engine counts it once (as that try's, if in doubt).
      return CommitOutcome.Committed.found();
    }
    String name = lock.getMetadata().getName();
    String otherPool =
        existing == null || existing.getSpec() == null || existing.getSpec().getPool() == null
            ? null
            : existing.getSpec().getPool().getName();
    if (otherPool != null && !otherPool.equals(poolName())) {
      clashes.seen(
          pool(),
          "IPAddress "
              + name
              + " belongs to claim "
              + holder.map(Holding::claimName).orElse("?")
              + " of IPPool "
              + otherPool
              + ": pools sharing spec.namePrefix \""
              + namePrefix()
              + "\" cannot both allocate "
              + allocation.address(),
          clock.instant());
    }
    return new CommitOutcome.Taken(
        existing == null
            ? name + " was just deleted"
            : name
                + " belongs to "
                + holder.map(h -> h.claimKind() + " " + h.claimName()).orElse("someone else"),
        holder.orElse(null));
  }

  private IPAddress metal3Address(Metal3Claim claim, Allocation allocation) {
    IPAddress address = new IPAddress();
    address.setMetadata(
        metadata(claim, AddressNames.of(namePrefix(), allocation.address()), IPAddress.FINALIZER));
    var spec = new org.ipam.metal3.model.IPAddressSpec();
    spec.setAddress(allocation.address().toString());
    spec.setPool(reference(pool));
    spec.setClaim(reference(claim.object()));
    spec.setPrefix(prefix(allocation));
    Ip gateway = allocation.segment() == null ? null : allocation.segment().gateway();
    spec.setGateway(gateway == null ? null : gateway.toString());
    List<String> dns =
        allocation.segment() == null
            ? List.of()
            : allocation.segment().dnsServers().stream().map(Ip::toString).toList();
    spec.setDnsServers(dns.isEmpty() ? null : dns);
    address.setSpec(spec);
    return address;
  }

  private org.ipam.core.capi.IPAddress capiAddress(Metal3Claim claim, Allocation allocation) {
    org.ipam.core.capi.IPAddress address = new org.ipam.core.capi.IPAddress();
    address.setMetadata(
        metadata(
            claim,
            AddressNames.of(namePrefix(), allocation.address()),
            Metal3Claim.Capi.ADDRESS_FINALIZER));
    IPAddressSpec spec = new IPAddressSpec();
    spec.setAddress(allocation.address().toString());
    spec.setPoolRef(new PoolReference(IPPool.GROUP, "IPPool", poolName()));
    spec.setClaimRef(new LocalReference(claim.name()));
    spec.setPrefix(prefix(allocation));
    Ip gateway = allocation.segment() == null ? null : allocation.segment().gateway();
    spec.setGateway(gateway == null ? null : gateway.toString());
    address.setSpec(spec);
    return address;
  }

  private static int prefix(Allocation allocation) {
    return allocation.segment() == null || allocation.segment().prefixLength() == null
        ? 0
        : allocation.segment().prefixLength();
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta metadata(
      Metal3Claim claim, String name, String finalizer) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace())
        .withLabels(copy(claim.object().getMetadata().getLabels()))
        .withOwnerReferences(ownerOf(pool), ownerOf(claim.object()))
        .withFinalizers(finalizer)
        .build();
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

  // ---------------------------------------------------------------- reports

  @Override
  public void reportAllocated(Metal3Claim claim, Allocation allocation, List<Holding> held) {
    // An adopted or moved claim may lack the finalizer; nothing may rely on it alone, but a claim
    // that holds an address should carry it.
    if (!finalizedNow.contains(claim.uid())
        && !ObjectWrites.addFinalizer(client, claim.object(), claim.finalizer())) {
      return;
    }
    if (claim instanceof Metal3Claim.Capi
        && held.stream().noneMatch(h -> h.object().kind().equals(CAPI_ADDRESS))) {
      createCapiAddress(claim, allocation);
    }
    String name = answerName(claim, allocation, held);
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof Metal3Claim.Metal3) {
      status.put("address", Map.of("name", name, "namespace", namespace()));
      status.put("errorMessage", null);
    } else {
      status.put("addressRef", Map.of("name", name));
      status.put(
          "conditions",
          ((Metal3Claim.Capi) claim).conditionsWithReady(true, "Allocated", "", clock.instant()));
    }
    ObjectWrites.patchStatus(client, claim.object(), status);
    // An event is a write: a claim served at once gets none (its status says it all); a claim
    // that was told why it waits hears that it no longer does.
    if (toldWhyItWaited(claim)) {
      Events.normal(
          client,
          clock,
          claim.object(),
          "Allocated",
          "address " + allocation.address() + " from IPPool " + poolName());
    }
  }

  private static boolean toldWhyItWaited(Metal3Claim claim) {
    if (claim instanceof Metal3Claim.Metal3 m3) {
      return m3.claim().getStatus() != null && m3.claim().getStatus().getErrorMessage() != null;
    }
    return ((Metal3Claim.Capi) claim).readyIs("False");
  }

  /** The Cluster API answer after the lock; AlreadyExists is fine only if it is this claim's. */
  private void createCapiAddress(Metal3Claim claim, Allocation allocation) {
    org.ipam.core.capi.IPAddress address = capiAddress(claim, allocation);
    ObjectWrites.createOrAccept(
        client,
        address,
        existing ->
            Metal3Records.holding(existing)
                .map(holder -> claim.uid().equals(holder.claimUid()))
                .orElse(false),
        "Cluster API IPAddress "
            + namespace()
            + "/"
            + address.getMetadata().getName()
            + " exists for another claim");
  }

  @Override
  public void reportFailed(Metal3Claim claim, AllocationFailure failure) {
    String message =
        Metal3Messages.of(
            failure, hasPreAllocation(claim), "IPPool " + namespace() + "/" + poolName());
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof Metal3Claim.Metal3 m3) {
      var current = m3.claim().getStatus();
      if (current != null && message.equals(current.getErrorMessage())) {
        return;
      }
      status.put("errorMessage", message);
    } else {
      Metal3Claim.Capi capi = (Metal3Claim.Capi) claim;
      // A requested address outside every entry is upstream's "Exhausted IP Pools" case; a
      // pre-allocation outside is its "Pre-allocated IP out of bounds" (AllocationFailed).
      String reason =
          failure instanceof AllocationFailure.Exhausted
                  || (failure instanceof AllocationFailure.OutsideSegments
                      && !hasPreAllocation(claim))
              ? "PoolExhausted"
              : "AllocationFailed";
      boolean same =
          capi.ready()
              .map(c -> reason.equals(c.getReason()) && message.equals(c.getMessage()))
              .orElse(false);
      if (same) {
        return;
      }
      status.put("conditions", capi.conditionsWithReady(false, reason, message, clock.instant()));
    }
    ObjectWrites.patchStatus(client, claim.object(), status);
    Events.warning(client, clock, claim.object(), "AllocationFailed", message);
  }

  private boolean hasPreAllocation(Metal3Claim claim) {
    return spec.preAllocations().containsKey(claim.name());
  }

  // ---------------------------------------------------------------- adoption and release

  @Override
  public CommitOutcome adopt(Metal3Claim claim, Holding handMade) {
    HasMetadata object = get(handMade.object());
    if (object == null) {
      return new CommitOutcome.Failed(handMade.object() + " is gone");
    }
    Optional<Holding> now = Metal3Records.holding(object);
    if (now.isEmpty() || now.get().claimUid() != null) {
      return new CommitOutcome.Conflict();
    }
    List<OwnerReference> owners = new ArrayList<>(object.getMetadata().getOwnerReferences());
    owners.add(ownerOf(claim.object()));
    List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
    String finalizer = addressFinalizer(object);
    if (!finalizers.contains(finalizer)) {
      finalizers.add(finalizer);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("ownerReferences", owners);
    metadata.put("finalizers", finalizers);
    metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
    try {
      client
          .resource(object)
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              io.fabric8.kubernetes.client.utils.Serialization.asJson(
                  Map.of("metadata", metadata)));
      return new CommitOutcome.Committed();
    } catch (KubernetesClientException e) {
      return Conflicts.isConflict(e)
          ? new CommitOutcome.Conflict()
          : new CommitOutcome.Failed(
              "could not adopt " + handMade.object() + ": " + e.getMessage());
    }
  }

  @Override
  public boolean release(Metal3Claim claim, List<Holding> held, Optional<Allocation> uncached) {
    List<String> finalizers = claim.object().getMetadata().getFinalizers();
    boolean onlyOurs = finalizers.stream().allMatch(claim.finalizer()::equals);
    if (!onlyOurs) {
      clearErrorMessage(claim);
      // Another controller (CAPM3) still uses the address: keep it until its finalizer is gone.
      return false;
    }
    // The claim's own answer first, the lock last: the address is free only once both are gone.
    List<Holding> objects = new ArrayList<>(held);
    objects.sort(Comparator.comparing((Holding h) -> h.object().kind().equals(METAL3_ADDRESS)));
    for (Holding holding : objects) {
      deleteIfOwnedBy(holding.object(), claim.uid());
    }
    if (uncached.isPresent()) {
      String name = AddressNames.of(namePrefix(), uncached.get().address());
      deleteIfOwnedBy(new ObjectKey(CAPI_ADDRESS, namespace(), name), claim.uid());
      deleteIfOwnedBy(new ObjectKey(METAL3_ADDRESS, namespace(), name), claim.uid());
    }
    ObjectWrites.removeFinalizer(client, claim.object(), claim.finalizer());
    return true;
  }

  /**
   * A deleting claim that another controller's finalizer keeps: an error from before no longer
   * applies (upstream clears it on release too). Only then is it visible: a claim whose only
   * finalizer is ours is gone once we remove it.
   */
  private void clearErrorMessage(Metal3Claim claim) {
    if (claim instanceof Metal3Claim.Metal3 m3
        && m3.claim().getStatus() != null
        && m3.claim().getStatus().getErrorMessage() != null) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("errorMessage", null);
      ObjectWrites.patchStatus(client, claim.object(), status);
    }
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    HasMetadata claim = liveClaim(orphan);
    if (claim != null && orphan.claimUid().equals(claim.getMetadata().getUid())) {
      return false;
    }
    return deleteIfOwnedBy(orphan.object(), orphan.claimUid());
  }

  /** The claim an address object names, read from the API (not the cache); null if none. */
  private HasMetadata liveClaim(Holding holding) {
    return Metal3Records.IPCLAIM.equals(holding.claimKind())
        ? client
            .resources(IPClaim.class)
            .inNamespace(namespace())
            .withName(holding.claimName())
            .get()
        : client
            .resources(IPAddressClaim.class)
            .inNamespace(namespace())
            .withName(holding.claimName())
            .get();
  }

  /** Our finalizer on an address object of either kind. */
  private static String addressFinalizer(HasMetadata address) {
    return address instanceof IPAddress ? IPAddress.FINALIZER : Metal3Claim.Capi.ADDRESS_FINALIZER;
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    if (claimShows(surplus)) {
      // The claim's status still names it (the report of its own address has not landed yet):
      // never take an address away from under a claim that is shown it.
      return false;
    }
    if (Metal3Records.CAPI_CLAIM.equals(surplus.claimKind())
        && surplus.object().kind().equals(METAL3_ADDRESS)) {
      // A Cluster API claim's surplus lock goes after its answer of the same name.
      deleteIfOwnedBy(
          new ObjectKey(CAPI_ADDRESS, namespace(), surplus.object().name()), surplus.claimUid());
    }
    return deleteIfOwnedBy(surplus.object(), surplus.claimUid());
  }

  /** Whether the claim of this object (read live) names it in its status. */
  private boolean claimShows(Holding holding) {
    HasMetadata claim = liveClaim(holding);
    if (claim instanceof IPClaim ipClaim) {
      return ipClaim.getStatus() != null
          && ipClaim.getStatus().getAddress() != null
          && holding.object().name().equals(ipClaim.getStatus().getAddress().getName());
    }
    if (claim instanceof IPAddressClaim capiClaim) {
      return capiClaim.getStatus() != null
          && capiClaim.getStatus().getAddressRef() != null
          && holding.object().name().equals(capiClaim.getStatus().getAddressRef().getName());
    }
    return false;
  }

  /** Deletes an address object (our finalizer first) if it still belongs to that claim uid. */
  private boolean deleteIfOwnedBy(ObjectKey key, String claimUid) {
    HasMetadata object = get(key);
    boolean ours =
        object != null
            && Metal3Records.holding(object)
                .map(holding -> Objects.equals(claimUid, holding.claimUid()))
                .orElse(true);
    return ObjectWrites.releaseIfOurs(
        client, object, ours, object == null ? null : addressFinalizer(object));
  }

  private HasMetadata get(ObjectKey key) {
    return key.kind().equals(METAL3_ADDRESS)
        ? client.resources(IPAddress.class).inNamespace(key.namespace()).withName(key.name()).get()
        : client
            .resources(org.ipam.core.capi.IPAddress.class)
            .inNamespace(key.namespace())
            .withName(key.name())
            .get();
  }

  // ---------------------------------------------------------------- the pool's status

  @Override
  public void reportPool(PoolView view) {
    Map<String, String> indexes = new TreeMap<>();
    boolean mapsFit = view.allocations().size() <= STATUS_MAP_LIMIT;
    if (mapsFit) {
      for (PoolView.NamedAllocation named : view.allocations()) {
        if (named.claimName() != null) {
          indexes.putIfAbsent(named.claimName(), named.allocation().address().toString());
        }
      }
    }
    var current = pool.getStatus();
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new ArrayList<>(
            current == null || current.getConditions() == null
                ? List.of()
                : current.getConditions());
    PoolHealth health = PoolHealth.of(this, view, clashes.recent(pool(), clock.instant()));
    boolean conditionsChanged =
        Conditions.set(
            conditions,
            "Ready",
            health.ready(),
            health.reason(),
            health.message(),
            pool.getMetadata().getGeneration(),
            clock.instant());
    Map<String, String> written =
        current == null || current.getIndexes() == null ? Map.of() : current.getIndexes();
    boolean indexesChanged =
        !Objects.equals(written, mapsFit ? indexes : Map.of())
            || (current != null
                && !Objects.equals(
                    current.getAllocations() == null ? Map.of() : current.getAllocations(),
                    mapsFit ? indexes : Map.of()));
    if (indexesChanged
        || conditionsChanged
        || current == null
        || current.getLastUpdated() == null) {
      writeStatus(current, mapsFit ? indexes : Map.of(), conditions, indexesChanged);
    }
    // After the write: a status that could not be written is reported again, and told then.
    events.seen(
        client,
        clock,
        pool,
        pool(),
        new PoolEvents.Now(
            health.ready() ? null : health.reason(), health.message(), view.counts()),
        storedProblem(current));
  }

  private void writeStatus(
      IPPoolStatus current,
      Map<String, String> target,
      List<io.fabric8.kubernetes.api.model.Condition> conditions,
      boolean indexesChanged) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("indexes", mapPatch(current == null ? null : current.getIndexes(), target));
    status.put("allocations", mapPatch(current == null ? null : current.getAllocations(), target));
    status.put("conditions", conditions);
    status.put(
        "lastUpdated",
        indexesChanged || current == null || current.getLastUpdated() == null
            ? Conditions.timestamp(clock.instant())
            : current.getLastUpdated());
    ObjectWrites.patchStatus(client, pool, status);
  }

  /** The reason of the stored Ready condition when False: a problem the pool was told of. */
  private static String storedProblem(IPPoolStatus current) {
    if (current == null || current.getConditions() == null) {
      return null;
    }
    return Conditions.find(current.getConditions(), "Ready")
        .filter(ready -> "False".equals(ready.getStatus()))
        .map(ready -> ready.getReason())
        .orElse(null);
  }

  /**
   * What the pool's Ready condition says: the first of these that applies gives the reason (False
   * for the first three: the pool cannot serve as written), and the message lists them all.
   */
  private record PoolHealth(boolean ready, String reason, String message) {
    static PoolHealth of(Metal3PoolBinding binding, PoolView view, List<String> clashesSeen) {
      Metal3PoolTranslation translation = binding.translation;
      List<String> outOfRange = binding.outOfRange(view);
      List<String> renamed = binding.renamed(view);
      boolean mapsFit = view.allocations().size() <= STATUS_MAP_LIMIT;
      List<String> lines = new ArrayList<>(translation.errors());
      lines.addAll(clashesSeen);
      lines.addAll(view.problems());
      lines.addAll(outOfRange);
      lines.addAll(renamed);
      lines.addAll(translation.warnings());
      if (!mapsFit) {
        lines.add(
            "status.indexes and status.allocations are left out above "
                + STATUS_MAP_LIMIT
                + " allocations (etcd's object size limit); the IPAddress objects list them all");
      }
      String message = String.join("; ", lines);
      if (!translation.errors().isEmpty()) {
        return new PoolHealth(false, "InvalidSpec", message);
      }
      if (!clashesSeen.isEmpty()) {
        return new PoolHealth(false, "NamePrefixClash", message);
      }
      if (!translation.usable()) {
        return new PoolHealth(false, "NoUsableEntry", message);
      }
      String reason =
          !view.problems().isEmpty()
              ? "StrayAddresses"
              : !outOfRange.isEmpty()
                  ? "AddressesOutOfRange"
                  : !renamed.isEmpty()
                      ? "NamePrefixChanged"
                      : !translation.warnings().isEmpty()
                          ? "SpecWarnings"
                          : mapsFit ? "Valid" : "TooLarge";
      return new PoolHealth(true, reason, message);
    }
  }

  /**
   * Addresses held outside every entry (the entries shrank or changed family): kept, said.
   * Package-private for tests.
   */
  List<String> outOfRange(PoolView view) {
    List<String> outside = new ArrayList<>();
    for (PoolView.NamedAllocation named : view.allocations()) {
      if (!inRange(named)) {
        outside.add(named.allocation().address() + " (claim " + named.claimName() + ")");
      }
    }
    return outside.isEmpty()
        ? List.of()
        : List.of(
            listed(outside, "address")
                + " in use outside"
                + " every entry of spec.pools: kept until their claims go");
  }

  /**
   * Whether an address is inside the range of an entry, as upstream's bounds read it: one left
   * beside start..end by a shrink counts as outside even within the entry's subnet. Only the
   * claim's own pre-allocation may lie anywhere in the subnet (docs/compat/metal3.md row 8).
   */
  private boolean inRange(PoolView.NamedAllocation named) {
    Ip address = named.allocation().address();
    if (spec.segments().stream().anyMatch(segment -> segment.range().contains(address))) {
      return true;
    }
    return named.allocation().segment() != null
        && named.claimName() != null
        && address.equals(spec.preAllocations().get(named.claimName()));
  }

  /**
   * Address objects not named after the current namePrefix (it was changed with webhooks off, or
   * the object was made by hand and adopted). Package-private for tests.
   */
  List<String> renamed(PoolView view) {
    List<String> names = new ArrayList<>();
    for (ObjectKey object : view.objects()) {
      if (!AddressNames.follows(namePrefix(), object.name())) {
        names.add(object.kind() + " " + object.name());
      }
    }
    if (names.isEmpty()) {
      return List.of();
    }
    names.sort(null);
    return List.of(
        listed(names, "object")
            + " not named \""
            + namePrefix()
            + "-<address>\" (an earlier spec.namePrefix, or made by hand): their claims keep"
            + " pointing at them; new addresses get the current prefix");
  }

  /** "3 addresses: a, b, c" with at most five named. */
  private static String listed(List<String> items, String noun) {
    String shown = String.join(", ", items.subList(0, Math.min(5, items.size())));
    return items.size()
        + " "
        + noun
        + (items.size() == 1 ? "" : "s")
        + " ("
        + shown
        + (items.size() > 5 ? ", ..." : "")
        + ")";
  }

  /** A merge patch from one map to another: keys that went away are patched to null. */
  private static Map<String, Object> mapPatch(Map<String, String> from, Map<String, String> to) {
    Map<String, Object> patch = new LinkedHashMap<>(to);
    if (from != null) {
      from.keySet().stream().filter(k -> !to.containsKey(k)).forEach(k -> patch.put(k, null));
    }
    return patch;
  }
}
