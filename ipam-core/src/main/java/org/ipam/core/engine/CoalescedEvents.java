package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Events that a burst would otherwise write one per claim, on one object (a pool), written as one
 * event per object, type and reason per window: the first message for a quiet object waits {@code
 * window}, and every message of the same object, type and reason that comes meanwhile joins that
 * event. An event is a write the API server stores and sends to every watcher of events, so a burst
 * of 1,000 allocations costs about one event per second instead of 1,000; a single message is
 * written as it is, a window late. Best effort, as {@link Events}: what is pending when the process
 * stops, or once it is fenced, is not written.
 */
public final class CoalescedEvents {
  /** The usual window: a burst's events within one second become one. */
  public static final Duration WINDOW = Duration.ofSeconds(1);

  /** How many messages one event lists; the rest are counted. */
  static final int LISTED = 10;

  /** Where an event goes. */
  public interface Sink {
    void record(HasMetadata object, String type, String reason, String message);
  }

  /** Runs a task once after a delay. */
  public interface Scheduler {
    void schedule(Runnable task, Duration delay);
  }

  private record Key(String uid, String type, String reason) {}

  private static final class Pending {
    HasMetadata object;
    final List<String> listed = new ArrayList<>();
    int count;
  }

  private static final ScheduledExecutorService SHARED_SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ipam-events");
            thread.setDaemon(true);
            return thread;
          });

  private final Sink sink;
  private final Scheduler scheduler;
  private final Duration window;
  private final java.util.function.BooleanSupplier fenced;
  private final Map<Key, Pending> pending = new HashMap<>();

  /**
   * @param fenced whether the process has stopped writing (lost its Lease): then what is pending is
   *     dropped, not written
   */
  public CoalescedEvents(
      Sink sink, Scheduler scheduler, Duration window, java.util.function.BooleanSupplier fenced) {
    this.sink = sink;
    this.scheduler = scheduler;
    this.window = window;
    this.fenced = fenced;
  }

  /**
   * Events written through the API, one window of {@link #WINDOW}, on a shared daemon thread; none
   * once the engine is fenced.
   */
  public static CoalescedEvents writing(
      KubernetesClient client, Clock clock, AllocationEngine engine) {
    return new CoalescedEvents(
        (object, type, reason, message) ->
            Events.record(client, clock, object, type, reason, message),
        (task, delay) -> SHARED_SCHEDULER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
        WINDOW,
        engine::isFenced);
  }

  public void normal(HasMetadata object, String reason, String message) {
    add(object, "Normal", reason, message);
  }

  private void add(HasMetadata object, String type, String reason, String message) {
    Key key = new Key(object.getMetadata().getUid(), type, reason);
    boolean first;
    synchronized (pending) {
      Pending joined = pending.get(key);
      first = joined == null;
      if (first) {
        joined = new Pending();
        pending.put(key, joined);
      }
      joined.object = object; // the latest view of it: the event names its resourceVersion
      joined.count++;
      if (joined.listed.size() < LISTED) {
        joined.listed.add(message);
      }
    }
    if (first) {
      try {
        scheduler.schedule(() -> flush(key), window);
      } catch (RuntimeException e) {
        // Never left pending with no flush to come: later messages would join it for good.
        synchronized (pending) {
          pending.remove(key);
        }
        throw e;
      }
    }
  }

  private void flush(Key key) {
    Pending due;
    synchronized (pending) {
      due = pending.remove(key);
    }
    if (due != null && !fenced.getAsBoolean()) {
      sink.record(due.object, key.type(), key.reason(), text(due));
    }
  }

  /** One message as it is; several as "N within Ws: m1; m2; ...; and K more". */
  private String text(Pending due) {
    if (due.count == 1) {
      return due.listed.get(0);
    }
    String listed = String.join("; ", due.listed);
    int more = due.count - due.listed.size();
    String within =
        window.toMillis() % 1000 == 0 ? window.toSeconds() + " s" : window.toMillis() + " ms";
    return due.count
        + " within "
        + within
        + ": "
        + listed
        + (more > 0 ? "; and " + more + " more" : "");
  }
}
