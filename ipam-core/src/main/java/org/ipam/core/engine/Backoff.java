package org.ipam.core.engine;

import java.time.Duration;

/**
 * Per-claim exponential backoff: the n-th failure in a row waits {@code base * 2^(n-1)}, at most
 * {@code cap}. A claim that keeps failing costs a write now and then, not every pass.
 */
public record Backoff(Duration base, Duration cap) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofMinutes(2));

  public Duration delay(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - 1, 30);
    Duration delay = base.multipliedBy(1L << doublings);
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
