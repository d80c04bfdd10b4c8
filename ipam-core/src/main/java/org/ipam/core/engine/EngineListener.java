package org.ipam.core.engine;

import java.time.Instant;
import java.util.Optional;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;

/**
 * Where the engine reports what it did, for metrics. Called from many threads. Each call stands for
 * something that happened once (an allocation, a release, a claim told a new reason), never for a
 * pass that found things as they were: a claim that waits for room through a hundred passes is one
 * failure, not a hundred.
 */
public interface EngineListener {
  /**
   * One commit write: {@code result} is {@code allocated}, {@code lost} (a competing writer won) or
   * {@code error}; {@code seconds} from the decision to the end of its write. A claim that got
   * nothing is told through {@link #failed}, once per reason.
   *
   * <p>{@code allocated} is told once per allocation, by the commit that made it: its write created
   * it, or it retried a commit that got no answer and found what that one wrote, or the cache
   * showed that unanswered write before a retry did (then told from the pass that saw it). A commit
   * that finds the allocation already committed for its claim otherwise ({@link
   * CommitOutcome.Committed#found()}: by another writer, or by an earlier decision of this one,
   * told then) is not told at all. The count is per process: with two writers active at once
   * (leader election off, or a deposed leader still writing), a process whose own write got no
   * answer and never landed can take the other's object for its own and tell it too, so the sum
   * over processes can exceed the allocations made. Nothing is allocated twice for it.
   */
  void decided(PoolKey pool, String result, double seconds);

  /**
   * A claim got no address for a reason it had not been told before (the first pass that found the
   * pool exhausted, not every pass after it).
   */
  default void failed(PoolKey pool, AllocationFailure failure) {}

  /** A claim's addresses, or those of an object whose claim is gone, went back to the pool. */
  default void released(PoolKey pool) {}

  /**
   * The live claims of the pool that hold no address yet, whenever that set changes: how many, and
   * the creation time of the oldest (empty when none waits).
   */
  default void pending(PoolKey pool, int claims, Optional<Instant> oldestCreated) {}

  /** The counts of a pool after a pass. */
  void counted(PoolKey pool, PoolCounts counts);

  /** A pool that is gone: drop what was reported for it. */
  void forgotten(PoolKey pool);

  EngineListener NONE =
      new EngineListener() {
        @Override
        public void decided(PoolKey pool, String result, double seconds) {}

        @Override
        public void counted(PoolKey pool, PoolCounts counts) {}

        @Override
        public void forgotten(PoolKey pool) {}
      };
}
