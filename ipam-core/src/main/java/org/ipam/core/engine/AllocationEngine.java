package org.ipam.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.RebuildConflict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs passes over pools: every dialect's allocations go through here, so no dialect has commit
 * logic of its own.
 *
 * <p>A pass, for one pool: (1) under the pool's lock, and with no I/O, rebuild the allocator from
 * the cache plus the {@link AllocationLedger}, and decide for every pending claim in {@link
 * ClaimOrder}; each decision is entered in the ledger at once, so a concurrent pass cannot hand the
 * same address out. (2) With no lock held, send the batch's writes concurrently: commits, status
 * reports, releases. (3) Under the lock again, roll back every decision whose commit did not
 * succeed. An allocation counts only once its commit write, which fails for a competing writer, has
 * succeeded: the allocator is a cache of the API server, never the other way round.
 *
 * <p>Pools run in parallel; one pool's decisions are serialised by its lock.
 */
public final class AllocationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationEngine.class);

  private final AllocationLedger ledger;
  private final ExecutorService writers;
  private final EngineListener listener;
  private final Map<PoolKey, ReentrantLock> locks = new ConcurrentHashMap<>();

  /**
   * @param writeThreads how many writes may be in flight at once, over all pools
   */
  public AllocationEngine(int writeThreads, EngineListener listener) {
    this.ledger = new AllocationLedger();
    this.listener = listener;
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

  private record Decision<C>(C claim, ClaimFacts facts, AllocationResult result, long startNanos) {}

  private record Held<C>(C claim, ClaimFacts facts, Optional<Allocation> allocation) {}

  /** One pass over the pool: decide, write, roll back what failed, report the pool. */
  public <C> PassReport run(PoolBinding<C> binding) {
    PoolKey pool = binding.pool();
    ReentrantLock lock = locks.computeIfAbsent(pool, key -> new ReentrantLock());
    List<Decision<C>> decisions = new ArrayList<>();
    List<Held<C>> toReport = new ArrayList<>();
    List<Held<C>> toRelease = new ArrayList<>();
    PoolAllocator allocator;
    lock.lock();
    try {
      allocator = rebuild(binding);
      List<Held<C>> claims = new ArrayList<>();
      for (C claim : binding.claims()) {
        claims.add(new Held<>(claim, binding.facts(claim), Optional.empty()));
      }
      claims.sort((a, b) -> ClaimOrder.OLDEST_FIRST.compare(a.facts(), b.facts()));
      for (Held<C> claim : claims) {
        ClaimFacts facts = claim.facts();
        Optional<Allocation> held = allocator.lookup(facts.owner());
        if (facts.deleting()) {
          toRelease.add(new Held<>(claim.claim(), facts, held));
        } else if (held.isPresent()) {
          if (!binding.showsAllocation(claim.claim(), held.get())) {
            toReport.add(new Held<>(claim.claim(), facts, held));
          }
        } else {
          long start = System.nanoTime();
          AllocationResult result = facts.request().decide(allocator, facts.owner());
          if (result instanceof Allocation allocation) {
            ledger.hold(pool, facts.owner(), allocation.addresses());
          }
          decisions.add(new Decision<>(claim.claim(), facts, result, start));
        }
      }
    } finally {
      lock.unlock();
    }

    Outcomes outcomes = new Outcomes();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (Decision<C> decision : decisions) {
      writes.add(CompletableFuture.runAsync(() -> write(binding, decision, outcomes), writers));
    }
    for (Held<C> held : toReport) {
      writes.add(
          CompletableFuture.runAsync(
              () ->
                  guarded(
                      pool,
                      held.facts(),
                      "report",
                      outcomes,
                      () -> binding.reportAllocated(held.claim(), held.allocation().get())),
              writers));
    }
    for (Held<C> held : toRelease) {
      writes.add(CompletableFuture.runAsync(() -> release(binding, held, outcomes), writers));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

    lock.lock();
    try {
      for (String owner : outcomes.rolledBack) {
        ledger.rollBack(pool, owner);
        allocator.release(owner);
      }
      for (String owner : outcomes.released) {
        allocator.release(owner);
      }
    } finally {
      lock.unlock();
    }
    List<Allocation> allocations = new ArrayList<>(allocator.allocationCount());
    allocator.forEach(allocations::add);
    PoolCounts counts = allocator.counts();
    binding.reportPool(allocations, counts);
    listener.counted(pool, counts);
    return new PassReport(
        outcomes.allocated.get(),
        outcomes.failed.get(),
        outcomes.released.size(),
        outcomes.retrySoon.get(),
        counts);
  }

  private <C> PoolAllocator rebuild(PoolBinding<C> binding) {
    PoolAllocator.Rebuilt rebuilt =
        PoolAllocator.rebuild(
            binding.spec(), ledger.view(binding.pool(), binding.existingAllocations()));
    for (RebuildConflict conflict : rebuilt.conflicts()) {
      LOG.warn("pool={} existing allocation not taken as it is: {}", binding.pool(), conflict);
    }
    return rebuilt.allocator();
  }

  /** What the writes of one pass came to; filled from the writer threads. */
  private static final class Outcomes {
    final List<String> rolledBack = Collections.synchronizedList(new ArrayList<>());
    final List<String> released = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger allocated = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicBoolean retrySoon = new AtomicBoolean();
  }

  private <C> void write(PoolBinding<C> binding, Decision<C> decision, Outcomes outcomes) {
    PoolKey pool = binding.pool();
    ClaimFacts facts = decision.facts();
    if (decision.result() instanceof AllocationFailure failure) {
      LOG.info(
          "decision dialect={} pool={} claim=\"{}\" result=failed reason=\"{}\"",
          pool.dialect(),
          pool,
          facts.describe(),
          failure.message());
      outcomes.failed.incrementAndGet();
      guarded(
          pool,
          facts,
          "report failure",
          outcomes,
          () -> binding.reportFailed(decision.claim(), failure));
      listener.decided(pool, "failed", seconds(decision.startNanos()));
      return;
    }
    Allocation allocation = (Allocation) decision.result();
    CommitOutcome outcome;
    try {
      outcome = binding.commit(decision.claim(), allocation);
    } catch (RuntimeException e) {
      outcome = new CommitOutcome.Failed(e.getMessage());
    }
    String result;
    if (outcome instanceof CommitOutcome.Committed) {
      result = "allocated";
      outcomes.allocated.incrementAndGet();
      LOG.info(
          "decision dialect={} pool={} claim=\"{}\" result=allocated address={}",
          pool.dialect(),
          pool,
          facts.describe(),
          allocation.isBlock() ? allocation.block() : allocation.address());
      guarded(
          pool,
          facts,
          "report",
          outcomes,
          () -> binding.reportAllocated(decision.claim(), allocation));
    } else if (outcome instanceof CommitOutcome.Taken taken) {
      result = "lost";
      outcomes.rolledBack.add(facts.owner());
      outcomes.retrySoon.set(true);
      LOG.info(
          "decision dialect={} pool={} claim=\"{}\" result=lost address={} reason=\"{}\"",
          pool.dialect(),
          pool,
          facts.describe(),
          allocation.address(),
          taken.detail());
    } else if (outcome instanceof CommitOutcome.ClaimGone) {
      result = "gone";
      outcomes.rolledBack.add(facts.owner());
    } else {
      String message = ((CommitOutcome.Failed) outcome).message();
      result = "error";
      outcomes.rolledBack.add(facts.owner());
      outcomes.retrySoon.set(true);
      LOG.warn(
          "decision dialect={} pool={} claim=\"{}\" result=error address={} reason=\"{}\"",
          pool.dialect(),
          pool,
          facts.describe(),
          allocation.address(),
          message);
      guarded(
          pool,
          facts,
          "report failure",
          outcomes,
          () ->
              binding.reportFailed(
                  decision.claim(), new AllocationFailure.InvalidRequest(message)));
    }
    listener.decided(pool, result, seconds(decision.startNanos()));
  }

  private <C> void release(PoolBinding<C> binding, Held<C> held, Outcomes outcomes) {
    PoolKey pool = binding.pool();
    boolean[] released = new boolean[1];
    boolean done =
        guarded(
            pool,
            held.facts(),
            "release",
            outcomes,
            () -> released[0] = binding.release(held.claim(), held.allocation()));
    if (done && released[0] && held.allocation().isPresent()) {
      ledger.released(pool, held.facts().owner(), held.allocation().get().addresses());
      outcomes.released.add(held.facts().owner());
      LOG.info(
          "release dialect={} pool={} claim=\"{}\" address={}",
          pool.dialect(),
          pool,
          held.facts().describe(),
          held.allocation().get().address());
    }
  }

  /** Runs a write; a failure is logged and makes the pool run again soon. */
  private static boolean guarded(
      PoolKey pool, ClaimFacts facts, String what, Outcomes outcomes, Runnable write) {
    try {
      write.run();
      return true;
    } catch (RuntimeException e) {
      outcomes.retrySoon.set(true);
      LOG.warn("pool={} claim=\"{}\": {} failed: {}", pool, facts.describe(), what, e.toString());
      return false;
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The pool was deleted: forget its ledger entries, lock and metrics. */
  public void forget(PoolKey pool) {
    ledger.forget(pool);
    locks.remove(pool);
    listener.forgotten(pool);
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
