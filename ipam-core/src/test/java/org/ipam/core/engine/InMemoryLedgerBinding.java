package org.ipam.core.engine;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;

/**
 * A {@link LedgerBinding} over the {@link InMemoryApi}, shaped as the in-cluster provider's: the
 * commit point is the API's pool ledger, and each claim's address object is named after the claim
 * (so its name locks nothing), created after the commit. Reads, failures, adoption and stray
 * releases behave as in {@link InMemoryBinding}, which this binding delegates them to.
 */
final class InMemoryLedgerBinding implements LedgerBinding<FakeClaim> {
  private final InMemoryApi api;
  private final Clock clock;
  private final InMemoryBinding base;

  InMemoryLedgerBinding(InMemoryApi api, PoolKey pool, Clock clock, PoolSpec spec) {
    this.api = api;
    this.clock = clock;
    this.base = new InMemoryBinding(api, pool, clock, spec);
  }

  /** The claim's address object: named after the claim, as the in-cluster provider names it. */
  static String objectName(FakeClaim claim) {
    return claim.kind().toLowerCase(java.util.Locale.ROOT) + "-" + claim.name();
  }

  InMemoryBinding base() {
    return base;
  }

  @Override
  public LedgerStore ledger() {
    return new LedgerStore() {
      @Override
      public Ledger read() {
        return api.ledger();
      }

      @Override
      public Ledger write(Ledger base, List<LedgerEntry> entries) {
        return api.writeLedger(base.resourceVersion(), entries);
      }
    };
  }

  @Override
  public PoolKey pool() {
    return base.pool();
  }

  @Override
  public PoolSpec spec() {
    return base.spec();
  }

  @Override
  public boolean watchesClaimKind(String kind) {
    return base.watchesClaimKind(kind);
  }

  @Override
  public AllocationRequest request(FakeClaim claim) {
    return base.request(claim);
  }

  @Override
  public boolean showsAllocation(FakeClaim claim, Allocation allocation, List<Holding> held) {
    // The claim's status, as a real binding reads it: the object is not looked for, so that a
    // view in which another writer has released it recreates nothing.
    return claim.finalizers().contains(InMemoryBinding.FINALIZER)
        && objectName(claim).equals(claim.status());
  }

  @Override
  public void reportAllocated(FakeClaim claim, Allocation allocation, List<Holding> held) {
    String name = objectName(claim);
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
              Set.of(InMemoryBinding.FINALIZER),
              0));
    } catch (InMemoryApi.AlreadyExists e) {
      AddressObject existing = api.object(name).orElse(null);
      if (existing == null
          || !claim.uid().equals(existing.ownerUid())
          || !existing.address().equals(allocation.address())) {
        // An earlier incarnation's object, on its way out: reported once it is gone.
        throw new InMemoryApi.Conflict(name + " is not this claim's yet");
      }
    }
    if (!name.equals(claim.status()) || !claim.finalizers().contains(InMemoryBinding.FINALIZER)) {
      api.updateClaim(
          claim.kind(),
          claim.name(),
          claim.uid(),
          c -> c.withFinalizer(InMemoryBinding.FINALIZER).withStatus(name).withFailure(null));
    }
  }

  @Override
  public void reportFailed(FakeClaim claim, AllocationFailure failure) {
    base.reportFailed(claim, failure);
  }

  @Override
  public CommitOutcome adopt(FakeClaim claim, Holding handMade) {
    return base.adopt(claim, handMade);
  }

  @Override
  public boolean releaseObjects(FakeClaim claim, List<Holding> held) {
    base.deleteIfOwnedBy(objectName(claim), claim.uid());
    held.forEach(h -> base.deleteIfOwnedBy(h.object().name(), claim.uid()));
    return true;
  }

  @Override
  public void letGo(FakeClaim claim) {
    try {
      api.updateClaim(
          claim.kind(),
          claim.name(),
          claim.uid(),
          c -> c.withoutFinalizer(InMemoryBinding.FINALIZER));
    } catch (InMemoryApi.NotFound | InMemoryApi.Conflict e) {
      // Gone already (or another incarnation of the name): nothing of this claim is left.
    }
  }

  @Override
  public boolean claimIsGone(Holding entry) {
    return api.claimByUid(entry.claimUid()).isEmpty();
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    return base.releaseOrphan(orphan);
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    return base.releaseSurplus(surplus);
  }

  @Override
  public void reportPool(PoolView view) {
    base.reportPool(view);
  }

  Optional<AddressObject> objectOf(FakeClaim claim) {
    return api.object(objectName(claim));
  }
}
