package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.engine.PoolKey;
import org.junit.jupiter.api.Test;

/** What {@code /metrics} shows for the engine's reports, read from the Prometheus text. */
class PoolMetricsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final PoolKey POOL = new PoolKey("metal3", "ns", "pool1");
  private static final String LABELS =
      "dialect=\"metal3\",kind=\"\",namespace=\"ns\",pool=\"pool1\"";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PoolMetrics metrics = new PoolMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aPoolHasTotalUsedFreeAndOutOfRangeGauges() {
    metrics.counted(POOL, counts(10, 7, 3, 2));

    assertThat(lines())
        .contains("ipam_pool_total_addresses{" + LABELS + "} 10.0")
        .contains("ipam_pool_used_addresses{" + LABELS + "} 7.0")
        .contains("ipam_pool_free_addresses{" + LABELS + "} 3.0")
        .contains("ipam_pool_out_of_range_addresses{" + LABELS + "} 2.0");
  }

  @Test
  void anIpv6PoolsTotalIsShownBeyondALong() {
    metrics.counted(POOL, counts(BigInteger.TWO.pow(64), BigInteger.ONE));

    assertThat(lines()).contains("ipam_pool_total_addresses{" + LABELS + "} 1.8446744073709552E19");
  }

  /** The bug of issue 16: a claim waiting for room was a "failed" decision on every pass. */
  @Test
  void countsAllocationsAndFailuresNotPasses() {
    metrics.decided(POOL, "allocated", 0.02);
    metrics.decided(POOL, "allocated", 0.2);
    for (int pass = 0; pass < 5; pass++) {
      metrics.decided(POOL, "failed", 0);
    }
    metrics.failed(POOL, new AllocationFailure.Exhausted());
    metrics.decided(POOL, "lost", 0.01);
    metrics.released(POOL);

    assertThat(lines())
        .contains("ipam_allocations_total{dialect=\"metal3\"} 2.0")
        .contains("ipam_releases_total{dialect=\"metal3\"} 1.0")
        .contains("ipam_allocation_failures_total{dialect=\"metal3\",reason=\"exhausted\"} 1.0")
        .contains("ipam_allocation_failures_total{dialect=\"metal3\",reason=\"lost\"} 1.0")
        .contains(
            "ipam_allocation_failures_total{dialect=\"metal3\",reason=\"address_taken\"} 0.0");
  }

  @Test
  void latencyIsAHistogramWithBuckets() {
    metrics.decided(POOL, "allocated", 0.02);
    metrics.decided(POOL, "allocated", 3);

    assertThat(lines())
        .contains("ipam_allocation_duration_seconds_bucket{dialect=\"metal3\",le=\"0.01\"} 0")
        .contains("ipam_allocation_duration_seconds_bucket{dialect=\"metal3\",le=\"0.025\"} 1")
        .contains("ipam_allocation_duration_seconds_bucket{dialect=\"metal3\",le=\"5.0\"} 2")
        .contains("ipam_allocation_duration_seconds_bucket{dialect=\"metal3\",le=\"+Inf\"} 2")
        .contains("ipam_allocation_duration_seconds_count{dialect=\"metal3\"} 2");
  }

  @Test
  void everyFailureReasonIsThereFromThePoolsFirstReport() {
    metrics.counted(POOL, counts(4, 0, 4, 0));

    assertThat(PoolMetrics.FAILURE_REASONS)
        .contains(
            "exhausted",
            "pre_allocated_to_other",
            "differs_from_pre_allocation",
            "invalid_request",
            "lost",
            "write_error");
    for (String reason : PoolMetrics.FAILURE_REASONS) {
      assertThat(lines())
          .contains(
              "ipam_allocation_failures_total{dialect=\"metal3\",reason=\"" + reason + "\"} 0.0");
    }
    assertThat(lines()).contains("ipam_allocations_total{dialect=\"metal3\"} 0.0");
  }

  /** The age grows at scrape time: nothing needs to happen in the pool for an alert to fire. */
  @Test
  void theOldestPendingClaimsAgeIsReadAtScrapeTime() {
    metrics.counted(POOL, counts(1, 1, 0, 0));
    assertThat(lines())
        .contains("ipam_pool_pending_claims{" + LABELS + "} 0.0")
        .contains("ipam_pool_oldest_pending_claim_age_seconds{" + LABELS + "} 0.0");

    metrics.pending(POOL, 3, Optional.of(NOW.minus(Duration.ofMinutes(6))));

    assertThat(lines())
        .contains("ipam_pool_pending_claims{" + LABELS + "} 3.0")
        .contains("ipam_pool_oldest_pending_claim_age_seconds{" + LABELS + "} 360.0");
  }

  @Test
  void aDeletedPoolsSeriesGoAndTheDialectsStay() {
    PoolKey other = new PoolKey("metal3", "ns", "pool2");
    metrics.counted(POOL, counts(10, 7, 3, 0));
    metrics.counted(other, counts(5, 1, 4, 0));
    metrics.decided(POOL, "allocated", 0.02);

    metrics.forgotten(POOL);

    assertThat(registry.scrape()).doesNotContain("pool=\"pool1\"").contains("pool=\"pool2\"");
    assertThat(lines()).contains("ipam_allocations_total{dialect=\"metal3\"} 1.0");

    metrics.counted(POOL, counts(2, 0, 2, 0));
    assertThat(lines()).contains("ipam_pool_total_addresses{" + LABELS + "} 2.0");
  }

  private List<String> lines() {
    return registry.scrape().lines().toList();
  }

  private static PoolCounts counts(long total, long used, long free, long outOfRange) {
    return new PoolCounts(
        BigInteger.valueOf(total),
        BigInteger.valueOf(used),
        BigInteger.valueOf(free),
        BigInteger.valueOf(outOfRange));
  }

  private static PoolCounts counts(BigInteger total, BigInteger used) {
    return new PoolCounts(total, used, total.subtract(used), BigInteger.ZERO);
  }
}
