package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Review of the engine's pass (AllocationEngine.run): one deterministic test per defect found, each
 * failing on the code as reviewed. A pass that throws part way must leave every claim either
 * settled or looked at again (nothing stuck "being written", no decision held by nobody); room
 * freed by a placeholder wakes the claims that wait for room; an allocation is counted once, by the
 * writer whose write made it.
 */
class EngineReviewTest {
  private static final String IPCLAIM = "IPClaim";
  private static final PoolSpec SPEC = AllocationEngineTest.v4("10.0.0.1", "10.0.0.10");

  private final FakeClock clock = new FakeClock();
  private final InMemoryApi api = new InMemoryApi(clock);
  private final List<AutoCloseable> processes = new ArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Level engineLevel;

  @BeforeEach
  void listen() {
    Logger logger = (Logger) LoggerFactory.getLogger(AllocationEngine.class);
    engineLevel = logger.getLevel();
    logger.setLevel(Level.WARN);
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void close() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(AllocationEngine.class);
    logger.detachAppender(log);
    logger.setLevel(engineLevel);
    for (AutoCloseable process : processes) {
      process.close();
    }
  }

  // ---------------------------------------------------------------- a pass that throws part way

  /**
   * The binding throws while the pass decides for one claim (its Cluster's cache not synced, a
   * request it cannot read). Before: the exception left the pass after the dirty set was emptied
   * and after the older claim's decision was made but never sent: that claim stayed "being written"
   * for good (its address held by nobody) and the younger one was never looked at again.
   */
  @ParameterizedTest(name = "{0} throws")
  @ValueSource(strings = {"paused", "request"})
  void aClaimWhoseDecisionThrowsIsLoggedAndDeferredWhileTheOthersAreServed(String method) {
    Process process = process(SPEC, EngineListener.NONE);
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    process.binding.failFor(
        "b",
        method,
        () -> {
          throw new IllegalStateException("cache not synced");
        });

    process.guardedPass();

    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(addressShown("c")).isEqualTo("10.0.0.2");
    assertThat(api.claim(IPCLAIM, "b").orElseThrow().status()).isNull();
    assertThat(log.list)
        .anySatisfy(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .contains(Writer.POOL.toString())
                  .contains("IPClaim default/b")
                  .contains("cache not synced");
            });

    process.binding.heal();
    settle(process);
    assertThat(addressShown("b")).isEqualTo("10.0.0.3");
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  /**
   * A deleting claim whose deletion timestamp does not parse (the binding's releaseNotBefore
   * throws): before, the pass threw there and the claim created after it was never served.
   */
  @Test
  void anUnparsableDeletionTimestampDefersThatClaimOnlyAndItKeepsItsAddress() {
    Process process = process(SPEC, EngineListener.NONE);
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    settle(process);
    assertThat(addressShown("b")).isEqualTo("10.0.0.2");

    process.binding.failFor("b", "releaseNotBefore", () -> Instant.parse("yesterday"));
    api.deleteClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    process.informer.flush();
    process.guardedPass();

    assertThat(addressShown("c")).isEqualTo("10.0.0.3");
    assertThat(api.object(AllocationEngineTest.objectName("10.0.0.2")))
        .as("b keeps its address while its grace cannot be read")
        .isPresent();

    process.binding.heal();
    settle(process);
    assertThat(api.claim(IPCLAIM, "b")).isEmpty();
    assertThat(api.objects()).hasSize(2);
    assertEveryClaimShowsOnlyItsOwnObject();
  }

  /**
   * A write thread dies of an Error (a class that failed to load): its future completes
   * exceptionally. Before: joining it threw out of the pass before any write was settled, so every
   * claim of the batch stayed "being written" for good; b, whose commit died, was never served.
   */
  @Test
  void aWriteThatDiesOfAnErrorIsSettledAsAFailedWriteAndTheBatchIsNotStuck() {
    Process process = process(SPEC, EngineListener.NONE);
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    process.binding.failFor(
        "b",
        "commit",
        () -> {
          throw new NoClassDefFoundError("io/fabric8/Gone");
        });
    process.guardedPass();
    process.binding.heal();

    settle(process);

    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(addressShown("b")).isEqualTo("10.0.0.2");
    assertThat(addressShown("c")).isEqualTo("10.0.0.3");
    deleteAllAndSettle(process);
  }

