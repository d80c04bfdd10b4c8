package org.ipam.core.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;

/**
 * A {@link PoolBinding} that writes to the {@link InMemoryApi} with the contracts of the seam: the
 * commit creates an address object named after pool and address (the same name whatever kind of
 * claim it serves); on AlreadyExists it reads the object, which is ours only with the claim's uid
 * and not being deleted. Claim writes carry the claim's uid as a precondition. Every call is
 * recorded, and a test can make a write fail or lose its response.
 */
final class InMemoryBinding implements PoolBinding<FakeClaim> {
  static final String FINALIZER = "ipam.test/release";

  /** One call of a write method. */
  record Call(String method, String claimUid, String detail, Instant at) {}

  private final InMemoryApi api;
  private final PoolKey pool;
  private final Clock clock;
  private final Set<String> watchedKinds;
  private volatile PoolSpec spec;
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, AllocationRequest> requests = new ConcurrentHashMap<>();

  /** The next successful create throws after it is stored (its response is lost). */
  volatile boolean loseNextCreateResponse;

  /** When set, decides a commit's outcome instead of writing (null: write as usual). */
  volatile Function<FakeClaim, CommitOutcome> commitOverride;

  /** Runs at the start of every write method (for example to fence the engine mid-pass). */
  volatile Runnable beforeWrite = () -> {};

  private volatile PoolView lastView;

  InMemoryBinding(InMemoryApi api, PoolKey pool, Clock clock, PoolSpec spec) {
    this(api, pool, clock, spec, Set.of("IPClaim", "IPAddressClaim"));
  }

  InMemoryBinding(
      InMemoryApi api, PoolKey pool, Clock clock, PoolSpec spec, Set<String> watchedKinds) {
    this.api = api;
    this.pool = pool;
    this.clock = clock;
    this.spec = spec;
    this.watchedKinds = watchedKinds;
  }

  /** The object name that commits {@code address} in this pool: the same for every claim kind. */
  static String objectName(String poolName, Ip address) {
    return poolName + "-" + address.toString().replace('.', '-').replace(':', '-');
  }

  String objectName(Ip address) {
    return objectName(pool.name(), address);
  }

  void setSpec(PoolSpec newSpec) {
    this.spec = newSpec;
  }

  void setRequest(String claimUid, AllocationRequest request) {
    requests.put(claimUid, request);
  }

