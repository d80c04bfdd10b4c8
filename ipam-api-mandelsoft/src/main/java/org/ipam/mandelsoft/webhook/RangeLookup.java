package org.ipam.mandelsoft.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ipam.core.webhook.LookupThreads;
import org.ipam.mandelsoft.model.IPAMRange;

/**
 * The range a new request names, read live: every replica serves webhooks while only the leader
 * runs informers, and a range created a moment before its requests must be seen. Each read has a
 * deadline well inside the API server's webhook timeout (10 s), on a few threads of its own, so
 * that a burst of requests or a silent API server costs no more than that.
 */
public interface RangeLookup {
  /** The range, empty when there is none; throws when it cannot be read in time. */
  Optional<IPAMRange> find(String namespace, String name);

  static RangeLookup live(KubernetesClient client) {
    return new Live(client);
  }

  /** Reads on {@value #READERS} daemon threads, {@value #WAITING} more waiting; then refused. */
  final class Live implements RangeLookup {
    private static final int READERS = 8;
    private static final int WAITING = 64;
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final ThreadPoolExecutor reads;

    private Live(KubernetesClient client) {
      this.client = client;
      reads = LookupThreads.create("mandelsoft-webhook-lookup-", READERS, WAITING);
    }

    @Override
    public Optional<IPAMRange> find(String namespace, String name) {
      Future<IPAMRange> future;
      try {
        future =
            reads.submit(
                () ->
                    client.resources(IPAMRange.class).inNamespace(namespace).withName(name).get());
      } catch (RejectedExecutionException e) {
        throw new IllegalStateException("the webhook's range lookups are all busy", e);
      }
      try {
        return Optional.ofNullable(future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        future.cancel(true);
        reads.purge();
        throw new IllegalStateException(
            "no answer from the API server within " + DEADLINE.toSeconds() + " s", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