  /**
   * Settling throws for the first write of the batch (here the metrics listener). Before: the
   * writes after it were never settled, their claims stayed "being written" for good, and their
   * deletion was never acted on (finalizers kept, objects leaked).
   */
  @Test
  void aSettleThatThrowsLeavesTheOtherWritesSettledAndEveryClaimReleasable() {
    AtomicBoolean thrown = new AtomicBoolean();
    EngineListener throwsOnce =
        new Silent() {
          @Override
          public void decided(PoolKey pool, String result, double seconds) {
            if (thrown.compareAndSet(false, true)) {
              throw new IllegalStateException("meter registry closed");
            }
          }
        };
    Process process = process(SPEC, throwsOnce);
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");
    process.informer.flush();
    assertThat(process.guardedPass()).isPresent();

    settle(process);
    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(addressShown("b")).isEqualTo("10.0.0.2");
    assertThat(addressShown("c")).isEqualTo("10.0.0.3");
    deleteAllAndSettle(process);
  }

  /**
   * An orphan's release dies of an Error. Before: the pass threw while joining it, and the orphan
   * stayed marked "being released" for good: never released, its address leaked.
   */
  @Test
  void anOrphanWhoseReleaseDiesIsReleasedOnALaterPass() {
    Process process = process(SPEC, EngineListener.NONE);
    api.createObject(
        AllocationEngineTest.objectName("10.0.0.7"), Ip.parse("10.0.0.7"), IPCLAIM, "z", "uid-z");
    process.binding.failFor(
        "z",
        "releaseOrphan",
        () -> {
          throw new NoClassDefFoundError("io/fabric8/Gone");
        });
    process.informer.flush();
    process.guardedPass();
    clock.advance(Writer.GRACE.plusSeconds(1));
    process.guardedPass();
    process.binding.heal();

    clock.advance(Writer.GRACE.plusSeconds(1));
    settle(process);

    assertThat(api.objects()).isEmpty();
  }

  // ---------------------------------------------------------------- placeholders

  /**
   * A placeholder (an address block another writer was seen to win) is cleared when the cache shows
   * the winner's object, which may hold less than the placeholder did. Before: the claims waiting
   * for room were not woken, and waited for the 30 s recheck.
   */
  @Test
  void roomFreedByClearingAPlaceholderWakesTheClaimsWaitingForRoom() {
    Writer writer = writer(AllocationEngineTest.v4("10.0.0.0", "10.0.0.2"));
    FakeClaim a = api.createClaim(IPCLAIM, "a");
    writer.binding.setRequest(
        a.uid(), new AllocationRequest.Block(31, BlockPlacement.LOWEST_ALIGNED));
    api.createClaim(IPCLAIM, "b");
    // Another writer holds 10.0.0.0 (of a claim this view does not know); not cached yet.
    api.createObject(
        AllocationEngineTest.objectName("10.0.0.0"), Ip.parse("10.0.0.0"), "Other", "x", "uid-x");
    writer.informer.flushClaims();
    writer.pass(); // a loses 10.0.0.0/31 (a placeholder now), b gets 10.0.0.2
    clock.advance(Duration.ofSeconds(1));
    writer.informer.flushClaims();
    writer.pass(); // a finds no free /31: waits
    api.createClaim(IPCLAIM, "c");
    writer.informer.flushClaims();
    writer.pass(); // c finds no free address: waits
    assertThat(api.claim(IPCLAIM, "c").orElseThrow().failure()).isNotNull();

    writer.informer.flushObjects(); // the winner's object holds 10.0.0.0 only: 10.0.0.1 is free
    clock.advance(Duration.ofSeconds(1));
    writer.pass();

    assertThat(addressShown("c")).isEqualTo("10.0.0.1");
  }

  // ---------------------------------------------------------------- counting allocations

