package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.LedgerBinding;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.engine.NameTakenException;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolEvents;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolView;
import org.ipam.core.engine.Timestamps;
import org.ipam.core.net.Ip;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;

/**
 * One in-cluster pool (IP or prefix pool) during one pass. The commit point is the pool's ledger
 * ({@link PoolLedger}): upstream names each IPAddress after its claim, so the IPAddress's name
 * locks nothing, and two controllers could otherwise both create IPAddresses for one address. After
 * the commit, the claim gets its IPAddress (named after it, as upstream), the {@code
 * ReleaseAddress} finalizer, {@code status.addressRef} and {@code Ready=True}.
 */
final class InClusterPoolBinding implements LedgerBinding<IPAddressClaim> {
  private final KubernetesClient client;
  private final HasMetadata pool;
  private final PoolKey key;
  private final InClusterPoolSpec spec;
  private final PoolEvents events;
  private final LedgerFeed ledgers;
  private final Predicate<IPAddressClaim> paused;
  private final Clock clock;

  InClusterPoolBinding(
      KubernetesClient client,
      HasMetadata pool,
      PoolKey key,
      InClusterPoolSpec spec,
      PoolEvents events,
      LedgerFeed ledgers,
      Predicate<IPAddressClaim> paused,
      Clock clock) {
    this.client = client;
    this.pool = pool;
    this.key = key;
    this.spec = spec;
    this.events = events;
    this.ledgers = ledgers;
    this.paused = paused;
    this.clock = clock;
  }

  private String describePool() {
    return pool.getKind()
        + " "
        + (pool.getMetadata().getNamespace() == null ? "" : pool.getMetadata().getNamespace() + "/")
        + pool.getMetadata().getName();
  }

  // ---------------------------------------------------------------- reads

  @Override
  public PoolKey pool() {
    return key;
  }

  @Override
  public PoolSpec spec() {
    return spec.allocator();
  }

  @Override
  public LedgerStore ledger() {
    return new PoolLedger(
        client,
        pool,
        read -> ledgers.deliver(key, read.resourceVersion(), read.entries(), clock.instant()));
  }

  @Override
  public boolean watchesClaimKind(String kind) {
    return InClusterRecords.CLAIM_KIND.equals(kind);
  }

  /** The pause contract ({@link ClaimsOfClusters#paused}). */
  @Override
  public boolean paused(IPAddressClaim claim) {
    return paused.test(claim);
  }

  /**
   * {@code addressReuseGracePeriodSeconds}, as upstream: counted from the claim's deletion, skipped
   * while the pool is being deleted (a pool that is gone never gets here: {@link PoollessRelease}).
   */
  @Override
  public Optional<Instant> releaseNotBefore(IPAddressClaim claim) {
    String deleted = claim.getMetadata().getDeletionTimestamp();
    if (spec.reuseGrace().isZero()
        || deleted == null
        || pool.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    // A deletion timestamp that does not parse (never from an API server) means no grace to wait.
    return Optional.ofNullable(Timestamps.parseOr(deleted, null))
        .map(at -> at.plus(spec.reuseGrace()));
  }

  @Override
  public AllocationRequest request(IPAddressClaim claim) {
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      return new AllocationRequest.Unservable(describePool() + " is being deleted");
    }
    if (spec.childPrefixLength() != null) {
      // Upstream's first fit: the lowest aligned free child prefix.
      return new AllocationRequest.Block(spec.childPrefixLength(), BlockPlacement.LOWEST_ALIGNED);
    }
    return new AllocationRequest.AnyAddress();
  }

  @Override
  public boolean showsAllocation(IPAddressClaim claim, Allocation allocation, List<Holding> held) {
    // The claim's own record, not the IPAddress: a view in which another writer released the
    // address must not make this one create it again (the engine confirms the ledger first).
    return claim.getMetadata().getFinalizers().contains(InClusterApi.RELEASE_ADDRESS_FINALIZER)
        && claim.getStatus() != null
        && claim.getStatus().getAddressRef() != null
        && claim.getMetadata().getName().equals(claim.getStatus().getAddressRef().getName())
        && ClaimReady.is(claim, "True");
  }

  // ---------------------------------------------------------------- reports

