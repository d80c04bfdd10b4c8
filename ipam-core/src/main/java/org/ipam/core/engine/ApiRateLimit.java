package org.ipam.core.engine;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The controller's cap on its own API writes (POST, PUT, PATCH, DELETE), a token bucket as
 * client-go's QPS and burst: up to {@code burst} writes at once, then {@code qps} a second. A write
 * over the limit waits its turn on the thread that sends it (the engine's writer threads, the
 * reconcilers); reads are not limited (they come from the informers' caches, and the informers' own
 * list and watch requests must never wait behind a burst of writes). fabric8 7.5 has no such limit
 * of its own, and its Vert.x client ignores {@code maxConcurrentRequests}.
 */
public final class ApiRateLimit implements Interceptor {
  /** The name it is registered under on the client. */
  public static final String NAME = "ipam-api-rate-limit";

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final java.util.concurrent.atomic.AtomicLong writes =
      new java.util.concurrent.atomic.AtomicLong();
  private double tokens;
  private long refilledAt;

  ApiRateLimit(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "API rate limit: qps must be above 0 and burst at least 1, got qps="
              + perSecond
              + " burst="
              + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** A limit of {@code qps} writes a second with bursts of {@code burst}. */
  public static ApiRateLimit of(double qps, int burst) {
    return new ApiRateLimit(qps, burst, System::nanoTime);
  }

  public double qps() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  /** How many writes have passed through the limit. */
  public long writes() {
    return writes.get();
  }

  /**
   * Takes a token now and returns how long its holder must wait before sending (0 within the
   * burst): each caller is given its own turn, in the order they asked.
   */
  synchronized long reserveNanos() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
    refilledAt = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perSecond * 1e9);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!WRITES.contains(request.method().toUpperCase(Locale.ROOT))) {
      return;
    }
    writes.incrementAndGet();
    long wait = reserveNanos();
    long until = System.nanoTime() + wait;
    // parkNanos may return early (spurious wake-ups): wait out the whole turn.
    for (long left = wait; left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