  /**
   * Two writers on one ledger; the second one's cache lags and decides the claim the first one
   * already recorded (the same address: decisions are deterministic). Its commit finds the entry
   * and writes nothing. Before: it counted an allocation all the same (ipam_allocations twice for
   * one claim).
   */
  @Test
  void aCommitThatFindsTheClaimsEntryAlreadyRecordedIsNotCountedAsAnAllocation() {
    List<String> one = new CopyOnWriteArrayList<>();
    List<String> two = new CopyOnWriteArrayList<>();
    Writer first = ledgerWriter(one);
    Writer second = ledgerWriter(two);
    api.createClaim(IPCLAIM, "y");

    assertThat(first.flushAndPass().allocated()).isEqualTo(1);
    second.informer.flushClaims(); // not the ledger
    PassReport recognised = second.pass();

    assertThat(api.ledgerWrites()).as("the second writer wrote no entry").isEqualTo(1);
    assertThat(recognised.allocated()).isZero();
    assertThat(one).containsExactly("allocated");
    assertThat(two).isEmpty();
  }

  /**
   * Named reservation: this writer's commit landed, the cache never showed its object, and the
   * decision expired; the claim, looked at again, commits the same address and finds its own
   * object. That is the allocation counted once already, not a second one.
   */
  @Test
  void aCommitThatFindsItsOwnEarlierObjectIsNotCountedAgain() {
    List<String> heard = new CopyOnWriteArrayList<>();
    Writer writer = listenedWriter(heard);
    FakeClaim a = api.createClaim(IPCLAIM, "a");
    writer.informer.flushClaims();
    writer.pass();
    writer.informer.forgetQueued(); // a relist that missed the object

    clock.advance(AllocationEngine.PATIENCE.plusSeconds(1));
    writer.engine.claimTouched(Writer.POOL, a.uid());
    writer.pass();

    assertThat(writer.binding.calls("commit")).hasSize(2);
    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(heard).containsExactly("allocated");
  }

  /** A commit whose answer was lost, found on its retry: counted once, by that retry. */
  @Test
  void aCommitWhoseAnswerWasLostIsCountedOnceWhenItsRetryFindsIt() {
    List<String> heard = new CopyOnWriteArrayList<>();
    Writer writer = listenedWriter(heard);
    api.createClaim(IPCLAIM, "a");
    writer.binding.loseNextCreateResponse = true;
    writer.informer.flushClaims();
    writer.pass();
    clock.advance(Duration.ofSeconds(1));
    writer.informer.flushClaims();
    writer.pass();

    assertThat(writer.binding.calls("commit")).hasSize(2);
    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(heard).containsExactly("allocated");
  }

  // ---------------------------------------------------------------- helpers

  /** What a listener that only records commit results hears. */
  private abstract static class Silent implements EngineListener {
    @Override
    public void decided(PoolKey pool, String result, double seconds) {}

    @Override
    public void counted(PoolKey pool, PoolCounts counts) {}

    @Override
    public void forgotten(PoolKey pool) {}
  }

  private static EngineListener recording(List<String> heard) {
    return new Silent() {
      @Override
      public void decided(PoolKey pool, String result, double seconds) {
        heard.add(result);
      }
    };
  }

  private Writer writer(PoolSpec spec) {
    Writer writer = new Writer(api, clock, spec);
    processes.add(writer);
    return writer;
  }

  private Writer listenedWriter(List<String> heard) {
    Writer writer = Writer.withListener(api, clock, SPEC, recording(heard));
    processes.add(writer);
    return writer;
  }

  private Writer ledgerWriter(List<String> heard) {
    Writer writer = Writer.withLedger(api, clock, SPEC, recording(heard));
    processes.add(writer);
    return writer;
  }

  private Process process(PoolSpec spec, EngineListener listener) {
    Process process = new Process(spec, listener);
    processes.add(process);
    return process;
  }

  /** The address of the object claim {@code name} shows, checked to be its own (null: none). */
  private String addressShown(String name) {
    FakeClaim claim = api.claim(IPCLAIM, name).orElseThrow();
    if (claim.status() == null) {
      return null;
    }
    AddressObject object = api.object(claim.status()).orElseThrow();
    assertThat(object.ownerUid()).isEqualTo(claim.uid());
    return object.address().toString();
  }

  private void assertEveryClaimShowsOnlyItsOwnObject() {
    assertThat(api.violations()).isEmpty();
    Set<String> shown = new java.util.HashSet<>();
    for (FakeClaim claim : api.claims()) {
      if (claim.status() != null) {
        AddressObject object = api.object(claim.status()).orElseThrow();
        assertThat(object.ownerUid()).isEqualTo(claim.uid());
        assertThat(shown.add(object.name())).isTrue();
      }
    }
  }