  @Override
  public void reportAllocated(IPAddressClaim claim, Allocation allocation, List<Holding> held) {
    if (!ObjectWrites.addFinalizer(client, claim, InClusterApi.RELEASE_ADDRESS_FINALIZER)) {
      return; // the claim is gone; its entry is released as an orphan
    }
    try {
      createAddress(claim, allocation);
    } catch (NameTakenException e) {
      tellNameTaken(claim, allocation, e);
      throw e; // the ledger keeps the address for the claim; tried again after a backoff
    }
    boolean waited = ClaimReady.is(claim, "False");
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("addressRef", Map.of("name", claim.getMetadata().getName()));
    status.put(
        "conditions", ClaimReady.conditionsWith(claim, true, "Allocated", "", clock.instant()));
    ObjectWrites.patchStatus(client, claim, status);
    if (waited) {
      Events.normal(
          client,
          clock,
          claim,
          "Allocated",
          "address " + allocation.address() + " from " + describePool());
    }
  }

  /**
   * An IPAddress of the claim's name that is another's and stays (made by hand, or a Metal3 pool's,
   * named {@code <namePrefix>-<address>}, in the claim's namespace): the claim is told which one,
   * once, instead of waiting in silence. One on its way out (an earlier incarnation's) goes by
   * itself and is not told.
   */
  private void tellNameTaken(IPAddressClaim claim, Allocation allocation, NameTakenException e) {
    IPAddressSpec theirs = e.existing() == null ? null : ((IPAddress) e.existing()).getSpec();
    boolean earlierIncarnation =
        theirs != null
            && theirs.getClaimRef() != null
            && claim.getMetadata().getName().equals(theirs.getClaimRef().getName());
    if (e.goingAway() || earlierIncarnation) {
      // An earlier incarnation's IPAddress goes by itself (garbage collection, or the engine's
      // release of orphans): telling the claim would only make its Ready flap.
      return;
    }
    String holds =
        theirs == null
            ? "no spec"
            : theirs.getAddress()
                + " of pool "
                + (theirs.getPoolRef() == null
                    ? "(none)"
                    : theirs.getPoolRef().getKind() + " " + theirs.getPoolRef().getName())
                + " for claim "
                + (theirs.getClaimRef() == null ? "(none)" : theirs.getClaimRef().getName());
    reportFailed(
        claim,
        new AllocationFailure.InvalidRequest(
            e.getMessage()
                + " (it holds "
                + holds
                + "): "
                + allocation.address()
                + " stays held for this claim until that IPAddress is deleted"));
  }

  /** The IPAddress named after the claim; one that exists is fine only if it is this claim's. */
  private void createAddress(IPAddressClaim claim, Allocation allocation) {
    IPAddress address = new IPAddress();
    address.setMetadata(
        new ObjectMetaBuilder()
            .withName(claim.getMetadata().getName())
            .withNamespace(claim.getMetadata().getNamespace())
            .withLabels(clusterLabels(claim))
            .withOwnerReferences(claimOwner(claim), poolOwner())
            .withFinalizers(InClusterApi.PROTECT_ADDRESS_FINALIZER)
            .build());
    IPAddressSpec addressSpec = new IPAddressSpec();
    addressSpec.setAddress(allocation.address().toString());
    addressSpec.setPrefix(spec.prefix());
    Ip gateway = spec.gateway();
    addressSpec.setGateway(gateway == null ? null : gateway.toString());
    addressSpec.setClaimRef(new LocalReference(claim.getMetadata().getName()));
    addressSpec.setPoolRef(
        new PoolReference(InClusterApi.GROUP, pool.getKind(), pool.getMetadata().getName()));
    address.setSpec(addressSpec);
    // An earlier incarnation's IPAddress on its way out, or one made by hand, is never taken over.
    ObjectWrites.createOrAccept(
        client,
        address,
        existing ->
            InClusterRecords.holding(existing)
                .map(
                    holder ->
                        claim.getMetadata().getUid().equals(holder.claimUid())
                            && holder.addresses().equals(allocation.addresses())
                            && !holder.deleting())
                .orElse(false),
        "IPAddress "
            + claim.getMetadata().getNamespace()
            + "/"
            + claim.getMetadata().getName()
            + " exists and is not this claim's "
            + allocation.address());
  }

