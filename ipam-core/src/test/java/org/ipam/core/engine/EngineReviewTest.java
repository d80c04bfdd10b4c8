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
import java.util.concurrent.atomic.AtomicInteger;
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
   * The metrics listener throws for the first write of the batch. Before: settling threw there, the
   * writes after it were never settled, their claims stayed "being written" for good, and their
   * deletion was never acted on (finalizers kept, objects leaked). Now the listener is told after
   * settling, outside the pool's lock, and what it throws is logged: the pass goes on.
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
    assertThat(process.guardedPass()).isEmpty();
    assertThat(log.list)
        .anySatisfy(
            event -> assertThat(event.getFormattedMessage()).contains("meter registry closed"));

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

  // ---------------------------------------------------------------- second review (commit 66ad092)

  /**
   * The metrics listener throws an Error (a meter class that failed to load) for the first two
   * allocations of a batch. Before: settling called the listener under the pool's lock; the pass
   * threw, and recovering from it called the listener again for the next plan, which threw the same
   * Error out of the recovery: the claims after it stayed "being written" for good, and their
   * deletion was never acted on (finalizers kept, objects leaked). Now settling only changes state;
   * the listener is told after the lock is released, each call on its own, and what it throws is
   * logged.
   */
  @Test
  void aListenerThatThrowsAnErrorLeavesNoClaimBeingWrittenAndEveryClaimReleasable() {
    AtomicInteger calls = new AtomicInteger();
    EngineListener throwsTwice =
        new Silent() {
          @Override
          public void decided(PoolKey pool, String result, double seconds) {
            if (calls.incrementAndGet() <= 2) {
              throw new NoClassDefFoundError("io/micrometer/Gone");
            }
          }
        };
    Process process = process(SPEC, throwsTwice);
    api.createClaim(IPCLAIM, "a");
    api.createClaim(IPCLAIM, "b");
    api.createClaim(IPCLAIM, "c");

    process.informer.flush();
    assertThat(process.passCatchingAll()).as("what the pass threw").isEmpty();
    assertThat(log.list)
        .anySatisfy(
            event ->
                assertThat(event.getFormattedMessage())
                    .contains(Writer.POOL.toString())
                    .contains("io/micrometer/Gone"));

    settle(process);
    assertThat(claimsBeingWritten(process)).isEmpty();
    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(addressShown("b")).isEqualTo("10.0.0.2");
    assertThat(addressShown("c")).isEqualTo("10.0.0.3");
    deleteAllAndSettle(process);
  }

  /**
   * Our commit of 10.0.0.1 is refused (another writer holds it), and the listener throws when told
   * "lost". Before: the pass threw while settling that commit, and the recovery marked it "in
   * doubt" although it had been refused and rolled back; the claim's next commit, of 10.0.0.2,
   * found the object the other writer had made for it meanwhile and, being the "retry" of a commit
   * in doubt, counted a second allocation for the claim.
   */
  @Test
  void aRefusedCommitIsNeverLeftInDoubtSoTheClaimsNextCommitThatFindsItsObjectIsNotCounted() {
    List<String> one = new CopyOnWriteArrayList<>();
    AtomicBoolean thrown = new AtomicBoolean();
    EngineListener throwsOnLost =
        new Silent() {
          @Override
          public void decided(PoolKey pool, String result, double seconds) {
            one.add(result);
            if (result.equals("lost") && thrown.compareAndSet(false, true)) {
              throw new IllegalStateException("meter registry closed");
            }
          }
        };
    Process process = process(SPEC, throwsOnLost);
    List<String> two = new CopyOnWriteArrayList<>();
    Writer other = Writer.withListener(api, clock, SPEC, recording(two));
    processes.add(other);
    api.createObject(
        AllocationEngineTest.objectName("10.0.0.1"), Ip.parse("10.0.0.1"), "Other", "x", "uid-x");
    api.createClaim(IPCLAIM, "a");
    process.informer.flushClaims(); // x's object stays out of this cache
    process.passCatchingAll(); // a's commit of 10.0.0.1 is refused

    other.flushAndPass(); // the other writer serves a with 10.0.0.2
    assertThat(addressShown("a")).isEqualTo("10.0.0.2");
    clock.advance(Duration.ofSeconds(1));
    process.informer.flushClaims();
    process.passCatchingAll(); // our commit of 10.0.0.2 finds a's object

    assertThat(two).containsExactly("allocated");
    assertThat(one).containsExactly("lost");
  }

  /**
   * A StackOverflowError or a NoClassDefFoundError from the binding while the pass decides for one
   * claim. Before: only RuntimeExceptions cost that claim alone; an Error left the pass, the older
   * claim's decision was given back and the younger claim never looked at, on every retry: the
   * whole pool stalled for good.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"StackOverflowError", "NoClassDefFoundError"})
  void anErrorWhileDecidingForOneClaimDefersThatClaimOnlyAndThePoolGoesOn(String error) {
    Process process = process(SPEC, EngineListener.NONE);
    api.createClaim(IPCLAIM, "a");
    clock.advance(Duration.ofSeconds(1));
    api.createClaim(IPCLAIM, "b");
    clock.advance(Duration.ofSeconds(1));
    api.createClaim(IPCLAIM, "c");
    process.binding.failFor(
        "b",
        "request",
        () -> {
          throw error.equals("StackOverflowError")
              ? new StackOverflowError()
              : new NoClassDefFoundError("io/fabric8/Gone");
        });

    for (int i = 0; i < 5; i++) {
      process.informer.flush();
      process.passCatchingAll();
      clock.advance(PoolPasses.ERROR_RETRY);
    }

    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(addressShown("c")).isEqualTo("10.0.0.2");
    assertThat(api.claim(IPCLAIM, "b").orElseThrow().status()).isNull();
    process.binding.heal();
    settle(process);
    assertThat(addressShown("b")).isEqualTo("10.0.0.3");
    assertThat(claimsBeingWritten(process)).isEmpty();
  }

  /**
   * A placeholder for exactly the address the winner's object then shows frees nothing. Before:
   * clearing it woke every claim waiting for room, and each was decided again (one request() per
   * waiting claim, for every commit lost under contention).
   */
  @Test
  void clearingAPlaceholderThatTheWinnersObjectCoversExactlyWakesNoWaitingClaim() {
    Process process = process(AllocationEngineTest.v4("10.0.0.1", "10.0.0.2"), EngineListener.NONE);
    // Another writer's object on 10.0.0.1, not in this cache yet.
    api.createObject(
        AllocationEngineTest.objectName("10.0.0.1"), Ip.parse("10.0.0.1"), "Other", "x", "uid-x");
    api.createClaim(IPCLAIM, "a");
    process.informer.flushClaims();
    process.engine.run(process.binding); // a loses 10.0.0.1: a placeholder holds it
    clock.advance(Duration.ofSeconds(1));
    process.informer.flushClaims();
    process.engine.run(process.binding); // a gets 10.0.0.2: the pool is full
    for (int i = 0; i < 20; i++) {
      api.createClaim(IPCLAIM, "w" + i);
    }
    process.informer.flushClaims();
    process.engine.run(process.binding); // they all wait for room
    process.informer.flushClaims(); // their failure reports
    process.engine.run(process.binding);
    assertThat(api.claim(IPCLAIM, "w19").orElseThrow().failure()).contains("no free address");

    int before = process.binding.requests.get();
    process.informer.flushObjects(); // x's object: exactly the placeholder's address
    clock.advance(Duration.ofSeconds(1));
    process.engine.run(process.binding);

    assertThat(process.binding.requests.get() - before)
        .as("claims decided again although nothing was freed")
        .isZero();
  }

  /**
   * A ledger write lands but its answer is lost, and the pool's informer shows the entry before the
   * retry: the engine learns from its cache that the commit happened. Before: it cleared the commit
   * "in doubt" there and counted nothing (and the confirmation of the entry that followed is not a
   * new allocation): ipam_allocations_total missed the allocation. It is counted once, there.
   */
  @Test
  void aLedgerCommitWhoseAnswerWasLostAndWhichTheCacheThenShowsIsCountedOnce() {
    List<String> heard = new CopyOnWriteArrayList<>();
    AllocationEngine engine =
        new AllocationEngine(1, recording(heard), clock, Writer.BACKOFF, Writer.GRACE);
    processes.add(engine);
    FakeInformer informer = new FakeInformer(engine, Writer.POOL, false);
    api.watch(informer);
    LosesOneLedgerAnswer binding =
        new LosesOneLedgerAnswer(new InMemoryLedgerBinding(api, Writer.POOL, clock, SPEC));
    api.createClaim(IPCLAIM, "a");
    informer.flush();
    PassReport first = engine.run(binding);
    assertThat(first.allocated()).isZero();
    assertThat(api.ledgerWrites()).isEqualTo(1);

    int allocated = 0;
    for (int i = 0; i < 20; i++) {
      informer.flush(); // the entry reaches the cache before the retry
      PassReport report = engine.run(binding);
      allocated += report.allocated();
      if (report.retryAfter().isEmpty()) {
        break;
      }
      clock.advance(
          report.retryAfter().get().isZero() ? Duration.ofMillis(10) : report.retryAfter().get());
    }

    assertThat(addressShown("a")).isEqualTo("10.0.0.1");
    assertThat(api.ledgerWrites()).isEqualTo(1);
    assertThat(heard).containsExactly("allocated");
    assertThat(allocated).isEqualTo(1);
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

  /** The claims the engine holds as "being written" (a write in flight, or stuck). */
  private List<String> claimsBeingWritten(Process process) {
    return process.engine.inspect(
        Writer.POOL,
        state -> {
          List<String> writing = new ArrayList<>();
          for (PoolState.ClaimEntry<?> entry : state.claims().values()) {
            if (entry.writing) {
              writing.add(entry.facts.name());
            }
          }
          return writing;
        });
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

    /** A pass on the cache as it stands: whatever it threw, an Error too. */
    Optional<Throwable> passCatchingAll() {
      try {
        engine.run(binding);
        return Optional.empty();
      } catch (Throwable e) {
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

    /** How many times a claim's request was read (a claim decided). */
    final AtomicInteger requests = new AtomicInteger();

    @Override
    public AllocationRequest request(FakeClaim claim) {
      requests.incrementAndGet();
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

  /** The in-memory ledger binding, but the answer to its first ledger write is lost. */
  private static final class LosesOneLedgerAnswer implements LedgerBinding<FakeClaim> {
    private final InMemoryLedgerBinding inner;
    private final AtomicBoolean lose = new AtomicBoolean(true);

    LosesOneLedgerAnswer(InMemoryLedgerBinding inner) {
      this.inner = inner;
    }

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
          if (lose.compareAndSet(true, false)) {
            throw new IllegalStateException("timeout waiting for the answer to the ledger write");
          }
          return written;
        }

        @Override
        public long specGeneration() {
          return store.specGeneration();
        }
      };
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
