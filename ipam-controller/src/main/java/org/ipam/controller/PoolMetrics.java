package org.ipam.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.PoolKey;

/**
 * The engine's reports as Prometheus metrics: {@code ipam_pool_addresses{dialect, namespace, pool,
 * state}}, {@code ipam_allocations_total{dialect, result}} and {@code
 * ipam_allocation_duration_seconds}. Counts are doubles: an IPv6 pool's total exceeds any long, and
 * a gauge only needs its magnitude.
 */
final class PoolMetrics implements EngineListener {
  private final MeterRegistry registry;
  private final Map<PoolKey, AtomicReference<PoolCounts>> counts = new ConcurrentHashMap<>();

  PoolMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void decided(PoolKey pool, String result, double seconds) {
    Counter.builder("ipam_allocations_total")
        .tags("dialect", pool.dialect(), "result", result)
        .register(registry)
        .increment();
    Timer.builder("ipam_allocation_duration_seconds")
        .tags("dialect", pool.dialect())
        .register(registry)
        .record(Duration.ofNanos((long) (seconds * 1e9)));
  }

  @Override
  public void counted(PoolKey pool, PoolCounts latest) {
    counts
        .computeIfAbsent(
            pool,
            key -> {
              AtomicReference<PoolCounts> holder = new AtomicReference<>(latest);
              Tags tags =
                  Tags.of(
                      "dialect", key.dialect(), "namespace", key.namespace(), "pool", key.name());
              Gauge.builder("ipam_pool_addresses", holder, h -> h.get().total().doubleValue())
                  .tags(tags.and("state", "total"))
                  .register(registry);
              Gauge.builder("ipam_pool_addresses", holder, h -> h.get().used().doubleValue())
                  .tags(tags.and("state", "used"))
                  .register(registry);
              Gauge.builder("ipam_pool_addresses", holder, h -> h.get().free().doubleValue())
                  .tags(tags.and("state", "free"))
                  .register(registry);
              return holder;
            })
        .set(latest);
  }

  @Override
  public void forgotten(PoolKey pool) {
    if (counts.remove(pool) != null) {
      registry.getMeters().stream()
          .filter(m -> m.getId().getName().equals("ipam_pool_addresses"))
          .filter(
              m ->
                  pool.name().equals(m.getId().getTag("pool"))
                      && pool.namespace().equals(m.getId().getTag("namespace"))
                      && pool.dialect().equals(m.getId().getTag("dialect")))
          .forEach(registry::remove);
    }
  }
}