  /** The cluster label, copied from the claim's label as upstream does (not from clusterName). */
  private static Map<String, String> clusterLabels(IPAddressClaim claim) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> claimLabels = claim.getMetadata().getLabels();
    if (claimLabels != null && claimLabels.containsKey(InClusterApi.CLUSTER_NAME_LABEL)) {
      labels.put(InClusterApi.CLUSTER_NAME_LABEL, claimLabels.get(InClusterApi.CLUSTER_NAME_LABEL));
    }
    return labels;
  }

  private static OwnerReference claimOwner(IPAddressClaim claim) {
    return new OwnerReferenceBuilder()
        .withApiVersion(claim.getApiVersion())
        .withKind(claim.getKind())
        .withName(claim.getMetadata().getName())
        .withUid(claim.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private OwnerReference poolOwner() {
    return new OwnerReferenceBuilder()
        .withApiVersion(pool.getApiVersion())
        .withKind(pool.getKind())
        .withName(pool.getMetadata().getName())
        .withUid(pool.getMetadata().getUid())
        .withController(false)
        .withBlockOwnerDeletion(true)
        .build();
  }

  @Override
  public void reportFailed(IPAddressClaim claim, AllocationFailure failure) {
    String reason;
    String message;
    if (spec.allocator().segments().isEmpty()) {
      reason = "PoolNotReady";
      message = describePool() + " has no address to hand out: " + spec.problem();
    } else if (failure instanceof AllocationFailure.Exhausted) {
      reason = "PoolExhausted";
      message =
          describePool()
              + (spec.handsOutPrefixes()
                  ? " has no free /" + spec.childPrefixLength() + " prefix"
                  : " has no free address");
    } else {
      reason = "AllocationFailed";
      message = failure.message();
    }
    boolean same =
        ClaimReady.of(claim)
            .map(c -> reason.equals(c.getReason()) && message.equals(c.getMessage()))
            .orElse(false);
    if (same) {
      return;
    }
    ObjectWrites.patchStatus(
        client,
        claim,
        Map.of(
            "conditions",
            ClaimReady.conditionsWith(claim, false, reason, message, clock.instant())));
    Events.warning(client, clock, claim, reason, message);
  }

  // ---------------------------------------------------------------- adoption and release

  @Override
  public CommitOutcome adopt(IPAddressClaim claim, Holding handMade) {
    IPAddress object = get(handMade.object());
    if (object == null) {
      return new CommitOutcome.Conflict();
    }
    String owner = InClusterRecords.claimUid(object);
    if (owner != null) {
      return claim.getMetadata().getUid().equals(owner)
          ? new CommitOutcome.Committed()
          : new CommitOutcome.Taken("IPAddress has another owner", handMade);
    }
    // As upstream's adoption: the claim as owner (its controller only if the object has none),
    // the pool as owner, the finalizer and the claim's cluster label.
    List<OwnerReference> owners = new ArrayList<>(object.getMetadata().getOwnerReferences());
    boolean hasController = owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
    OwnerReference claimOwner = claimOwner(claim);
    if (hasController) {
      claimOwner.setController(null);
    }
    owners.add(claimOwner);
    if (owners.stream().noneMatch(o -> pool.getMetadata().getUid().equals(o.getUid()))) {
      owners.add(poolOwner());
    }
    List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
    if (!finalizers.contains(InClusterApi.PROTECT_ADDRESS_FINALIZER)) {
      finalizers.add(InClusterApi.PROTECT_ADDRESS_FINALIZER);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (object.getMetadata().getLabels() != null) {
      labels.putAll(object.getMetadata().getLabels());
    }
    labels.putAll(clusterLabels(claim));
    try {
      client
          .resource(object)
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              io.fabric8.kubernetes.client.utils.Serialization.asJson(
                  Map.of(
                      "metadata",
                      Map.of(
                          "ownerReferences",
                          owners,
                          "finalizers",
                          finalizers,
                          "labels",
                          labels,
                          "resourceVersion",
                          object.getMetadata().getResourceVersion()))));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return new CommitOutcome.Conflict();
      }
      throw e;
    }
    return new CommitOutcome.Committed();
  }

  @Override
  public boolean releaseObjects(IPAddressClaim claim, List<Holding> held) {
    String uid = claim.getMetadata().getUid();
    // The IPAddress named after the claim, cached or not (a report the cache does not show yet).
    deleteIfOwnedBy(
        InClusterRecords.addressKey(
            claim.getMetadata().getNamespace(), claim.getMetadata().getName()),
        uid);
    for (Holding holding : held) {
      deleteIfOwnedBy(holding.object(), uid);
    }
    return true;
  }

  @Override
  public void letGo(IPAddressClaim claim) {
    ObjectWrites.removeFinalizer(client, claim, InClusterApi.RELEASE_ADDRESS_FINALIZER);
  }

  @Override
  public boolean claimIsGone(Holding entry) {
    IPAddressClaim live =
        client
            .resources(IPAddressClaim.class)
            .inNamespace(claimNamespaceOf(entry))
            .withName(entry.claimName())
            .get();
    return live == null || !entry.claimUid().equals(live.getMetadata().getUid());
  }

  /**
   * A ledger entry's claim namespace: the pool's for a namespaced pool; for a Global pool the
   * entry's own, from the ledger (the engine's holding has no room for it; orphans are rare).
   */
  private String claimNamespaceOf(Holding entry) {
    if (pool.getMetadata().getNamespace() != null) {
      return pool.getMetadata().getNamespace();
    }
    return PoolLedger.entriesOf(pool).stream()
        .filter(e -> e.claimUid().equals(entry.claimUid()))
        .map(e -> e.claimNamespace())
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no ledger entry of claim uid " + entry.claimUid()));
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    IPAddressClaim live =
        client
            .resources(IPAddressClaim.class)
            .inNamespace(orphan.object().namespace())
            .withName(orphan.claimName())
            .get();
    if (live != null && orphan.claimUid().equals(live.getMetadata().getUid())) {
      return false;
    }
    return deleteIfOwnedBy(orphan.object(), orphan.claimUid());
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    if (surplus.object().name().equals(surplus.claimName())) {
      return false; // the claim's own IPAddress: its status names it
    }
    return deleteIfOwnedBy(surplus.object(), surplus.claimUid());
  }

  /** Deletes an IPAddress (our finalizer first) if it still belongs to that claim uid. */
  private boolean deleteIfOwnedBy(ObjectKey key, String claimUid) {
    IPAddress object = get(key);
    return ObjectWrites.releaseIfOurs(
        client,
        object,
        object != null && Objects.equals(claimUid, InClusterRecords.claimUid(object)),
        InClusterApi.PROTECT_ADDRESS_FINALIZER);
  }

  private IPAddress get(ObjectKey key) {
    return client
        .resources(IPAddress.class)
        .inNamespace(key.namespace())
        .withName(key.name())
        .get();
  }

  // ---------------------------------------------------------------- the pool's status

  @Override
  public void reportPool(PoolView view) {
    PoolStatus current = PoolLedger.statusOf(pool);
    List<io.fabric8.kubernetes.api.model.Condition> conditions =
        new ArrayList<>(
            current == null || current.getConditions() == null
                ? List.of()
                : current.getConditions());
    boolean ready = !spec.allocator().segments().isEmpty();
    Conditions.set(
        conditions,
        InClusterApi.READY_CONDITION,
        ready,
        ready ? "Ready" : "InvalidSpec",
        ready ? "" : describePool() + ": " + spec.problem(),
        pool.getMetadata().getGeneration(),
        clock.instant());
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("ipAddresses", spec.handsOutPrefixes() ? prefixCounts(view) : addressCounts(view));
    status.put("conditions", conditions);
    ObjectWrites.patchStatus(client, pool, status);
    events.seen(
        client,
        clock,
        pool,
        key,
        new PoolEvents.Now(ready ? null : "InvalidSpec", spec.problem(), view.counts()),
        current == null || current.getConditions() == null
            ? null
            : Conditions.find(current.getConditions(), InClusterApi.READY_CONDITION)
                .filter(c -> "False".equals(c.getStatus()))
                .map(c -> c.getReason())
                .orElse(null));
  }

  /**
   * As upstream: used counts every address held, out of range ones included, and free is total -
   * used; but never below 0 (compat row 17).
   */
  private static Map<String, Object> addressCounts(PoolView view) {
    BigInteger used = view.counts().used().add(view.counts().outOfRange());
    return counts(
        view.counts().total(),
        used,
        view.counts().total().subtract(used),
        view.counts().outOfRange());
  }

  /** A prefix pool counts child prefixes ({@link InClusterPoolSpec#childCounts}). */
  private Map<String, Object> prefixCounts(PoolView view) {
    PoolCounts children =
        spec.childCounts(view.allocations().stream().map(a -> a.allocation().addresses()).toList());
    return counts(children.total(), children.used(), children.free(), children.outOfRange());
  }

  private static Map<String, Object> counts(
      BigInteger total, BigInteger used, BigInteger free, BigInteger outOfRange) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("total", capped(total));
    counts.put("used", capped(used));
    counts.put("free", capped(free.max(BigInteger.ZERO)));
    counts.put("outOfRange", capped(outOfRange));
    return counts;
  }

  private static long capped(BigInteger value) {
    return value.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }
}
