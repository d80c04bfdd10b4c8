package org.ipam.core.engine;

import java.time.Duration;
import java.util.Optional;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.IpRange;

/**
 * One controller process in a test: an engine, its own informer (cache) of the shared in-memory
 * API, and its binding to the pool. Two writers on one API are a split brain.
 */
final class Writer implements AutoCloseable {
  static final PoolKey POOL = new PoolKey("test", InMemoryApi.NAMESPACE, "pool");
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  static final Duration GRACE = Duration.ofSeconds(30);

  final AllocationEngine engine;
  final FakeInformer informer;
  final InMemoryBinding binding;

  Writer(InMemoryApi api, FakeClock clock, PoolSpec spec) {
    this(api, clock, spec, 1, false);
  }

  Writer(
      InMemoryApi api,
      FakeClock clock,
      PoolSpec spec,
      int writeThreads,
      boolean reservationKeyIsName) {
    engine = new AllocationEngine(writeThreads, EngineListener.NONE, clock, BACKOFF, GRACE);
    informer = new FakeInformer(engine, POOL, reservationKeyIsName);
    binding = new InMemoryBinding(api, POOL, clock, spec);
    api.watch(informer);
  }

  /** One pass over the pool. */
  PassReport pass() {
    return engine.run(binding);
  }

  /** Flushes the cache, then one pass. */
  PassReport flushAndPass() {
    informer.flush();
    return pass();
  }

  PoolView view() {
    return engine.inspect(POOL, PoolState::view);
  }

  /** Whether the engine holds nothing of the pool any more. */
  boolean stateIsEmpty() {
    Boolean empty = engine.inspect(POOL, PoolState::isEmpty);
    return empty;
  }

  Optional<IpRange> heldOutside(String uid) {
    Optional<IpRange> held = engine.inspect(POOL, state -> state.heldOutside(uid));
    return held;
  }

  @Override
  public void close() {
    engine.close();
  }
}