  PoolView lastView() {
    return lastView;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /** Every write method called so far, reportPool included. */
  synchronized int writeCalls() {
    return calls.size();
  }

  private synchronized void record(String method, String claimUid, String detail) {
    calls.add(new Call(method, claimUid, detail, clock.instant()));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public PoolKey pool() {
    return pool;
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
    return watchedKinds.contains(kind);
  }

  @Override
  public AllocationRequest request(FakeClaim claim) {
    return requests.getOrDefault(claim.uid(), new AllocationRequest.AnyAddress());
  }

  @Override
  public boolean showsAllocation(FakeClaim claim, Allocation allocation, List<Holding> held) {
    return claim.finalizers().contains(FINALIZER)
        && nameShown(allocation, held).equals(claim.status());
  }

  /** The object a claim is pointed at: its cached object, else the one the commit created. */
  private String nameShown(Allocation allocation, List<Holding> held) {
    return held.isEmpty() ? objectName(allocation.address()) : held.get(0).object().name();
  }

  // ---------------------------------------------------------------- writes

  @Override
  public CommitOutcome commit(FakeClaim claim, Allocation allocation) {
    beforeWrite.run();
    record("commit", claim.uid(), allocation.addresses().toString());
    Function<FakeClaim, CommitOutcome> override = commitOverride;
    if (override != null) {
      CommitOutcome outcome = override.apply(claim);
      if (outcome != null) {
        return outcome;
      }
    }
    String name = objectName(allocation.address());
    try {
      api.createObject(
          new AddressObject(
              name,
              InMemoryApi.NAMESPACE,
              allocation.address(),
              claim.kind(),
              claim.name(),
              claim.uid(),
              clock.instant(),
              false,
              Set.of(FINALIZER),
              0));
    } catch (InMemoryApi.AlreadyExists e) {
      Optional<AddressObject> existing = api.object(name);
      if (existing.isEmpty()) {
        // Deleted between our create and our read: nobody holds it now, decide again.
        return new CommitOutcome.Conflict();
      }
      AddressObject object = existing.get();
      if (claim.uid().equals(object.ownerUid()) && !object.deleting()) {
        return CommitOutcome.Committed.found();
      }
      return new CommitOutcome.Taken(
          name + " is held by " + object.claimKind() + " " + object.claimName(),
          FakeInformer.holding(object));
    }
    if (loseNextCreateResponse) {
      loseNextCreateResponse = false;
      throw new IllegalStateException("connection reset: the response to creating " + name);
    }
    return new CommitOutcome.Committed();
  }

  @Override
  public void reportAllocated(FakeClaim claim, Allocation allocation, List<Holding> held) {
    beforeWrite.run();
    String name = nameShown(allocation, held);
    record("reportAllocated", claim.uid(), name);
    api.updateClaim(
        claim.kind(),
        claim.name(),
        claim.uid(),
        c -> c.withFinalizer(FINALIZER).withStatus(name).withFailure(null));
  }

  @Override
  public void reportFailed(FakeClaim claim, AllocationFailure failure) {
    beforeWrite.run();
    record("reportFailed", claim.uid(), failure.message());
    api.updateClaim(claim.kind(), claim.name(), claim.uid(), c -> c.withFailure(failure.message()));
  }

  @Override
  public CommitOutcome adopt(FakeClaim claim, Holding handMade) {
    beforeWrite.run();
    String name = handMade.object().name();
    record("adopt", claim.uid(), name);
    Optional<AddressObject> found = api.object(name);
    if (found.isEmpty()) {
      return new CommitOutcome.Conflict();
    }
    AddressObject object = found.get();
    if (object.ownerUid() != null) {
      return claim.uid().equals(object.ownerUid())
          ? new CommitOutcome.Committed()
          : new CommitOutcome.Taken(name + " has an owner", FakeInformer.holding(object));
    }
    try {
      api.updateObject(
          name,
          object.resourceVersion(),
          o -> o.withOwnerUid(claim.uid()).withFinalizer(FINALIZER));
    } catch (InMemoryApi.Conflict e) {
      return new CommitOutcome.Conflict();
    }
    return new CommitOutcome.Committed();
  }

  @Override
  public boolean release(FakeClaim claim, List<Holding> held, Optional<Allocation> uncached) {
    beforeWrite.run();
    record(
        "release",
        claim.uid(),
        held.stream().map(h -> h.object().name()).toList()
            + uncached.map(a -> " uncached " + a.addresses()).orElse(""));
    for (Holding holding : held) {
      deleteIfOwnedBy(holding.object().name(), claim.uid());
    }
    uncached.ifPresent(a -> deleteIfOwnedBy(objectName(a.address()), claim.uid()));
    try {
      api.updateClaim(claim.kind(), claim.name(), claim.uid(), c -> c.withoutFinalizer(FINALIZER));
    } catch (InMemoryApi.NotFound | InMemoryApi.Conflict e) {
      // Gone already (or another incarnation of the name): nothing of this claim is left.
    }
    return true;
  }

  /** Deletes the object only if it is this claim's: never one of another claim of the name. */
  void deleteIfOwnedBy(String name, String uid) {
    Optional<AddressObject> object = api.object(name);
    if (object.isEmpty() || !uid.equals(object.get().ownerUid())) {
      return;
    }
    removeFinalizerAndDelete(object.get());
  }

  private void removeFinalizerAndDelete(AddressObject object) {
    try {
      if (object.finalizers().contains(FINALIZER)) {
        object =
            api.updateObject(
                object.name(), object.resourceVersion(), o -> o.withoutFinalizer(FINALIZER));
      }
      if (api.object(object.name()).isPresent()) {
        api.deleteObject(object.name());
      }
    } catch (InMemoryApi.NotFound e) {
      // Someone else deleted it first.
    }
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    beforeWrite.run();
    record("releaseOrphan", orphan.claimUid(), orphan.object().name());
    if (api.claimByUid(orphan.claimUid()).isPresent()) {
      return false;
    }
    Optional<AddressObject> object = api.object(orphan.object().name());
    if (object.isPresent() && orphan.claimUid().equals(object.get().ownerUid())) {
      removeFinalizerAndDelete(object.get());
    }
    return true;
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    beforeWrite.run();
    record("releaseSurplus", surplus.claimUid(), surplus.object().name());
    Optional<AddressObject> object = api.object(surplus.object().name());
    if (object.isEmpty() || !surplus.claimUid().equals(object.get().ownerUid())) {
      return false;
    }
    removeFinalizerAndDelete(object.get());
    return true;
  }

  /** When set, reportPool throws it (a status write the API server did not take). */
  volatile RuntimeException reportFailure;

  @Override
  public void reportPool(PoolView view) {
    beforeWrite.run();
    RuntimeException failure = reportFailure;
    if (failure != null) {
      record("reportPool", null, "failed");
      throw failure;
    }
    record("reportPool", null, view.counts().toString());
    lastView = view;
  }
}
