package org.ipam.core.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread that handles the latest value given for each key: a value given while an
 * earlier one of its key waits replaces it, and one given while it is being handled is handled
 * after it, so no event is dropped (a dropped delete event could leave a finalizer nobody removes).
 * A handling that fails for a passing reason (the API server unreachable, overloaded or failing: no
 * answer, 429, 5xx) is tried again, after {@code retryAfter} doubled per try up to 5 minutes, as
 * long as that lasts, unless a newer value came meanwhile (it is handled instead): such a failure
 * brings no event that would bring the value back. Another API failure (a 409 of an object changed
 * meanwhile, which may be one this worker hears nothing of) is tried {@value #OTHER_TRIES} times,
 * then given up with a warning; any other exception is logged and dropped.
 *
 * @param <V> the value handled, an object as an informer last showed it
 */
public final class LatestFirst<V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LatestFirst.class);

  /** Tries of a failure other than a passing one (a 409 of an object changed meanwhile). */
  static final int OTHER_TRIES = 4;

  /** The longest wait between tries. */
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private final Map<String, V> latest = new ConcurrentHashMap<>();
  private final Map<String, Integer> tries = new ConcurrentHashMap<>();
  private final Consumer<V> handler;
  private final Duration retryAfter;
  private final ScheduledExecutorService worker;

  public LatestFirst(String threadName, Duration retryAfter, Consumer<V> handler) {
    this.handler = handler;
    this.retryAfter = retryAfter;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, threadName);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Handles {@code value} on the worker, or the newest value given for the key before that. */
  public void submit(String key, V value) {
    if (latest.put(key, value) == null) {
      worker.execute(() -> handle(key));
    }
  }

  private void handle(String key) {
    V value = latest.remove(key); // taken first: a value given during the handling runs after it
    if (value == null) {
      return;
    }
    try {
      handler.accept(value);
      tries.remove(key);
    } catch (KubernetesClientException e) {
      int tried = tries.merge(key, 1, Integer::sum);
      if (!ApiFailures.passing(e) && tried >= OTHER_TRIES) {
        tries.remove(key);
        LOG.warn("{}: given up after {} tries: {}", key, tried, e.toString());
        return;
      }
      Duration delay = backoff(tried);
      LOG.debug("{}: tried again in {}: {}", key, delay, e.toString());
      if (latest.putIfAbsent(key, value) == null) {
        worker.schedule(() -> handle(key), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      tries.remove(key);
      LOG.warn("{}: not handled", key, e);
    }
  }

  /** {@code retryAfter} doubled per try, at most {@link #MAX_DELAY}. */
  private Duration backoff(int tried) {
    Duration delay = retryAfter.multipliedBy(1L << Math.min(tried - 1, 10));
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  /** How many keys wait (for tests). */
  int waiting() {
    return latest.size();
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
