package org.ipam.core.engine;

import org.ipam.core.alloc.PoolCounts;

/** Where the engine reports what it did, for metrics. Called from many threads. */
public interface EngineListener {
  /**
   * One allocation decision and its write: {@code result} is {@code allocated}, {@code failed},
   * {@code lost} (a competing writer won) or {@code error}; {@code seconds} from decision to the
   * end of its write.
   */
  void decided(PoolKey pool, String result, double seconds);

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
