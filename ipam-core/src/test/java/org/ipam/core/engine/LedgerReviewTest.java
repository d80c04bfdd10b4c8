package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Review of the versioned-ledger commit strategy (commit 7b994b5): one deterministic test per
 * defect found. Each test states what it shows; every one of them fails on the code as reviewed.
 */
class LedgerReviewTest {
  private static Level engineLevel;

  private final FakeClock clock = new FakeClock();
  private final InMemoryApi api = new InMemoryApi(clock);
  private final List<Harness> harnesses = new ArrayList<>();

  @BeforeAll
  static void quiet() {
    Logger logger = (Logger) LoggerFactory.getLogger(AllocationEngine.class);
    engineLevel = logger.getLevel();
    logger.setLevel(Level.ERROR);
  }

  @AfterAll
  static void loud() {
    ((Logger) LoggerFactory.getLogger(AllocationEngine.class)).setLevel(engineLevel);
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    harnesses.forEach(Harness::close);
  }

  // Defects a cold review found, each failing before its fix (the comments say how it happened).

  /**
   * The release order (objects, then the ledger entry) is not kept for a surplus: a claim's second
   * entry and its second object are released concurrently and independently, so when the object's
   * delete fails (any API error), the entry goes anyway. The object of a live claim then holds an
   * address the ledger calls free, and a writer whose object cache lags (it checks the ledger, as
   * designed) hands it to another claim: two live claims' objects on one address. The duplicate
   * entry comes from a hand-edited ledger (two entries of one claim); the engine's own pick of the
   * claim's "primary" also favours the entry over the object the claim is shown (entries carry the
   * time they were seen, here EPOCH, not a creation time).
   */
  @Test
  void aSurplusEntryIsNotRemovedWhileTheSurplusObjectOnItsAddressRemains() {
    PoolSpec spec = AllocationEngineTest.v4("10.0.0.1", "10.0.0.2");
    FakeClaim x = api.createClaim("IPClaim", "x");
    api.createObject("ipclaim-x", Ip.parse("10.0.0.2"), "IPClaim", "x", x.uid());
    api.updateClaim(
        "IPClaim",
        "x",
        x.uid(),
        c -> c.withFinalizer(InMemoryBinding.FINALIZER).withStatus("ipclaim-x"));
    // Hand-edited: the ledger records x twice, at .1 and at .2 (its object's address).
    api.writeLedger(
        api.ledger().resourceVersion(),
        List.of(
            LedgerEntry.of(x.id(), IpRange.single(Ip.parse("10.0.0.1"))),
            LedgerEntry.of(x.id(), IpRange.single(Ip.parse("10.0.0.2")))));

    Harness one =
        new Harness(
            spec,
            1,
            inner ->
                new Delegating(inner) {
                  @Override
                  public boolean releaseSurplus(Holding surplus) {
                    throw new InMemoryApi.Forbidden("the delete of " + surplus.object().name());
                  }
                });
    one.flushAndPass();
    clock.advance(Duration.ofSeconds(11)); // the surplus grace (a third of the orphan grace)
    one.flushAndPass();
    one.flushAndPass();

    // A second writer whose cache of address objects lags: it decides from the ledger.
    FakeClaim y = api.createClaim("IPClaim", "y");
    Harness two = new Harness(spec, 1);
    two.informer.flushClaims();
    two.informer.flushLedger();
    two.pass();

    assertThat(liveObjectsSharingAnAddress())
        .as(
            "objects of live claims on one address (ledger now %s; x=%s y=%s)",
            api.ledger().entries(), x.uid(), y.uid())
        .isEmpty();
  }

