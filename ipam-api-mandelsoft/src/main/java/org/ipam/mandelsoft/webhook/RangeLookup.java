package org.ipam.mandelsoft.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.ipam.core.webhook.DeadlineReads;
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
    private final DeadlineReads reads =
        new DeadlineReads("mandelsoft-webhook-lookup-", READERS, WAITING, DEADLINE);

    private Live(KubernetesClient client) {
      this.client = client;
    }

    @Override
    public Optional<IPAMRange> find(String namespace, String name) {
      return Optional.ofNullable(
          reads.read(
              () -> client.resources(IPAMRange.class).inNamespace(namespace).withName(name).get()));
    }
  }
}
