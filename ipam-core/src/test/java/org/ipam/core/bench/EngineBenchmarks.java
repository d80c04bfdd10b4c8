package org.ipam.core.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.Backoff;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.CommitStrategy;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PoolBinding;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolView;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * The engine's cost goals (issue 10): a pass that serves one new claim in a pool holding 100,000
 * allocations, releasing 10,000 (and 20,000) claims at once, and the startup of a pool of 100,000
 * objects. The binding's writes are no-ops that answer at once, so what is measured is the engine:
 * its bookkeeping, the allocator and the hand-off of writes to its writer threads. {@link
 * BenchMain} runs them with {@code -Dbench.include=EngineBenchmarks}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineBenchmarks {
  static final int HELD = 100_000;
  static final PoolKey POOL = new PoolKey("bench", "default", "pool");
  static final PoolSpec SPEC = AllocatorBenchmarks.pool("10.0.0.0/8");
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** A claim as a dialect's cache would hand it to the engine. */
  public record BenchClaim(ClaimFacts facts, Holding holding) {}

  static BenchClaim claim(int i, boolean deleting) {
    String name = String.format("claim-%07d", i);
    String uid = String.format("0000-uid-%07d", i);
    Instant created = START.plusMillis(i);
    ClaimFacts facts =
        new ClaimFacts(new ClaimId("IPClaim", "default", name, uid), null, created, deleting);
    Holding holding =
        new Holding(
            new ObjectKey("IPAddress", "default", "pool-" + i),
            IpRange.single(Ip.v4(0x0A000001L + i)),
            "IPClaim",
            name,
            uid,
            created,
            false);
    return new BenchClaim(facts, holding);
  }

  /** A clock the benchmark moves: frozen, the status snapshot is throttled away. */
  static final class ManualClock extends Clock {
    volatile Instant now = START.plus(Duration.ofDays(1));

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * Writes that succeed at once and write nothing; every claim shows what it holds. The commit
   * remembers its allocation so that the benchmark can feed the object back as the cache would.
   */
  static final class NoopBinding implements PoolBinding<BenchClaim> {
    volatile Allocation lastCommitted;
    volatile PoolView lastView;

    @Override
    public PoolKey pool() {
      return POOL;
    }

    @Override
    public PoolSpec spec() {
      return SPEC;
    }

    @Override
    public CommitStrategy strategy() {
      return CommitStrategy.NAMED_RESERVATION;
    }

    @Override
    public boolean watchesClaimKind(String kind) {
      return true;
    }

    @Override
    public AllocationRequest request(BenchClaim claim) {
      return new AllocationRequest.AnyAddress();
    }

    @Override
    public boolean showsAllocation(BenchClaim claim, Allocation allocation, List<Holding> held) {
      return true;
    }

    @Override
    public CommitOutcome commit(BenchClaim claim, Allocation allocation) {
      lastCommitted = allocation;
      return new CommitOutcome.Committed();
    }

    @Override
    public void reportAllocated(BenchClaim claim, Allocation allocation, List<Holding> held) {}

    @Override
    public void reportFailed(BenchClaim claim, AllocationFailure failure) {}

    @Override
    public CommitOutcome adopt(BenchClaim claim, Holding handMade) {
      return new CommitOutcome.Committed();
    }

    @Override
    public boolean release(BenchClaim claim, List<Holding> held, Optional<Allocation> uncached) {
      return true;
    }

    @Override
    public boolean releaseOrphan(Holding orphan) {
      return true;
    }

    @Override
    public boolean releaseSurplus(Holding surplus) {
      return true;
    }

    @Override
    public void reportPool(PoolView view) {
      lastView = view;
    }
  }

  static AllocationEngine engine(Clock clock) {
    // The per-pass INFO line is the controller's business, not the engine's cost.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AllocationEngine.class))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    return new AllocationEngine(
        4, EngineListener.NONE, clock, Backoff.DEFAULT, AllocationEngine.ORPHAN_GRACE);
  }

  /** Feeds {@code claims} and their objects to the engine, then its first pass. */
  static PassReport start(AllocationEngine engine, NoopBinding binding, BenchClaim[] claims) {
    for (BenchClaim claim : claims) {
      engine.claimSeen(POOL, claim, claim.facts());
    }
    for (BenchClaim claim : claims) {
      engine.holdingSeen(POOL, claim.holding());
    }
    return engine.run(binding);
  }

  static BenchClaim[] claims(int from, int count, boolean deleting) {
    BenchClaim[] claims = new BenchClaim[count];
    for (int i = 0; i < count; i++) {
      claims[i] = claim(from + i, deleting);
    }
    return claims;
  }

  // ---------------------------------------------------------------- (a) one new claim

  /** A pool holding 100,000 allocations, each shown by its claim and its object. */
  @State(Scope.Thread)
  public static class Steady {
    /** More new claims than an iteration serves, made up front (names are not the engine's). */
    static final int NEW = 400_000;

    ManualClock clock;
    NoopBinding binding;
    AllocationEngine engine;
    BenchClaim[] fresh;
    int next;

    @Setup(Level.Trial)
    public void names() {
      fresh = claims(HELD, NEW, false);
    }

    @Setup(Level.Iteration)
    public void fill() {
      clock = new ManualClock();
      binding = new NoopBinding();
      engine = engine(clock);
      start(engine, binding, claims(0, HELD, false));
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() {
      engine.close();
    }

    /** One claim: its event, the pass that serves it, and its object coming back to the cache. */
    PassReport serveOne() {
      BenchClaim claim = fresh[next++];
      engine.claimSeen(POOL, claim, claim.facts());
      PassReport report = engine.run(binding);
      Allocation committed = binding.lastCommitted;
      engine.holdingSeen(
          POOL,
          new Holding(
              claim.holding().object(),
              committed.addresses(),
              "IPClaim",
              claim.facts().name(),
              claim.facts().uid(),
              clock.instant(),
              false));
      return report;
    }
  }

  /**
   * A pass that serves one new claim, the status snapshot held back (as it is for all but one pass
   * a second per pool).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public PassReport serveOneClaim(Steady state) {
    return state.serveOne();
  }

  /**
   * The same pass when it also takes the pool's status snapshot (at most once per {@link
   * AllocationEngine#STATUS_INTERVAL} per pool): every allocation walked.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public PassReport serveOneClaimWithStatus(Steady state) {
    state.clock.now = state.clock.now.plus(AllocationEngine.STATUS_INTERVAL);
    return state.serveOne();
  }

  // ---------------------------------------------------------------- (b) releasing many at once

  /** A pool whose {@code count} claims are all marked deleting, not yet released. */
  @State(Scope.Thread)
  public static class Deleting {
    @Param({"10000", "20000"})
    public int count;

    BenchClaim[] deleting;
    NoopBinding binding;
    AllocationEngine engine;

    @Setup(Level.Trial)
    public void claims() {
      deleting = EngineBenchmarks.claims(0, count, true);
    }

    @Setup(Level.Invocation)
    public void fill() {
      binding = new NoopBinding();
      engine = engine(new ManualClock());
      start(engine, binding, EngineBenchmarks.claims(0, count, false));
    }

    @TearDown(Level.Invocation)
    public void close() {
      engine.close();
    }
  }

  /** Every claim marked deleting (its event), then the one pass that releases them all. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 10, batchSize = 1)
  @Measurement(iterations = 25, batchSize = 1)
  public PassReport releaseAtOnce(Deleting state) {
    for (BenchClaim claim : state.deleting) {
      state.engine.claimSeen(POOL, claim, claim.facts());
    }
    return state.engine.run(state.binding);
  }

  /** The same, and then the cache's events for what the release deleted (claims and objects). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 10, batchSize = 1)
  @Measurement(iterations = 25, batchSize = 1)
  public PassReport releaseAtOnceAndForget(Deleting state) {
    PassReport report = releaseAtOnce(state);
    for (BenchClaim claim : state.deleting) {
      state.engine.claimGone(POOL, claim.facts().uid());
      state.engine.holdingGone(POOL, claim.holding().object());
    }
    return report;
  }

  // ---------------------------------------------------------------- (c) startup

  /** 100,000 objects (and their claims) as the informers list them at start. */
  @State(Scope.Thread)
  public static class Startup {
    @Param({"false", "true"})
    public boolean withClaims;

    BenchClaim[] claims;
    NoopBinding binding;
    AllocationEngine engine;

    @Setup(Level.Trial)
    public void claims() {
      claims = EngineBenchmarks.claims(0, HELD, false);
    }

    @Setup(Level.Invocation)
    public void fresh() {
      binding = new NoopBinding();
      engine = engine(new ManualClock());
    }

    @TearDown(Level.Invocation)
    public void close() {
      engine.close();
    }
  }

  /** A fresh pool fed 100,000 holdingSeen (and claimSeen) events, then its first pass. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 4, batchSize = 1)
  @Measurement(iterations = 10, batchSize = 1)
  public PassReport startup(Startup state) {
    if (state.withClaims) {
      for (BenchClaim claim : state.claims) {
        state.engine.claimSeen(POOL, claim, claim.facts());
      }
    }
    for (BenchClaim claim : state.claims) {
      state.engine.holdingSeen(POOL, claim.holding());
    }
    return state.engine.run(state.binding);
  }
}
