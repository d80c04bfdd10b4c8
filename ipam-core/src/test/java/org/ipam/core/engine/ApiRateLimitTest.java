package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The write limit's token bucket on a clock the test moves. Bad inputs tried: qps 0, negative qps,
 * burst 0.
 */
class ApiRateLimitTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aBurstGoesAtOnceThenEachWriteWaitsItsTurnAtTheRate() {
    ApiRateLimit limit = new ApiRateLimit(10, 3, nanos::get);

    assertThat(limit.reserveNanos()).isZero();
    assertThat(limit.reserveNanos()).isZero();
    assertThat(limit.reserveNanos()).isZero();
    assertThat(limit.reserveNanos()).isEqualTo(100_000_000L);
    assertThat(limit.reserveNanos()).isEqualTo(200_000_000L);
  }

  @Test
  void idleTimeRefillsTheBucketUpToTheBurstOnly() {
    ApiRateLimit limit = new ApiRateLimit(10, 2, nanos::get);
    limit.reserveNanos();
    limit.reserveNanos();

    nanos.addAndGet(60_000_000_000L); // a minute idle: 600 tokens' worth, capped at 2
    assertThat(limit.reserveNanos()).isZero();
    assertThat(limit.reserveNanos()).isZero();
    assertThat(limit.reserveNanos()).isEqualTo(100_000_000L);
  }

  @Test
  void nonsenseLimitsAreRefusedNamingTheValues() {
    assertThatThrownBy(() -> ApiRateLimit.of(0, 10)).hasMessageContaining("qps=0.0");
    assertThatThrownBy(() -> ApiRateLimit.of(-5, 10)).hasMessageContaining("qps=-5.0");
    assertThatThrownBy(() -> ApiRateLimit.of(5, 0)).hasMessageContaining("burst=0");
  }
}