  /** Every claim deleted: each is released (finalizer gone) and no object is left. */
  private void deleteAllAndSettle(Process process) {
    api.claims().forEach(claim -> api.deleteClaim(claim.kind(), claim.name()));
    settle(process);
    assertThat(api.claims()).as("claims left (finalizers never removed)").isEmpty();
    assertThat(api.objects()).as("objects left").isEmpty();
  }

  /**
   * Flushes and runs passes as the pool's reconciler does (a pass that throws runs again after
   * {@link PoolPasses#ERROR_RETRY}), moving the clock to each wake-up, until nothing is left to do
   * or 200 passes went by (the assertions after it tell what was left undone).
   */
  private void settle(Process process) {
    for (int i = 0; i < 200; i++) {
      process.informer.flush();
      Optional<Duration> next;
      try {
        next = process.engine.run(process.binding).retryAfter();
      } catch (RuntimeException e) {
        next = Optional.of(PoolPasses.ERROR_RETRY);
      }
      if (process.informer.pendingClaims() + process.informer.pendingObjects() == 0
          && next.isEmpty()) {
        return;
      }
      clock.advance(next.filter(d -> !d.isZero()).orElse(Duration.ofMillis(10)));
    }
  }

  /** One controller process whose binding can be made to throw. */
  private final class Process implements AutoCloseable {
    final AllocationEngine engine;
    final FakeInformer informer;
    final Faulty binding;

    Process(PoolSpec spec, EngineListener listener) {
      engine = new AllocationEngine(2, listener, clock, Writer.BACKOFF, Writer.GRACE);
      informer = new FakeInformer(engine, Writer.POOL, false);
      binding = new Faulty(new InMemoryBinding(api, Writer.POOL, clock, spec));
      api.watch(informer);
    }

    /** Flushes the cache, then a pass as PoolPasses.guarded runs it: what it threw, if anything. */
    Optional<RuntimeException> guardedPass() {
      informer.flush();
      try {
        engine.run(binding);
        return Optional.empty();
      } catch (RuntimeException e) {
        return Optional.of(e);
      }
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** The in-memory binding, but one method throws for one claim (by name) until healed. */
  private static final class Faulty implements PoolBinding<FakeClaim> {
    private final InMemoryBinding inner;
    private volatile String victim;
    private volatile String method;
    private volatile Runnable fault;

    Faulty(InMemoryBinding inner) {
      this.inner = inner;
    }

    /** {@code fault} runs (and throws) when {@code method} is called for the claim named so. */
    void failFor(String claimName, String method, Runnable fault) {
      this.victim = claimName;
      this.method = method;
      this.fault = fault;
    }

    void heal() {
      victim = null;
    }

    private void check(String called, String claimName) {
      if (called.equals(method) && claimName.equals(victim)) {
        fault.run();
      }
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
    public CommitStrategy strategy() {
      return inner.strategy();
    }

    @Override
    public boolean watchesClaimKind(String kind) {
      return inner.watchesClaimKind(kind);
    }

    @Override
    public boolean paused(FakeClaim claim) {
      check("paused", claim.name());
      return inner.paused(claim);
    }

    @Override
    public Optional<Instant> releaseNotBefore(FakeClaim claim) {
      check("releaseNotBefore", claim.name());
      return inner.releaseNotBefore(claim);
    }

    @Override
    public AllocationRequest request(FakeClaim claim) {
      check("request", claim.name());
      return inner.request(claim);
    }

    @Override
    public boolean showsAllocation(FakeClaim claim, Allocation allocation, List<Holding> held) {
      check("showsAllocation", claim.name());
      return inner.showsAllocation(claim, allocation, held);
    }

    @Override
    public CommitOutcome commit(FakeClaim claim, Allocation allocation) {
      check("commit", claim.name());
      return inner.commit(claim, allocation);
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
    public boolean release(FakeClaim claim, List<Holding> held, Optional<Allocation> uncached) {
      return inner.release(claim, held, uncached);
    }

    @Override
    public boolean releaseOrphan(Holding orphan) {
      check("releaseOrphan", orphan.claimName());
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
