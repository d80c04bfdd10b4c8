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

  /** What a pass runs: {@link #binding}, or a ledger binding built on it. */
  private final PoolBinding<FakeClaim> passBinding;

  Writer(InMemoryApi api, FakeClock clock, PoolSpec spec) {
    this(api, clock, spec, 1, false, false, EngineListener.NONE);
  }

  /** A writer whose commit point is the pool's ledger ({@link InMemoryLedgerBinding}). */
  static Writer withLedger(InMemoryApi api, FakeClock clock, PoolSpec spec) {
    return new Writer(api, clock, spec, 1, false, true, EngineListener.NONE);
  }

  /** A ledger writer whose engine reports to {@code listener}. */
  static Writer withLedger(
      InMemoryApi api, FakeClock clock, PoolSpec spec, EngineListener listener) {
    return new Writer(api, clock, spec, 1, false, true, listener);
  }

  /** A writer whose engine reports to {@code listener}. */
  static Writer withListener(
      InMemoryApi api, FakeClock clock, PoolSpec spec, EngineListener listener) {
    return new Writer(api, clock, spec, 1, false, false, listener);
  }

  Writer(
      InMemoryApi api,
      FakeClock clock,
      PoolSpec spec,
      int writeThreads,
      boolean reservationKeyIsName) {
    this(api, clock, spec, writeThreads, reservationKeyIsName, false, EngineListener.NONE);
  }

  private Writer(
      InMemoryApi api,
      FakeClock clock,
      PoolSpec spec,
      int writeThreads,
      boolean reservationKeyIsName,
      boolean ledger,
      EngineListener listener) {
    engine = new AllocationEngine(writeThreads, listener, clock, BACKOFF, GRACE);
    informer = new FakeInformer(engine, POOL, reservationKeyIsName);
    if (ledger) {
      InMemoryLedgerBinding ledgerBinding = new InMemoryLedgerBinding(api, POOL, clock, spec);
      binding = ledgerBinding.base();
      passBinding = ledgerBinding;
    } else {
      binding = new InMemoryBinding(api, POOL, clock, spec);
      passBinding = binding;
    }
    api.watch(informer);
  }

  /** One pass over the pool. */
  PassReport pass() {
    return engine.run(passBinding);
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
