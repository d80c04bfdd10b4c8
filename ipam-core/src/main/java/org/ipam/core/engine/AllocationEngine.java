package org.ipam.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.engine.PoolState.ClaimEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every dialect's allocations go through here, so no dialect has commit logic of its own.
 *
 * <p>The engine keeps, per pool, what the informers showed ({@link #claimSeen}, {@link
 * #holdingSeen} and their {@code Gone} counterparts: each object is read once per change, not on
 * every pass) and what this process wrote that the cache does not show yet. A pass, for one pool:
 * (1) under the pool's lock, with no I/O, decide for the claims that changed, oldest first; each
 * decision occupies its addresses at once, so a concurrent pass cannot hand them out. (2) With no
 * lock held, send the batch's writes concurrently: commits, status reports, adoptions, releases.
 * (3) Under the lock again, roll back every decision whose commit did not succeed. An allocation
 * counts only once its commit write, which a competing writer cannot also win, has succeeded; the
 * allocator is a cache of the API server, never the other way round.
 *
 * <p>Claims are known by uid. Any object that holds addresses keeps them occupied while it exists,
 * whoever made it; only the claim whose uid it carries is ever shown it. Pools run in parallel; one
 * pool's decisions are serialised by its lock. After {@link #fence()} nothing more is written.
 */
public final class AllocationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationEngine.class);

  /** How long a write of ours may stay unseen by the cache before the engine forgets it. */
  public static final Duration PATIENCE = Duration.ofMinutes(2);

  /** How long an object's claim must have been gone before the object is released. */
  public static final Duration ORPHAN_GRACE = Duration.ofSeconds(30);

  /**
   * After a claim's allocation was written and reported, how long a pass that finds its claim still
   * unchanged in the cache waits before it reports again: the cache shows the claim's new status a
   * moment after the write answers, and a pass that ran in between (woken by the address object's
   * event or the pool's) reported it a second time, a write that fails (the object exists) and a
   * status written twice (seen for 1 claim in 10 served one at a time). A view that shows it in
   * time costs nothing; one that does not is reported again after this.
   */
  public static final Duration VIEW_CATCH_UP = Duration.ofSeconds(1);

  /** The pool's status is written at most this often (a burst costs one write per interval). */
  public static final Duration STATUS_INTERVAL = Duration.ofSeconds(1);

  /**
   * After a pool's status could not be written, a pass comes back this much later to write it again
   * (the reliability campaign found a Metal3 pool's status.indexes stale for minutes after an API
   * server outage: no later event came to the pool).
   */
  public static final Duration STATUS_RETRY = Duration.ofSeconds(5);

  /** The longest wait between two tries of a pool status that keeps failing. */
  public static final Duration STATUS_RETRY_CAP = Duration.ofMinutes(5);

  /**
   * How often claims that wait for room are looked at again even if this view saw nothing freed (a
   * safety net: a freed address is normally seen at once), by the first pass after it; the
   * dialects' reconcilers run a pass at least that often. A recheck that finds the pool still full
   * writes nothing: the claim already says why it waits.
   */
  public static final Duration WAITING_RECHECK = Duration.ofSeconds(30);

  private final Map<PoolKey, PoolState<?>> states = new ConcurrentHashMap<>();
  private final Map<PoolKey, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<PoolKey, Reporting> reporting = new ConcurrentHashMap<>();
  private final ExecutorService writers;
  private final EngineListener listener;
  private final Clock clock;
  private final Backoff backoff;
  private final Duration orphanGrace;

  /**
   * How long a claim's second object stays before it is released. Shorter than the orphan grace:
   * the binding never releases one the claim's status still names, so this only covers a consumer
   * that read a status that has moved since; and in a full pool another claim waits for it.
   */
  private final Duration surplusGrace;

  private volatile boolean fenced;

  /**
   * @param writeThreads how many writes may be in flight at once, over all pools
   */
  public AllocationEngine(int writeThreads, EngineListener listener) {
    this(writeThreads, listener, Clock.systemUTC(), Backoff.DEFAULT, ORPHAN_GRACE);
  }

  public AllocationEngine(
      int writeThreads,
      EngineListener listener,
      Clock clock,
      Backoff backoff,
      Duration orphanGrace) {
    this.listener = listener;
    this.clock = clock;
    this.backoff = backoff;
    this.orphanGrace = orphanGrace;
    this.surplusGrace = orphanGrace.dividedBy(3);
    AtomicInteger counter = new AtomicInteger();
    this.writers =
        Executors.newFixedThreadPool(
            writeThreads,
            task -> {
              Thread thread = new Thread(task, "ipam-writer-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  // ---------------------------------------------------------------- events from the informers

  /** A claim of this pool was added or changed (deleting ones included). */
  public <C> void claimSeen(PoolKey pool, C claim, ClaimFacts facts) {
    this.<C>underLock(pool, state -> state.claimSeen(claim, facts));
  }

  /**
   * Looks at a claim again in the pool's next pass, as its informer last showed it (a change the
   * dialect knows of but the claim's own object does not show, such as its Cluster unpaused). A uid
   * the engine does not know is ignored: a claim that went meanwhile is not brought back.
   */
  public void claimTouched(PoolKey pool, String uid) {
    underLock(pool, state -> state.markDirty(uid));
  }

  /** A claim of this pool is gone from the API. */
  public void claimGone(PoolKey pool, String uid) {
    underLock(pool, state -> state.claimGone(uid));
  }

  /** An object that holds addresses of this pool was added or changed. */
  public void holdingSeen(PoolKey pool, Holding holding) {
    underLock(pool, state -> state.holdingSeen(holding));
  }

  /** An object that held addresses of this pool is gone from the API. */
  public void holdingGone(PoolKey pool, ObjectKey object) {
    underLock(pool, state -> state.holdingGone(object));
  }

  @SuppressWarnings("unchecked")
  private <C> void underLock(PoolKey pool, java.util.function.Consumer<PoolState<C>> change) {
    ReentrantLock lock = lockOf(pool);
    lock.lock();
    try {
      change.accept((PoolState<C>) states.computeIfAbsent(pool, PoolState::new));
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lockOf(PoolKey pool) {
    return locks.computeIfAbsent(pool, key -> new ReentrantLock());
  }

  // ---------------------------------------------------------------- fencing

  /**
   * Stops every write from now on (a process that lost its Lease): writes not yet sent are dropped,
   * passes decide nothing. Writes already on the wire cannot be called back; their commit points
   * still make them safe against the new leader's.
   */
  public void fence() {
    fenced = true;
    LOG.warn("engine fenced: no more writes from this process");
  }

  public boolean isFenced() {
    return fenced;
  }

  // ---------------------------------------------------------------- a pass

  /** The last status report of a pool: what it showed, and when. */
  private static final class Reporting {
    long changeCount = -1;
    Instant at = Instant.MIN;
    int failures;
  }

  private sealed interface Plan<C> {
    ClaimEntry<C> entry();
  }

  /**
   * @param fresh whether it commits a new decision (counted as an allocation once it lands), not a
   *     ledger entry confirmed again before the claim's object is made
   */
  private record Commit<C>(
      ClaimEntry<C> entry, Allocation allocation, long startNanos, boolean fresh)
      implements Plan<C> {}

  private record Report<C>(ClaimEntry<C> entry, Allocation allocation, List<Holding> held)
      implements Plan<C> {}

  /**
   * A ledger binding's claim holds an allocation through its objects only (made before the ledger
   * knew it, as by the controller this one replaces): record it in the ledger, no other write.
   */
  private record Record<C>(ClaimEntry<C> entry, Allocation allocation) implements Plan<C> {}

  private record ReportFailure<C>(ClaimEntry<C> entry, AllocationFailure failure)
      implements Plan<C> {}

  private record Adopt<C>(ClaimEntry<C> entry, Holding handMade) implements Plan<C> {}

  private record Release<C>(ClaimEntry<C> entry, List<Holding> held, Optional<Allocation> uncached)
      implements Plan<C> {}

  /** A commit that succeeded, whose report to the claim did not: tried again after a backoff. */
  private record CommittedNotShown(CommitOutcome.Committed committed) {}

  /** What one write came to, applied to the pool's state under its lock. */
  private record Result<C>(Plan<C> plan, Object outcome) {}

  /**
   * What one pass has under way, so that a pass that throws part way (a binding, the listener, a
   * write thread) leaves nothing behind: {@link #recover} settles each write that went out, gives
   * up each plan that did not, and hands back what the pass took.
   */
  private static final class InFlight<C> {
    PoolState<C> state;

    /** The claims the pass took from the dirty set, and how many of them it has looked at. */
    List<ClaimEntry<C>> taken = List.of();

    int looked;
    final List<Plan<C>> plans = new ArrayList<>();

    /** Each completes normally with its plan's result ({@link #guarded}). */
    final List<CompletableFuture<Result<C>>> writes = new ArrayList<>();

    final java.util.Set<ClaimEntry<C>> settled =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** The write being settled, while it is: one whose settling threw is given up. */
    Result<C> settling;

    /** How many listener calls the tally held before {@link #settling} began. */
    int settlingMark;

    /** What the pass counted, and what it tells the listener once the lock is released. */
    final Tally tally = new Tally();

    final List<Holding> orphans = new ArrayList<>();
    final List<Holding> surplus = new ArrayList<>();

    /** One per orphan, then one per surplus holding, as far as they were handed out. */
    final List<CompletableFuture<Boolean>> strayWrites = new ArrayList<>();

    LedgerStrays ledgerStrays;
    boolean straysSettled;

    List<Holding> strays() {
      List<Holding> strays = new ArrayList<>(orphans);
      strays.addAll(surplus);
      return strays;
    }
  }

  /**
   * One pass over the pool: decide, write, roll back what failed, report the pool. A pass that
   * throws leaves the pool's state as one that wrote nothing would (see {@link #recover}), so the
   * reconciler's retry ({@link PoolPasses#guarded}) starts from the truth.
   */
  public <C> PassReport run(PoolBinding<C> binding) {
    if (fenced) {
      return PassReport.idle();
    }
    InFlight<C> flight = new InFlight<>();
    try {
      return pass(binding, flight);
    } catch (RuntimeException | Error e) {
      try {
        recover(binding.pool(), flight);
      } catch (RuntimeException | Error again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private <C> PassReport pass(PoolBinding<C> binding, InFlight<C> flight) {
    PoolKey pool = binding.pool();
    ReentrantLock lock = lockOf(pool);
    // Strays not released in this pass: ledger entries whose claim's objects are still there (an
    // entry goes only after its objects, so that every address object has its entry), and second
    // addresses of paused claims. Each is looked at again after another grace.
    java.util.Set<ObjectKey> notNow = new java.util.HashSet<>();
    Instant now = clock.instant();
    Instant wake = null;
    PoolState<C> state;
    lock.lock();
    try {
      state = (PoolState<C>) states.computeIfAbsent(pool, PoolState::new);
      flight.state = state;
      state.follow(binding.spec(), binding.roundRobinCursor());
      state.resumed();
      wake = earliest(wake, state.expire(now, PATIENCE).orElse(null));
      java.util.function.Predicate<String> watched = kind -> watches(binding, kind);
      flight.orphans.addAll(state.orphansDue(now, orphanGrace, watched));
      for (Holding orphan : flight.orphans) {
        if (LedgerEntry.isEntry(orphan)
            && state.objectsOf(orphan.claimUid()).stream()
                .anyMatch(held -> !LedgerEntry.isEntry(held))) {
          notNow.add(orphan.object());
        }
      }
      wake = earliest(wake, state.nextOrphanDue(orphanGrace, watched).orElse(null));
      state.touchSurplusDue(now, surplusGrace);
      state.recheckWaitingIfDue(now, WAITING_RECHECK);
      flight.taken = state.takeDirty(now);
      for (ClaimEntry<C> entry : flight.taken) {
        wake = earliest(wake, planSafely(binding, state, entry, now, flight.plans, flight.tally));
        flight.looked++;
      }
      flight.surplus.addAll(state.surplusDue(now, surplusGrace));
      for (Holding extra : flight.surplus) {
        // A paused claim's second address stays until it is unpaused (release included).
        ClaimEntry<C> holder = state.claims().get(extra.claimUid());
        if (holder != null && pausedOrUnsure(binding, holder.claim)) {
          notNow.add(extra.object());
          continue;
        }
        // A second entry goes only after the claim's object on the same addresses (objects first).
        if (LedgerEntry.isEntry(extra)
            && state.objectsHolding(extra.claimUid(), extra.addresses()).stream()
                .anyMatch(held -> !LedgerEntry.isEntry(held))) {
          notNow.add(extra.object());
        }
      }
      wake = earliest(wake, state.nextSurplusDue(surplusGrace).orElse(null));
    } finally {
      lock.unlock();
    }

    if (binding instanceof LedgerBinding<C> ledgerBinding) {
      new LedgerWrites<>(ledgerBinding).send(flight.plans, flight.writes);
      flight.ledgerStrays = new LedgerStrays(ledgerBinding);
    } else {
      for (Plan<C> plan : flight.plans) {
        flight.writes.add(
            guarded(plan, CompletableFuture.supplyAsync(() -> write(binding, plan), writers)));
      }
    }
    for (Holding orphan : flight.orphans) {
      flight.strayWrites.add(releaseLater(binding, flight.ledgerStrays, orphan, false, notNow));
    }
    for (Holding extra : flight.surplus) {
      flight.strayWrites.add(releaseLater(binding, flight.ledgerStrays, extra, true, notNow));
    }
    if (flight.ledgerStrays != null) {
      flight.ledgerStrays.send();
    }
    CompletableFuture.allOf(flight.writes.toArray(CompletableFuture[]::new)).join();
    CompletableFuture.allOf(flight.strayWrites.toArray(CompletableFuture[]::new)).join();

    Tally tally = flight.tally;
    PoolView view = null;
    PoolState.Pending pending = null;
    lock.lock();
    try {
      Instant settled = clock.instant();
      for (CompletableFuture<Result<C>> write : flight.writes) {
        Result<C> result = write.join();
        flight.settling = result;
        flight.settlingMark = tally.events.size();
        wake = earliest(wake, settle(state, result, settled, tally));
        flight.settled.add(result.plan().entry());
        flight.settling = null;
      }
      List<Holding> strays = flight.strays();
      for (int i = 0; i < strays.size(); i++) {
        state.orphanReleased(strays.get(i).object(), flight.strayWrites.get(i).join(), settled);
      }
      flight.straysSettled = true;
      if (!strays.isEmpty()) {
        // Each is looked at again after another grace unless the cache shows it gone.
        wake = earliest(wake, settled.plus(flight.surplus.isEmpty() ? orphanGrace : surplusGrace));
      }
      Reporting last = reporting.computeIfAbsent(pool, key -> new Reporting());
      if (state.changeCount() != last.changeCount) {
        Instant next = last.at.plus(STATUS_INTERVAL);
        if (next.isAfter(settled)) {
          wake = earliest(wake, next);
        } else {
          view = state.view();
          pending = state.pending(claim -> pausedOrUnsure(binding, claim));
          last.changeCount = view.changeCount();
          last.at = settled;
        }
      }
      if (state.hasDirty()) {
        wake = earliest(wake, settled);
      }
    } finally {
      lock.unlock();
    }
    tell(pool, tally);
    if (view != null && !fenced) {
      Duration retry = reportPool(binding, view);
      if (retry != null) {
        // Nothing else may come to this pool (its last claims served during an API server
        // outage): its status is tried again on its own, or it stays stale until the next event.
        wake = earliest(wake, clock.instant().plus(retry));
      }
      PoolView reported = view;
      PoolState.Pending waiting = pending;
      tell(pool, () -> listener.counted(pool, reported.counts()));
      tell(pool, () -> listener.pending(pool, waiting.claims(), waiting.oldestCreated()));
    }
    if (tally.allocated + tally.released + tally.failed + tally.lost > 0) {
      LOG.info(
          "pass dialect={} pool={} allocated={} released={} failed={} lost={}",
          pool.dialect(),
          pool,
          tally.allocated,
          tally.released,
          tally.failed,
          tally.lost);
    }
    Optional<Duration> retryAfter =
        wake == null
            ? Optional.empty()
            : Optional.of(
                Duration.between(clock.instant(), wake).isNegative()
                    ? Duration.ZERO
                    : Duration.between(clock.instant(), wake));
    return new PassReport(tally.allocated, tally.failed, tally.released, retryAfter);
  }

  /**
   * After a pass threw part way: each write that went out is waited for and settled; a plan that
   * did not go out, or whose settling threw, is given up ({@link #abandon}); claims the pass took
   * but never looked at are dirty again; strays it took are handed back. Nothing stays "being
   * written", and no decision stays held by nobody, whatever settling throws: every plan's claim is
   * let go first, and each plan is settled on its own.
   */
  private <C> void recover(PoolKey pool, InFlight<C> flight) {
    PoolState<C> state = flight.state;
    if (state == null) {
      return;
    }
    if (flight.ledgerStrays != null) {
      flight.ledgerStrays.cancelUnsent();
    }
    // Outside the lock, as in a pass: the writes may still be on the wire.
    Map<ClaimEntry<C>, Result<C>> results = new java.util.IdentityHashMap<>();
    for (CompletableFuture<Result<C>> write : flight.writes) {
      Result<C> result = write.join();
      results.put(result.plan().entry(), result);
    }
    List<Boolean> released = flight.strayWrites.stream().map(CompletableFuture::join).toList();
    Tally tally = flight.tally;
    Throwable fatal = null;
    ReentrantLock lock = lockOf(pool);
    lock.lock();
    try {
      Instant now = clock.instant();
      for (Plan<C> plan : flight.plans) {
        ClaimEntry<C> entry = plan.entry();
        if (!flight.settled.contains(entry)) {
          entry.writing = false;
          if (entry.touchedWhileWriting) {
            entry.touchedWhileWriting = false;
            state.markDirty(entry.facts.uid());
          }
        }
      }
      for (ClaimEntry<C> entry : flight.taken.subList(flight.looked, flight.taken.size())) {
        state.markDirty(entry.facts.uid());
      }
      int givenUp = 0;
      if (flight.settling != null) {
        // What its settling queued for the listener goes with it: the retry tells it, if anything.
        tally.events.subList(flight.settlingMark, tally.events.size()).clear();
        abandon(state, flight.settling.plan(), flight.settling.outcome());
        flight.settled.add(flight.settling.plan().entry());
        givenUp++;
      }
      for (Plan<C> plan : flight.plans) {
        if (flight.settled.contains(plan.entry())) {
          continue;
        }
        Result<C> result = results.get(plan.entry());
        int mark = tally.events.size();
        try {
          if (result != null) {
            settle(state, result, now, tally);
            continue;
          }
        } catch (Throwable e) {
          tally.events.subList(mark, tally.events.size()).clear();
          fatal = PoolPasses.isFatal(e) && fatal == null ? e : fatal;
          LOG.debug("pool={} {}: not settled: {}", pool, plan.entry().facts.describe(), e);
        }
        try {
          abandon(state, plan, result == null ? null : result.outcome());
        } catch (Throwable e) {
          fatal = PoolPasses.isFatal(e) && fatal == null ? e : fatal;
          LOG.debug("pool={} {}: not given up: {}", pool, plan.entry().facts.describe(), e);
        }
        givenUp++;
      }
      if (!flight.straysSettled) {
        List<Holding> strays = flight.strays();
        for (int i = 0; i < strays.size(); i++) {
          if (i < released.size()) {
            state.orphanReleased(strays.get(i).object(), released.get(i), now);
          } else {
            state.strayNotReleased(strays.get(i).object());
          }
        }
      }
      if (givenUp > 0) {
        LOG.warn(
            "pool={} pass failed part way: {} of its {} plans given up, looked at again",
            pool,
            givenUp,
            flight.plans.size());
      }
    } finally {
      lock.unlock();
    }
    tell(pool, tally);
    if (fatal != null) {
      throw (Error) fatal;
    }
  }

  /**
   * A plan the pass made but did not settle: its claim is looked at again in the next pass. {@code
   * outcome} is what its write came to, null if it never went out. A commit that never went out
   * gives its decision back (unless it retried a commit in doubt, which stays so); one that may
   * have been written (no answer, or committed) stays held as a commit in doubt, whose retry
   * commits the same allocation and so finds what it wrote; one that was refused or failed is
   * rolled back, as settling it would have, and is not in doubt: a stale doubt would make a later
   * commit that finds the claim's allocation (another writer's) count it.
   */
  private <C> void abandon(PoolState<C> state, Plan<C> plan, Object outcome) {
    ClaimEntry<C> entry = plan.entry();
    entry.writing = false;
    entry.touchedWhileWriting = false;
    if (plan instanceof Commit<C> commit) {
      if (outcome == null) {
        if (!entry.commitInDoubt) {
          state.rollBack(entry.facts.uid());
        }
      } else if (outcome instanceof RuntimeException
          || outcome instanceof CommitOutcome.Committed
          || outcome instanceof CommittedNotShown) {
        // Counted when it turns out to have happened, if its settling would have counted it.
        CommitOutcome.Committed committed =
            outcome instanceof CommittedNotShown notShown
                ? notShown.committed()
                : outcome instanceof CommitOutcome.Committed c ? c : null;
        boolean uncounted =
            commit.fresh()
                && (committed == null
                    || committed.written()
                    || (entry.commitInDoubt && entry.inDoubtUncounted));
        inDoubt(entry, commit, uncounted);
      } else {
        entry.commitInDoubt = false;
        entry.inDoubtUncounted = false;
        state.rollBack(entry.facts.uid());
      }
    }
    state.markDirty(entry.facts.uid());
  }

  /** A commit that may have happened: held, and committed again by the claim's next try. */
  private static <C> void inDoubt(ClaimEntry<C> entry, Commit<C> commit, boolean uncounted) {
    if (!entry.commitInDoubt) {
      entry.inDoubtSinceNanos = commit.startNanos();
    }
    entry.commitInDoubt = true;
    entry.inDoubtUncounted = uncounted;
  }

  /**
   * Plans for one claim. A binding that throws for it (a cache not synced, a timestamp that does
   * not parse, an Error short of the JVM failing) costs that claim alone: logged, nothing of it
   * planned, looked at again after a backoff; the pass goes on with the others.
   */
  private <C> Instant planSafely(
      PoolBinding<C> binding,
      PoolState<C> state,
      ClaimEntry<C> entry,
      Instant now,
      List<Plan<C>> plans,
      Tally tally) {
    if (entry.planThrew && now.isBefore(entry.notBefore)) {
      state.defer(entry.facts.uid());
      return entry.notBefore;
    }
    boolean writing = entry.writing;
    int planned = plans.size();
    try {
      if (!entry.writing && !entry.facts.deleting() && !binding.paused(entry.claim)) {
        state.resolveSurplus(entry.facts.uid(), now);
      }
      Instant due = plan(binding, state, entry, now, plans, tally);
      entry.planThrew = false;
      return due;
    } catch (Throwable e) {
      // An Error too (a StackOverflowError, a class that failed to load): it fails the same way on
      // every pass, and must not stall the pool's other claims (PoolPasses.isFatal).
      // plan() holds a decision and adds its plan only after the last call that may throw.
      plans.subList(planned, plans.size()).clear();
      entry.writing = writing;
      if (PoolPasses.isFatal(e)) {
        // The JVM is failing (the Deployment exits on OutOfMemoryError): at least leave no claim
        // marked as being written, which expiry would never clear.
        throw (Error) e;
      }
      entry.planThrew = true;
      LOG.warn(
          "pool={} {}: not decided, looked at again later: {}",
          state.pool(),
          entry.facts.describe(),
          e.toString());
      return retryLater(state, entry, now);
    }
  }

  /**
   * Whether a claim is paused, asked outside its own plan (its second address, the pending count):
   * a binding that throws counts as paused, so nothing is released for the claim meanwhile; its own
   * plan logs the failure.
   */
  private static <C> boolean pausedOrUnsure(PoolBinding<C> binding, C claim) {
    try {
      return binding.paused(claim);
    } catch (Throwable e) {
      if (PoolPasses.isFatal(e)) {
        throw (Error) e;
      }
      return true;
    }
  }

  /** Whether the binding watches a claim kind; one that throws leaves the kind's orphans alone. */
  private static boolean watches(PoolBinding<?> binding, String kind) {
    try {
      return binding.watchesClaimKind(kind);
    } catch (Throwable e) {
      if (PoolPasses.isFatal(e)) {
        throw (Error) e;
      }
      LOG.debug("pool={}: kind {} taken as not watched: {}", binding.pool(), kind, e.toString());
      return false;
    }
  }

  /**
   * A write's result whatever happens on its thread: anything thrown there, an Error too (a class
   * that failed to load), is settled as a write that failed, so that the pass goes on.
   */
  private static <C> CompletableFuture<Result<C>> guarded(
      Plan<C> plan, CompletableFuture<Result<C>> write) {
    return write.handle(
        (result, thrown) -> thrown == null ? result : new Result<>(plan, asFailure(thrown)));
  }

  private static RuntimeException asFailure(Throwable thrown) {
    Throwable cause =
        thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    return cause instanceof RuntimeException e
        ? e
        : new IllegalStateException(cause.toString(), cause);
  }

  /** Decides what to do for one claim; returns when it should be looked at again, if it should. */
  private <C> Instant plan(
      PoolBinding<C> binding,
      PoolState<C> state,
      ClaimEntry<C> entry,
      Instant now,
      List<Plan<C>> plans,
      Tally tally) {
    ClaimFacts facts = entry.facts;
    String uid = facts.uid();
    if (entry.writing) {
      // Another pass writes for it right now; when that write settles, the claim is looked at
      // again.
      entry.touchedWhileWriting = true;
      return null;
    }
    if (binding.paused(entry.claim)) {
      // Paused: nothing for it, not even a release; it comes back when it or its Cluster changes.
      return null;
    }
    if (facts.deleting()) {
      Optional<Instant> grace = binding.releaseNotBefore(entry.claim);
      if (grace.isPresent() && now.isBefore(grace.get())) {
        // Its addresses stay its own until the grace ends; the pass then comes back for it.
        state.defer(uid);
        return grace.get();
      }
      entry.writing = true;
      Optional<Allocation> uncached =
          state.isUncached(uid) ? state.allocationOf(uid) : Optional.empty();
      List<Holding> objects =
          state.objectsOf(uid).stream().filter(h -> !LedgerEntry.isEntry(h)).toList();
      plans.add(new Release<>(entry, objects, uncached));
      return null;
    }
    Optional<Allocation> held = state.allocationOf(uid);
    if (held.isPresent() && entry.commitInDoubt) {
      if (state.isUncached(uid)) {
        if (now.isBefore(entry.notBefore)) {
          state.defer(uid);
          return entry.notBefore;
        }
        entry.writing = true;
        // The retry counts what it finds only if the unanswered commit was a new decision.
        plans.add(new Commit<>(entry, held.get(), System.nanoTime(), entry.inDoubtUncounted));
        return null;
      }
      // The cache shows its object (or ledger entry) before the retry: the commit did happen, and
      // this is where it is counted; the confirmation that may follow is not a new decision.
      entry.commitInDoubt = false;
      if (entry.inDoubtUncounted) {
        entry.inDoubtUncounted = false;
        countAllocated(
            state.pool(),
            entry,
            held.get(),
            (System.nanoTime() - entry.inDoubtSinceNanos) / 1e9,
            tally);
      }
    }
    if (held.isPresent()) {
      List<Holding> objects = state.objectsHolding(uid, held.get().addresses());
      if (binding instanceof LedgerBinding<C>
          && !state.isUncached(uid)
          && objects.stream().noneMatch(LedgerEntry::isEntry)) {
        entry.writing = true;
        plans.add(new Record<>(entry, held.get()));
        return null;
      }
      objects = objects.stream().filter(h -> !LedgerEntry.isEntry(h)).toList();
      if (!binding.showsAllocation(entry.claim, held.get(), objects)) {
        Instant due =
            entry.notBefore.isAfter(entry.reportedUntil) ? entry.notBefore : entry.reportedUntil;
        if (now.isBefore(due)) {
          state.defer(uid);
          return due;
        }
        entry.writing = true;
        if (binding instanceof LedgerBinding<C> && objects.isEmpty() && !state.isUncached(uid)) {
          // The report would create the claim's object from what may be a stale view (another
          // writer may have released the entry since): the ledger confirms the entry first.
          plans.add(new Commit<>(entry, held.get(), System.nanoTime(), false));
        } else {
          plans.add(new Report<>(entry, held.get(), objects));
        }
      }
      return null;
    }
    if (state.heldOutside(uid).isPresent()) {
      // It holds addresses the pool cannot place (another family, a clash): they stay its own,
      // reported on the pool, until the claim goes.
      return null;
    }
    if (now.isBefore(entry.notBefore)) {
      state.defer(uid);
      return entry.notBefore;
    }
    Optional<Holding> handMade = state.handMadeFor(facts);
    if (handMade.isPresent()) {
      entry.writing = true;
      plans.add(new Adopt<>(entry, handMade.get()));
      return null;
    }
    AllocationResult result;
    Optional<ClaimFacts> keyHolder =
        facts.reservationKey() == null
            ? Optional.empty()
            : state.reservationHolder(facts.reservationKey());
    if (keyHolder.isPresent() && !keyHolder.get().uid().equals(uid)) {
      result =
          new AllocationFailure.InvalidRequest(
              "claim name \""
                  + facts.reservationKey()
                  + "\" is already served by "
                  + keyHolder.get().describe()
                  + " from this pool, which keys allocations by claim name");
    } else {
      result =
          binding
              .request(entry.claim)
              .decide(
                  state.allocator(),
                  uid,
                  facts.reservationKey() == null ? uid : facts.reservationKey());
    }
    if (result instanceof Allocation allocation) {
      state.hold(facts, allocation, now);
      entry.writing = true;
      plans.add(new Commit<>(entry, allocation, System.nanoTime(), true));
      return null;
    }
    AllocationFailure failure = (AllocationFailure) result;
    if (failure instanceof AllocationFailure.AddressTaken taken) {
      // The allocator knows holders by slot (a claim's uid): a user wants the claim's name.
      failure =
          new AllocationFailure.AddressTaken(taken.address(), state.describeHolder(taken.holder()));
    }
    state.markWaiting(uid);
    if (!failure.message().equals(entry.lastFailure)) {
      entry.writing = true;
      plans.add(new ReportFailure<>(entry, failure));
    }
    return null;
  }

  // ---------------------------------------------------------------- writes (no lock held)

  private <C> Result<C> write(PoolBinding<C> binding, Plan<C> plan) {
    if (fenced) {
      return new Result<>(plan, new CommitOutcome.Failed("fenced"));
    }
    C claim = plan.entry().claim;
    try {
      Object outcome;
      if (plan instanceof Commit<C> commit) {
        outcome = commitAndReport(binding, commit);
      } else if (plan instanceof Report<C> report) {
        binding.reportAllocated(claim, report.allocation(), report.held());
        outcome = Boolean.TRUE;
      } else if (plan instanceof ReportFailure<C> failed) {
        binding.reportFailed(claim, failed.failure());
        outcome = Boolean.TRUE;
      } else if (plan instanceof Adopt<C> adopt) {
        outcome = binding.adopt(claim, adopt.handMade());
      } else {
        Release<C> release = (Release<C>) plan;
        outcome = binding.release(claim, release.held(), release.uncached());
      }
      return new Result<>(plan, outcome);
    } catch (RuntimeException e) {
      return new Result<>(plan, e);
    }
  }

  private <C> Object commitAndReport(PoolBinding<C> binding, Commit<C> commit) {
    Object outcome;
    try {
      outcome = binding.commit(commit.entry().claim, commit.allocation());
    } catch (RuntimeException e) {
      outcome = e;
    }
    return afterCommit(binding, commit, outcome);
  }

  /**
   * Reports a commit's outcome to its claim: the allocation once committed, the message of a
   * failure. {@code outcome} is a {@link CommitOutcome}, or the exception of a write that got no
   * answer (the commit may have happened or not: settled as a commit in doubt, not as a failure).
   */
  private <C> Object afterCommit(PoolBinding<C> binding, Commit<C> commit, Object outcome) {
    C claim = commit.entry().claim;
    if (outcome instanceof RuntimeException e) {
      if (!fenced) {
        reportQuietly(
            binding,
            commit.entry(),
            new AllocationFailure.InvalidRequest(String.valueOf(e.getMessage())));
      }
      return e;
    }
    if (outcome instanceof CommitOutcome.Committed committed && !fenced) {
      try {
        binding.reportAllocated(claim, commit.allocation(), List.of());
      } catch (RuntimeException e) {
        // Committed all the same; reported again after a backoff (nothing else may touch the
        // claim: an earlier incarnation's object in the way goes without an event of this claim).
        LOG.debug(
            "pool={} {}: status after commit not written: {}",
            binding.pool(),
            commit.entry().facts.describe(),
            e.toString());
        return new CommittedNotShown(committed);
      }
    } else if (outcome instanceof CommitOutcome.Failed failed && !fenced) {
      reportQuietly(
          binding, commit.entry(), new AllocationFailure.InvalidRequest(failed.message()));
    }
    return outcome;
  }

  private <C> void reportQuietly(
      PoolBinding<C> binding, ClaimEntry<C> entry, AllocationFailure failure) {
    if (failure.message().equals(entry.lastFailure)) {
      return;
    }
    try {
      binding.reportFailed(entry.claim, failure);
    } catch (RuntimeException e) {
      LOG.debug("pool={} {}: failure not reported: {}", binding.pool(), entry.facts.describe(), e);
    }
  }

  /**
   * The writes of one pass for a {@link LedgerBinding}: the pass's commits (and records) in one
   * ledger write, then each committed claim reported; releases in three steps (each claim's
   * objects, one ledger write for all of them, each claim's finalizer); everything else as for any
   * binding.
   */
  private final class LedgerWrites<C> {
    private final LedgerBinding<C> binding;

    LedgerWrites(LedgerBinding<C> binding) {
      this.binding = binding;
    }

    /** Sends the plans' writes, each added to {@code writes} as soon as it is under way. */
    void send(List<Plan<C>> plans, List<CompletableFuture<Result<C>>> writes) {
      List<Plan<C>> toRecord = new ArrayList<>();
      List<Release<C>> releases = new ArrayList<>();
      for (Plan<C> plan : plans) {
        if (plan instanceof Commit<C> || plan instanceof Record<C>) {
          toRecord.add(plan);
        } else if (plan instanceof Release<C> release) {
          releases.add(release);
        } else if (plan instanceof Adopt<C> adopt) {
          writes.add(guarded(plan, CompletableFuture.supplyAsync(() -> adopt(adopt), writers)));
        } else {
          writes.add(
              guarded(plan, CompletableFuture.supplyAsync(() -> write(binding, plan), writers)));
        }
      }
      if (!toRecord.isEmpty()) {
        CompletableFuture<Map<String, Object>> recorded =
            CompletableFuture.supplyAsync(() -> record(toRecord), writers);
        for (Plan<C> plan : toRecord) {
          writes.add(
              guarded(
                  plan, recorded.thenApplyAsync(outcomes -> reported(plan, outcomes), writers)));
        }
      }
      if (!releases.isEmpty()) {
        writes.addAll(release(releases));
      }
    }

    /**
     * An object made by hand becomes the claim's only once the ledger records its addresses for the
     * claim: another writer may have given them to someone else meanwhile.
     */
    private Result<C> adopt(Adopt<C> adopt) {
      if (fenced) {
        return new Result<>(adopt, new CommitOutcome.Failed("fenced"));
      }
      try {
        CommitOutcome recorded =
            LedgerCommits.record(
                    binding.pool(),
                    binding.ledger(),
                    List.of(
                        new LedgerCommits.Pending(
                            adopt.entry().facts.id(), adopt.handMade().addresses())))
                .get(adopt.entry().facts.uid());
        if (!(recorded instanceof CommitOutcome.Committed)) {
          return new Result<>(adopt, recorded);
        }
      } catch (RuntimeException e) {
        return new Result<>(adopt, e);
      }
      return write(binding, adopt);
    }

    /** One ledger write for the batch: the outcome per claim uid, or the write's exception. */
    private Map<String, Object> record(List<Plan<C>> batch) {
      Map<String, Object> outcomes = new java.util.HashMap<>();
      if (fenced) {
        batch.forEach(p -> outcomes.put(uidOf(p), new CommitOutcome.Failed("fenced")));
        return outcomes;
      }
      List<LedgerCommits.Pending> pending = new ArrayList<>();
      for (Plan<C> plan : batch) {
        Allocation allocation =
            plan instanceof Commit<C> commit
                ? commit.allocation()
                : ((Record<C>) plan).allocation();
        pending.add(new LedgerCommits.Pending(plan.entry().facts.id(), allocation.addresses()));
      }
      try {
        outcomes.putAll(LedgerCommits.record(binding.pool(), binding.ledger(), pending));
      } catch (RuntimeException e) {
        batch.forEach(p -> outcomes.put(uidOf(p), e));
      }
      return outcomes;
    }

    private Result<C> reported(Plan<C> plan, Map<String, Object> outcomes) {
      Object outcome = outcomes.get(uidOf(plan));
      if (plan instanceof Commit<C> commit) {
        return new Result<>(plan, afterCommit(binding, commit, outcome));
      }
      return new Result<>(plan, outcome);
    }

    private List<CompletableFuture<Result<C>>> release(List<Release<C>> releases) {
      List<CompletableFuture<Object>> objectsGone = new ArrayList<>();
      for (Release<C> release : releases) {
        objectsGone.add(
            CompletableFuture.supplyAsync(
                () -> {
                  if (fenced) {
                    return new CommitOutcome.Failed("fenced");
                  }
                  try {
                    return binding.releaseObjects(release.entry().claim, release.held());
                  } catch (RuntimeException e) {
                    return e;
                  }
                },
                writers));
      }
      CompletableFuture<Object> entriesGone =
          CompletableFuture.allOf(objectsGone.toArray(CompletableFuture[]::new))
              .thenApplyAsync(
                  done -> {
                    java.util.Set<String> uids = new java.util.HashSet<>();
                    for (int i = 0; i < releases.size(); i++) {
                      if (Boolean.TRUE.equals(objectsGone.get(i).join())) {
                        uids.add(uidOf(releases.get(i)));
                      }
                    }
                    if (uids.isEmpty() || fenced) {
                      return Boolean.FALSE;
                    }
                    try {
                      return LedgerCommits.remove(
                          binding.ledger(), e -> uids.contains(e.claimUid()));
                    } catch (RuntimeException e) {
                      return e;
                    }
                  },
                  writers);
      List<CompletableFuture<Result<C>>> results = new ArrayList<>();
      for (int i = 0; i < releases.size(); i++) {
        Release<C> release = releases.get(i);
        CompletableFuture<Object> objects = objectsGone.get(i);
        results.add(
            guarded(
                release,
                entriesGone.thenApplyAsync(
                    entries -> new Result<>(release, letGo(release, objects.join(), entries)),
                    writers)));
      }
      return results;
    }

    /** The last step of a release, once its objects and its ledger entries are gone. */
    private Object letGo(Release<C> release, Object objects, Object entries) {
      if (!Boolean.TRUE.equals(objects)) {
        return objects; // waits for another controller's finalizer, or failed
      }
      if (entries instanceof RuntimeException) {
        return entries;
      }
      if (!Boolean.TRUE.equals(entries)) {
        return fenced
            ? Boolean.FALSE
            : new io.fabric8.kubernetes.client.KubernetesClientException(
                "the pool's ledger kept changing; its entries are removed in a later pass",
                409,
                null);
      }
      if (fenced) {
        return Boolean.FALSE;
      }
      try {
        binding.letGo(release.entry().claim);
        return Boolean.TRUE;
      } catch (RuntimeException e) {
        return e;
      }
    }

    private String uidOf(Plan<C> plan) {
      return plan.entry().facts.uid();
    }
  }

  /**
   * The release of an orphan or a claim's second holding, once the pass's other writes are sent:
   * none for a ledger entry whose claim's objects are still there (objects first); ledger entries
   * together in one ledger write; any other holding through the binding.
   */
  private <C> CompletableFuture<Boolean> releaseLater(
      PoolBinding<C> binding,
      LedgerStrays ledgerStrays,
      Holding stray,
      boolean surplus,
      java.util.Set<ObjectKey> notNow) {
    if (notNow.contains(stray.object())) {
      return CompletableFuture.completedFuture(false);
    }
    if (ledgerStrays != null && LedgerEntry.isEntry(stray)) {
      return ledgerStrays.add(stray, surplus);
    }
    return CompletableFuture.supplyAsync(() -> releaseStray(binding, stray, surplus), writers)
        .exceptionally(
            e -> {
              // An Error on the writer thread: not released, looked at again after a grace.
              LOG.warn("pool={} {} not released: {}", binding.pool(), stray.object(), e.toString());
              return false;
            });
  }

  private void strayReleased(PoolKey pool, Holding stray, boolean surplus) {
    tell(pool, () -> listener.released(pool));
    LOG.info(
        "pool={} released {} holding {}: {} {} {}",
        pool,
        stray.object(),
        stray.addresses(),
        surplus ? "a second address of" : "an object of the vanished",
        stray.claimKind(),
        stray.claimName());
  }

  /**
   * The ledger entries of one pass's orphans (their claims confirmed gone by a live read each) and
   * of its claims' second holdings, removed in one ledger write.
   */
  private final class LedgerStrays {
    private final LedgerBinding<?> binding;
    private final List<Holding> strays = new ArrayList<>();
    private final List<Boolean> surplus = new ArrayList<>();
    private final List<CompletableFuture<Boolean>> results = new ArrayList<>();

    LedgerStrays(LedgerBinding<?> binding) {
      this.binding = binding;
    }

    CompletableFuture<Boolean> add(Holding stray, boolean isSurplus) {
      CompletableFuture<Boolean> result = new CompletableFuture<>();
      strays.add(stray);
      surplus.add(isSurplus);
      results.add(result);
      return result;
    }

    private boolean sent;

    void send() {
      sent = true;
      if (strays.isEmpty()) {
        return;
      }
      try {
        CompletableFuture.runAsync(this::removeAll, writers)
            .exceptionally(
                e -> {
                  results.forEach(r -> r.complete(false));
                  return null;
                });
      } catch (RuntimeException e) {
        results.forEach(r -> r.complete(false));
        throw e;
      }
    }

    /** A pass that threw before {@link #send}: none of them is released, none waits for it. */
    void cancelUnsent() {
      if (!sent) {
        results.forEach(r -> r.complete(false));
      }
    }

    private void removeAll() {
      java.util.Set<String> goneUids = new java.util.HashSet<>();
      java.util.Set<Holding> secondEntries = new java.util.HashSet<>();
      boolean[] confirmed = new boolean[strays.size()];
      for (int i = 0; i < strays.size() && !fenced; i++) {
        Holding stray = strays.get(i);
        try {
          confirmed[i] = surplus.get(i) || binding.claimIsGone(stray);
        } catch (RuntimeException e) {
          LOG.debug("pool={} {}: claim not checked: {}", binding.pool(), stray.object(), e);
        }
        if (confirmed[i] && surplus.get(i)) {
          secondEntries.add(stray);
        } else if (confirmed[i]) {
          goneUids.add(stray.claimUid());
        }
      }
      boolean removed = false;
      if (!fenced && (!goneUids.isEmpty() || !secondEntries.isEmpty())) {
        try {
          removed =
              LedgerCommits.remove(
                  binding.ledger(),
                  e ->
                      goneUids.contains(e.claimUid())
                          || secondEntries.stream()
                              .anyMatch(
                                  s ->
                                      s.claimUid().equals(e.claimUid())
                                          && s.addresses().equals(e.addresses())));
        } catch (RuntimeException e) {
          LOG.debug("pool={} stray entries not removed: {}", binding.pool(), e.toString());
        }
      }
      for (int i = 0; i < strays.size(); i++) {
        boolean released = removed && confirmed[i];
        if (released) {
          strayReleased(binding.pool(), strays.get(i), surplus.get(i));
        }
        results.get(i).complete(released);
      }
    }
  }

  private <C> boolean releaseStray(PoolBinding<C> binding, Holding orphan, boolean surplus) {
    if (fenced) {
      return false;
    }
    try {
      boolean released = surplus ? binding.releaseSurplus(orphan) : binding.releaseOrphan(orphan);
      if (released) {
        strayReleased(binding.pool(), orphan, surplus);
      }
      return released;
    } catch (RuntimeException e) {
      LOG.debug(
          "pool={} orphan {} not released: {}", binding.pool(), orphan.object(), e.toString());
      return false;
    }
  }

  /**
   * Writes the pool's status; null when written (or nothing to write), else when to try again:
   * {@link #STATUS_RETRY}, doubling with each failure in a row up to {@link #STATUS_RETRY_CAP} (a
   * status the API server never takes costs a pass now and then, not every 5 s).
   */
  private <C> Duration reportPool(PoolBinding<C> binding, PoolView view) {
    Reporting last = reporting.computeIfAbsent(binding.pool(), key -> new Reporting());
    try {
      binding.reportPool(view);
      last.failures = 0;
      return null;
    } catch (Throwable e) {
      if (PoolPasses.isFatal(e)) {
        throw (Error) e;
      }
      // Reported again by the pass the caller schedules: the view counts as changed.
      last.changeCount = -1;
      last.failures++;
      quietOrWarn(binding.pool(), "pool status", e);
      return new Backoff(STATUS_RETRY, STATUS_RETRY_CAP).delay(last.failures);
    }
  }

  // ---------------------------------------------------------------- settling (under the lock)

  /**
   * What a pass counted, and the listener calls that say so. Settling runs under the pool's lock
   * and only changes state: the listener is told after the lock is released ({@link #tell}), so
   * that a listener that throws (an Error too) can neither stop a pass part way nor hold the lock.
   */
  private static final class Tally {
    int allocated;
    int released;
    int failed;
    int lost;
    final List<Runnable> events = new ArrayList<>();
  }

  /** Tells the listener what the tally holds, each call on its own, and empties it. */
  private void tell(PoolKey pool, Tally tally) {
    List<Runnable> events = new ArrayList<>(tally.events);
    tally.events.clear();
    for (Runnable event : events) {
      tell(pool, event);
    }
  }

  /** One listener call: what it throws (short of the JVM failing) is logged, never passed on. */
  private static void tell(PoolKey pool, Runnable call) {
    try {
      call.run();
    } catch (Throwable e) {
      if (PoolPasses.isFatal(e)) {
        throw (Error) e;
      }
      LOG.warn(
          "pool={}: the engine's listener failed, a metric is not updated: {}", pool, e.toString());
    }
  }

  private <C> Instant settle(PoolState<C> state, Result<C> result, Instant now, Tally tally) {
    Plan<C> plan = result.plan();
    ClaimEntry<C> entry = plan.entry();
    entry.writing = false;
    String uid = entry.facts.uid();
    if (entry.touchedWhileWriting) {
      entry.touchedWhileWriting = false;
      state.markDirty(uid);
    }
    Object outcome = result.outcome();
    if (outcome instanceof RuntimeException e) {
      if (plan instanceof Commit<C> commit) {
        // The decision stays held (it expires PATIENCE after it was made if the cache never shows
        // its object); the claim's next try commits the same allocation again, which finds the
        // object if the lost write created it.
        inDoubt(entry, commit, commit.fresh());
        if (!fenced) {
          entry.lastFailure = String.valueOf(e.getMessage());
        }
      }
      quietOrWarn(state.pool(), entry.facts.describe() + " " + kindOf(plan), e);
      return retryLater(state, entry, now);
    }
    if (plan instanceof Commit<C> commit && outcome instanceof CommittedNotShown notShown) {
      int failures = entry.failures;
      settleCommit(state, entry, commit, notShown.committed(), now, tally);
      entry.failures = failures;
      entry.reportedUntil = Instant.MIN; // its report failed: the backoff alone decides the retry
      return retryLater(state, entry, now);
    } else if (plan instanceof Commit<C> commit) {
      return settleCommit(state, entry, commit, (CommitOutcome) outcome, now, tally);
    } else if (plan instanceof Record<C> record) {
      if (!(outcome instanceof CommitOutcome.Committed) && !fenced) {
        LOG.warn(
            "pool={} {}: its {} could not be recorded in the pool's ledger: {}",
            state.pool(),
            entry.facts.describe(),
            record.allocation().addresses(),
            outcome);
        return retryLater(state, entry, now);
      }
    } else if (plan instanceof Report<C>) {
      entry.failures = 0;
      entry.reportedUntil = now.plus(VIEW_CATCH_UP);
    } else if (plan instanceof ReportFailure<C> failed) {
      entry.lastFailure = failed.failure().message();
      tally.failed++;
      tally.events.add(() -> listener.failed(state.pool(), failed.failure()));
    } else if (plan instanceof Adopt<C>) {
      if (!(outcome instanceof CommitOutcome.Committed)) {
        return retryLater(state, entry, now);
      }
    } else if (Boolean.TRUE.equals(outcome)) {
      LOG.info(
          "pool={} {} released {}",
          state.pool(),
          entry.facts.describe(),
          state.allocationOf(uid).map(a -> a.block().toString()).orElse("its addresses"));
      state.released(uid);
      tally.released++;
      tally.events.add(() -> listener.released(state.pool()));
    }
    return null;
  }

  private <C> Instant settleCommit(
      PoolState<C> state,
      ClaimEntry<C> entry,
      Commit<C> commit,
      CommitOutcome outcome,
      Instant now,
      Tally tally) {
    String uid = entry.facts.uid();
    boolean retryOfUnanswered = entry.commitInDoubt && entry.inDoubtUncounted;
    entry.commitInDoubt = false;
    entry.inDoubtUncounted = false;
    double seconds = (System.nanoTime() - commit.startNanos()) / 1e9;
    PoolKey pool = state.pool();
    if (outcome instanceof CommitOutcome.Committed committed) {
      state.committed(uid, now);
      entry.failures = 0;
      entry.lastFailure = null;
      entry.notBefore = Instant.MIN;
      entry.reportedUntil = now.plus(VIEW_CATCH_UP);
      // An allocation is counted by the commit that made it: its write created it, or it is the
      // retry of a try that got no answer (whose write most likely made it, and was not counted).
      // Found otherwise, another writer made it, or an earlier decision of ours, counted then.
      if (commit.fresh() && (committed.written() || retryOfUnanswered)) {
        countAllocated(pool, entry, commit.allocation(), seconds, tally);
      } else if (commit.fresh()) {
        LOG.debug(
            "pool={} {}: {} was committed for it already",
            pool,
            entry.facts.describe(),
            commit.allocation().block());
      }
      return null;
    }
    if (outcome instanceof CommitOutcome.Taken taken && LedgerEntry.isEntry(taken.holder())) {
      // The ledger's live read that refused it was handed to the engine (LedgerFeed): the view
      // knows the holder now, so the claim decides again soon, without escalating its backoff.
      state.rollBack(uid);
      tally.lost++;
      tally.events.add(() -> listener.decided(pool, "lost", seconds));
      entry.notBefore = now.plus(backoff.delay(1));
      state.defer(uid);
      return entry.notBefore;
    }
    if (outcome instanceof CommitOutcome.Taken taken) {
      state.rollBack(uid);
      state.takenBySomeoneElse(commit.allocation().addresses(), now);
      tally.lost++;
      tally.events.add(() -> listener.decided(pool, "lost", seconds));
      LOG.debug(
          "pool={} {} lost {}: {}",
          pool,
          entry.facts.describe(),
          commit.allocation().block(),
          taken.detail());
      return retryLater(state, entry, now);
    }
    state.rollBack(uid);
    if (outcome instanceof CommitOutcome.ClaimGone) {
      return null;
    }
    if (outcome instanceof CommitOutcome.Conflict) {
      LOG.debug("pool={} {}: conflict, tried again", pool, entry.facts.describe());
      return retryLater(state, entry, now);
    }
    CommitOutcome.Failed failed = (CommitOutcome.Failed) outcome;
    {
      tally.failed++;
      tally.events.add(() -> listener.decided(pool, "error", seconds));
      if (!fenced) {
        entry.lastFailure = failed.message();
        LOG.warn("pool={} {}: commit failed: {}", pool, entry.facts.describe(), failed.message());
      }
      return retryLater(state, entry, now);
    }
  }

  /**
   * One allocation, counted once: by the commit whose write made it, or where the engine learns
   * that a commit that got no answer did happen (its retry finds it, or the cache shows it first).
   */
  private <C> void countAllocated(
      PoolKey pool, ClaimEntry<C> entry, Allocation allocation, double seconds, Tally tally) {
    tally.allocated++;
    tally.events.add(() -> listener.decided(pool, "allocated", seconds));
    // One line per allocation (claim, pool, address); a confirmed earlier commit is not one.
    LOG.info("pool={} {} allocated {}", pool, entry.facts.describe(), allocation.block());
  }

  private <C> Instant retryLater(PoolState<C> state, ClaimEntry<C> entry, Instant now) {
    entry.failures++;
    entry.notBefore = now.plus(backoff.delay(entry.failures));
    state.defer(entry.facts.uid());
    return entry.notBefore;
  }

  private static String kindOf(Plan<?> plan) {
    return plan.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** A 409 is routine (someone wrote the object first): debug. Anything else: a warning. */
  private static void quietOrWarn(PoolKey pool, String what, Throwable e) {
    if (Conflicts.isConflict(e)) {
      LOG.debug("pool={} {}: conflict, tried again: {}", pool, what, e.getMessage());
    } else {
      LOG.warn("pool={} {} failed: {}", pool, what, e.toString());
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * The pool was deleted: forget its status bookkeeping. What its objects hold stays known until
   * their delete events arrive, so a pool created again under the same name starts from the truth.
   */
  public void forget(PoolKey pool) {
    reporting.remove(pool);
    ReentrantLock lock = lockOf(pool);
    lock.lock();
    try {
      PoolState<?> state = states.get(pool);
      if (state != null && state.isEmpty()) {
        states.remove(pool);
      } else if (state != null) {
        state.poolGone();
      }
    } finally {
      lock.unlock();
    }
    tell(pool, () -> listener.forgotten(pool));
  }

  /**
   * Whether this process serves the pool: it has run a pass of it and not been told it is gone.
   * Read without the pool's lock (a webhook asks it): a pass that has just begun or ended may be
   * seen either way.
   */
  public boolean serves(PoolKey pool) {
    PoolState<?> state = states.get(pool);
    return !fenced && state != null && state.serving();
  }

  /**
   * The pool is being deleted: from now on {@link #serves} says no (a claim made now is not one of
   * its claims to keep a finalizer for), until the pool is gone and, under its name, served again.
   */
  public void closing(PoolKey pool) {
    underLock(pool, PoolState::closing);
  }

  /**
   * The pool is paused (Cluster API's pause contract): {@link #serves} says no until its next pass
   * (a claim made meanwhile gets no finalizer from the claim finalizer webhooks, as upstream adds
   * none to the claims of a paused pool). Everything else is kept: its allocations, its claims, its
   * status and its metrics.
   */
  public void paused(PoolKey pool) {
    underLock(pool, PoolState::paused);
  }

  /**
   * Whether the engine knows of any object, or any write of ours not yet in the cache, that holds
   * addresses of this pool: a pool is let go only once nothing does.
   */
  public boolean holdsAnything(PoolKey pool) {
    ReentrantLock lock = lockOf(pool);
    lock.lock();
    try {
      PoolState<?> state = states.get(pool);
      return state != null && state.holdsAnything();
    } finally {
      lock.unlock();
    }
  }

  /** For tests and benchmarks: a read of the pool's state under its lock. */
  <T> T inspect(PoolKey pool, java.util.function.Function<PoolState<?>, T> read) {
    ReentrantLock lock = lockOf(pool);
    lock.lock();
    try {
      return read.apply(states.computeIfAbsent(pool, PoolState::new));
    } finally {
      lock.unlock();
    }
  }

  /** Lets in-flight writes finish (up to the timeout), then stops the writer threads. */
  @Override
  public void close() {
    writers.shutdown();
    try {
      if (!writers.awaitTermination(30, TimeUnit.SECONDS)) {
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writers.shutdownNow();
    }
  }
}
