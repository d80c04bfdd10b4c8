package org.ipam.core.webhook;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Live reads of a webhook, each under a deadline: a fixed number of readers and a bounded queue (a
 * burst of admissions past both is refused, never queued without end), daemon threads (a read that
 * outlives its deadline must not keep the JVM from stopping), and idle ones end (a controller whose
 * webhooks are quiet keeps none). Every failure is a RuntimeException whose message the webhook can
 * pass on with its "try again".
 */
public final class DeadlineReads {
  private final ThreadPoolExecutor reads;
  private final int readers;
  private final int waiting;
  private final Duration deadline;

  public DeadlineReads(String namePrefix, int readers, int waiting, Duration deadline) {
    this.readers = readers;
    this.waiting = waiting;
    this.deadline = deadline;
    AtomicInteger count = new AtomicInteger();
    reads =
        new ThreadPoolExecutor(
            readers,
            readers,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(waiting),
            task -> {
              Thread thread = new Thread(task, namePrefix + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    reads.allowCoreThreadTimeOut(true);
  }

  /** The read's answer; what it throws, or why it has none in time, as a RuntimeException. */
  public <T> T read(Supplier<T> read) {
    Future<T> future;
    try {
      Callable<T> call = read::get;
      future = reads.submit(call);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException(
          "the webhook's lookups are all busy (" + readers + " reading, " + waiting + " waiting)",
          e);
    }
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Interrupts the read, or takes it out of the queue, so that it holds no place any more.
      future.cancel(true);
      reads.purge();
      throw new IllegalStateException(
          "no answer from the API server within " + deadline.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
