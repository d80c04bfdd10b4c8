package org.ipam.core.webhook;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a webhook reads the API server live on, each read under a deadline: a fixed number of
 * readers and a bounded queue (a burst of admissions past both is refused with "try again", never
 * queued without end), daemon threads (a read that outlives its deadline must not keep the JVM from
 * stopping), and idle ones end (a controller whose webhooks are quiet keeps none).
 */
public final class LookupThreads {
  private LookupThreads() {}

  public static ThreadPoolExecutor create(String namePrefix, int readers, int waiting) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
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
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
