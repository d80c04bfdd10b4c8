package org.ipam.core.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * What one pass over a pool did. {@code retryAfter}: when the pool should run again although no
 * event may come (a backoff ending, a write of ours the cache has not shown yet, an orphan's grace
 * period, a status report held back); empty when only events need to wake it.
 */
public record PassReport(int allocated, int failed, int released, Optional<Duration> retryAfter) {
  public static PassReport idle() {
    return new PassReport(0, 0, 0, Optional.empty());
  }
}