  /**
   * A hand-made object is adopted (made a claim's own) before the ledger is asked: the Adopt write
   * goes straight to the object, and only a later Record checks the ledger. Under split brain, a
   * writer whose object cache lags gives the address to another claim in the ledger meanwhile; the
   * Record is then Taken on every retry, forever (a warning each time, the claim never served, no
   * way out without a human), and the adopted object (owned by a live claim) and the other claim's
   * object hold one address for good. Recording (or checking the ledger) before the adoption would
   * leave the hand-made object ownerless and the claim pending.
   */
  @Test
  void aHandMadeObjectIsNotAdoptedIntoAnAddressTheLedgerGivesAnotherClaim() {
    PoolSpec spec = AllocationEngineTest.v4("10.0.0.1", "10.0.0.1");
    FakeClaim y = api.createClaim("IPClaim", "y");
    clock.advance(Duration.ofSeconds(1));
    FakeClaim x = api.createClaim("IPClaim", "x");
    api.createObject("hand-x", Ip.parse("10.0.0.1"), "IPClaim", "x", null);

    Harness one = new Harness(spec, 1);
    one.flushAndPass(); // x adopts hand-x; y finds no room
    assertThat(api.object("hand-x").orElseThrow().ownerUid()).isEqualTo(x.uid());

    Harness two = new Harness(spec, 1);
    two.informer.flushClaims();
    two.informer.flushLedger();
    two.pass(); // its object cache lags: y gets 10.0.0.1 in the ledger

    for (int round = 0; round < 120; round++) {
      for (Harness writer : List.of(one, two)) {
        writer.flushAndPass();
      }
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(liveObjectsSharingAnAddress())
        .as("objects of live claims on one address (ledger %s)", api.ledger().entries())
        .isEmpty();
    assertThat(y.uid()).isNotEqualTo(x.uid());
  }

  /**
   * Metrics: every retry of a commit whose report failed (CommittedNotShown), and every re-check of
   * an entry the claim does not show yet (the "confirm" Commit), is settled as a new allocation:
   * tally.allocated and listener.decided("allocated", latency) count one claim's one allocation
   * once per retry. Here an earlier incarnation's object in the way makes the report fail for 20 s
   * (until the orphan grace ends): one allocation is counted about once per backoff.
   */
  @Test
  void oneAllocationIsCountedOnceHoweverOftenItsReportIsRetried() {
    api.createClaim("IPClaim", "a");
    // An earlier incarnation's object, named after the claim: the report fails until it goes.
    api.createObject("ipclaim-a", Ip.parse("10.0.0.9"), "IPClaim", "a", "uid-earlier");
    Harness writer = new Harness(AllocationEngineTest.v4("10.0.0.1", "10.0.0.40"), 1);
    int allocated = 0;
    for (int i = 0; i < 20; i++) {
      allocated += writer.flushAndPass().allocated();
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(api.ledger().entries()).hasSize(1);
    assertThat(allocated).as("allocations counted for one claim's one allocation").isEqualTo(1);
  }

  /**
   * Fencing: a release's last step (the claim's finalizer, {@link LedgerBinding#letGo}) is sent
   * although the engine was fenced before it started; every other step checks the fence. The
   * PoolBinding contract says write methods are never called after the engine was fenced.
   */
  @Test
  void nothingIsWrittenOnceTheEngineIsFenced() {
    AtomicBoolean fenceOnNextRemoval = new AtomicBoolean();
    AtomicInteger writesAfterFence = new AtomicInteger();
    Harness[] self = new Harness[1];
    Harness writer =
        new Harness(
            AllocationEngineTest.v4("10.0.0.1", "10.0.0.40"),
            1,
            inner ->
                new Delegating(inner) {
                  @Override
                  public LedgerStore ledger() {
                    LedgerStore store = inner.ledger();
                    return new LedgerStore() {
                      @Override
                      public Ledger read() {
                        return store.read();
                      }

                      @Override
                      public Ledger write(Ledger base, List<LedgerEntry> entries) {
                        Ledger written = store.write(base, entries);
                        if (fenceOnNextRemoval.get() && entries.size() < base.entries().size()) {
                          self[0].engine.fence(); // the Lease is lost right after this write
                        }
                        return written;
                      }
                    };
                  }

                  @Override
                  public void letGo(FakeClaim claim) {
                    if (self[0].engine.isFenced()) {
                      writesAfterFence.incrementAndGet();
                    }
                    super.letGo(claim);
                  }
                });
    self[0] = writer;
    api.createClaim("IPClaim", "a");
    for (int i = 0; i < 3; i++) {
      writer.flushAndPass();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(api.claim("IPClaim", "a").orElseThrow().status()).isNotNull();

    fenceOnNextRemoval.set(true);
    api.deleteClaim("IPClaim", "a");
    writer.flushAndPass();

    assertThat(api.ledger().entries()).isEmpty();
    assertThat(writesAfterFence.get()).as("writes sent after the engine was fenced").isZero();
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Objects whose owners are live (not deleting) claims, sharing an address: address -> names. */
  private Map<Ip, List<String>> liveObjectsSharingAnAddress() {
    Set<String> live = new HashSet<>();
    api.claims().stream().filter(c -> !c.deleting()).forEach(c -> live.add(c.uid()));
    Map<Ip, List<String>> byAddress = new HashMap<>();
    for (AddressObject object : api.objects()) {
      if (object.ownerUid() != null && live.contains(object.ownerUid())) {
        byAddress
            .computeIfAbsent(object.address(), k -> new ArrayList<>())
            .add(object.name() + "(" + object.ownerUid() + ")");
      }
    }
    // Two objects of one claim on its own address (its own and an adopted one) share nothing.
    byAddress
        .values()
        .removeIf(
            names -> names.stream().map(n -> n.substring(n.indexOf('('))).distinct().count() < 2);
    return byAddress;
  }

  /** One controller process: an engine, its cache, and a (possibly wrapped) ledger binding. */
  private final class Harness implements AutoCloseable {
    final AllocationEngine engine;
    final FakeInformer informer;
    final LedgerBinding<FakeClaim> binding;

    Harness(PoolSpec spec, int threads) {
      this(spec, threads, inner -> inner);
    }

    Harness(
        PoolSpec spec,
        int threads,
        java.util.function.Function<InMemoryLedgerBinding, LedgerBinding<FakeClaim>> wrap) {
      engine =
          new AllocationEngine(threads, EngineListener.NONE, clock, Writer.BACKOFF, Writer.GRACE);
      informer = new FakeInformer(engine, Writer.POOL, false);
      binding = wrap.apply(new InMemoryLedgerBinding(api, Writer.POOL, clock, spec));
      api.watch(informer);
      harnesses.add(this);
    }

    PassReport pass() {
      return engine.run(binding);
    }

    PassReport flushAndPass() {
      informer.flush();
      return pass();
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** A ledger binding that does what the in-memory one does, for tests to change one method. */
  private static class Delegating implements LedgerBinding<FakeClaim> {
    final InMemoryLedgerBinding inner;

    Delegating(InMemoryLedgerBinding inner) {
      this.inner = inner;
    }

    @Override
    public LedgerStore ledger() {
      return inner.ledger();
    }

    @Override
    public PoolKey pool() {
      return inner.pool();
    }

    @Override
    public PoolSpec spec() {
      return inner.spec();
    }

    @Override
    public boolean watchesClaimKind(String kind) {
      return inner.watchesClaimKind(kind);
    }

    @Override
    public AllocationRequest request(FakeClaim claim) {
      return inner.request(claim);
    }

    @Override
    public boolean showsAllocation(FakeClaim claim, Allocation allocation, List<Holding> held) {
      return inner.showsAllocation(claim, allocation, held);
    }

    @Override
    public void reportAllocated(FakeClaim claim, Allocation allocation, List<Holding> held) {
      inner.reportAllocated(claim, allocation, held);
    }

    @Override
    public void reportFailed(FakeClaim claim, AllocationFailure failure) {
      inner.reportFailed(claim, failure);
    }

    @Override
    public CommitOutcome adopt(FakeClaim claim, Holding handMade) {
      return inner.adopt(claim, handMade);
    }

    @Override
    public boolean releaseObjects(FakeClaim claim, List<Holding> held) {
      return inner.releaseObjects(claim, held);
    }

    @Override
    public void letGo(FakeClaim claim) {
      inner.letGo(claim);
    }

    @Override
    public boolean claimIsGone(Holding entry) {
      return inner.claimIsGone(entry);
    }

    @Override
    public boolean releaseOrphan(Holding orphan) {
      return inner.releaseOrphan(orphan);
    }

    @Override
    public boolean releaseSurplus(Holding surplus) {
      return inner.releaseSurplus(surplus);
    }

    @Override
    public void reportPool(PoolView view) {
      inner.reportPool(view);
    }
  }
}
