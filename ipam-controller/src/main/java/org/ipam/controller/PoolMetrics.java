package org.ipam.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.PoolKey;

/**
 * The engine's reports as Prometheus metrics (docs/monitoring.md lists them with their meaning).
 *
 * <p>Per pool, labelled {@code dialect, namespace, pool}: the gauges {@code
 * ipam_pool_{total,used,free,out_of_range}_addresses}, {@code ipam_pool_pending_claims} and {@code
 * ipam_pool_oldest_pending_claim_age_seconds}; they go when the pool goes. Per dialect: the
 * counters {@code ipam_allocations_total}, {@code ipam_releases_total} and {@code
 * ipam_allocation_failures_total{reason}}, and the histogram {@code
 * ipam_allocation_duration_seconds}. Per-dialect series exist, at zero, from the first report of a
 * pool of that dialect, so that rules and dashboards never query a series that is not there yet.
 *
 * <p>Counts are doubles: an IPv6 pool's total exceeds any long, and a gauge only needs its
 * magnitude.
 */
final class PoolMetrics implements EngineListener {
  /** From a few milliseconds (a commit on a quiet API server) to the client's own timeouts. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  /** The reasons of {@code ipam_allocation_failures_total}, each present from the start. */
  static final List<String> FAILURE_REASONS = failureReasons();

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<PoolKey, PoolGauges> pools = new ConcurrentHashMap<>();
  private final Set<String> dialects = ConcurrentHashMap.newKeySet();

  PoolMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  PoolMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void decided(PoolKey pool, String result, double seconds) {
    dialect(pool.dialect());
    if ("allocated".equals(result)) {
      allocations(pool.dialect()).increment();
      latency(pool.dialect()).record(Duration.ofNanos((long) (seconds * 1e9)));
    } else if ("lost".equals(result)) {
      failures(pool.dialect(), "lost").increment();
    } else if ("error".equals(result)) {
      failures(pool.dialect(), "write_error").increment();
    }
    // "failed" is a pass that found no room: counted once per claim by failed(), not per pass.
  }

  @Override
  public void failed(PoolKey pool, AllocationFailure failure) {
    dialect(pool.dialect());
    failures(pool.dialect(), reasonOf(failure.getClass())).increment();
  }

  @Override
  public void released(PoolKey pool) {
    dialect(pool.dialect());
    releases(pool.dialect()).increment();
  }

  @Override
  public void counted(PoolKey pool, PoolCounts counts) {
    dialect(pool.dialect());
    gaugesOf(pool).counts = counts;
  }

  @Override
  public void pending(PoolKey pool, int claims, Optional<Instant> oldestCreated) {
    dialect(pool.dialect());
    gaugesOf(pool).pending = new Pending(claims, oldestCreated.orElse(null));
  }

  @Override
  public void forgotten(PoolKey pool) {
    PoolGauges gone = pools.remove(pool);
    if (gone != null) {
      gone.meters.forEach(registry::remove);
    }
  }

  // ---------------------------------------------------------------- per pool

  private record Pending(int claims, Instant oldestCreated) {}

  /** The latest reports of one pool, read by its gauges at scrape time. */
  private static final class PoolGauges {
    volatile PoolCounts counts;
    volatile Pending pending = new Pending(0, null);
    final List<Meter> meters = new ArrayList<>();
  }

  private PoolGauges gaugesOf(PoolKey pool) {
    return pools.computeIfAbsent(pool, this::register);
  }

  private PoolGauges register(PoolKey pool) {
    PoolGauges gauges = new PoolGauges();
    // A cluster-scoped pool (Harvester, a global in-cluster pool) has no namespace: "". The kind
    // tells apart pools of one dialect that share a name (an in-cluster IP and prefix pool); ""
    // for a dialect with one pool kind.
    Tags tags =
        Tags.of(
            "dialect",
            pool.dialect(),
            "kind",
            Objects.toString(pool.kind(), ""),
            "namespace",
            Objects.toString(pool.namespace(), ""),
            "pool",
            pool.name());
    addressGauge(gauges, "total", tags, c -> c.total().doubleValue());
    addressGauge(gauges, "used", tags, c -> c.used().doubleValue());
    addressGauge(gauges, "free", tags, c -> c.free().doubleValue());
    addressGauge(gauges, "out_of_range", tags, c -> c.outOfRange().doubleValue());
    gauges.meters.add(
        Gauge.builder("ipam_pool_pending_claims", gauges, g -> g.pending.claims())
            .description("Claims of the pool that hold no address yet")
            .tags(tags)
            .register(registry));
    gauges.meters.add(
        Gauge.builder("ipam_pool_oldest_pending_claim_age_seconds", gauges, this::oldestAge)
            .description("Age of the oldest claim of the pool that holds no address yet (0: none)")
            .tags(tags)
            .register(registry));
    return gauges;
  }

  private void addressGauge(
      PoolGauges gauges, String state, Tags tags, ToDoubleFunction<PoolCounts> read) {
    gauges.meters.add(
        Gauge.builder(
                "ipam_pool_" + state + "_addresses",
                gauges,
                g -> g.counts == null ? 0 : read.applyAsDouble(g.counts))
            .description("Addresses of the pool: " + state.replace('_', ' '))
            .tags(tags)
            .register(registry));
  }

  /** Computed at scrape time: the age grows while nothing in the pool changes. */
  private double oldestAge(PoolGauges gauges) {
    Instant oldest = gauges.pending.oldestCreated();
    if (oldest == null) {
      return 0;
    }
    return Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
  }

  // ---------------------------------------------------------------- per dialect

  /** Registers a dialect's counters and histogram at zero, once. */
  private void dialect(String dialect) {
    if (dialects.add(dialect)) {
      allocations(dialect);
      releases(dialect);
      latency(dialect);
      FAILURE_REASONS.forEach(reason -> failures(dialect, reason));
    }
  }

  private Counter allocations(String dialect) {
    return Counter.builder("ipam_allocations")
        .description("Allocations committed (one per claim served, however many passes it took)")
        .tag("dialect", dialect)
        .register(registry);
  }

  private Counter releases(String dialect) {
    return Counter.builder("ipam_releases")
        .description("Allocations released (claims deleted, objects whose claim is gone)")
        .tag("dialect", dialect)
        .register(registry);
  }

  private Counter failures(String dialect, String reason) {
    return Counter.builder("ipam_allocation_failures")
        .description("Claims told they get no address, once per new reason; lost and write errors")
        .tags("dialect", dialect, "reason", reason)
        .register(registry);
  }

  private Timer latency(String dialect) {
    return Timer.builder("ipam_allocation_duration")
        .description("From an allocation's decision to the end of its commit write")
        .tag("dialect", dialect)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /** {@code AllocationFailure.PreAllocatedToOther} becomes {@code pre_allocated_to_other}. */
  static String reasonOf(Class<?> failure) {
    return failure.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static List<String> failureReasons() {
    List<String> reasons = new ArrayList<>();
    Arrays.stream(AllocationFailure.class.getPermittedSubclasses())
        .map(PoolMetrics::reasonOf)
        .forEach(reasons::add);
    reasons.add("lost");
    reasons.add("write_error");
    return List.copyOf(reasons);
  }
}
