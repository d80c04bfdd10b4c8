package org.ipam.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.ipam.core.net.Ip;

/**
 * What the clusterctl move tests ({@link Metal3MoveIT}, {@link InClusterMoveIT}) share at campaign
 * sizes: writes from a few threads at once (thousands of creates and deletes, one after another,
 * would take minutes), and IPv4 addresses from numbers.
 */
final class MoveWrites {
  /** Threads that write at once: enough to keep the API server busy, few for a 2-core machine. */
  static final int WRITERS = 4;

  private MoveWrites() {}

  /** Runs the action on every item from {@link #WRITERS} threads; the first failure is thrown. */
  static <T> void inParallel(List<T> items, Consumer<T> action) throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (T item : items) {
        done.add(writers.submit(() -> action.accept(item)));
      }
      for (Future<?> future : done) {
        try {
          future.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          if (e.getCause() instanceof Error cause) {
            throw cause;
          }
          throw e;
        }
      }
    } finally {
      writers.shutdownNow();
    }
  }

  /** The IPv4 address of this number, dotted. */
  static String dotted(long address) {
    return Ip.v4(address).toString();
  }
}
