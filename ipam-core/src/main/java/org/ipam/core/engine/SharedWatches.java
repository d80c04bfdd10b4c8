package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One watch per kind of object and set of namespaces, for the whole process: the claims and address
 * objects that several reconcilers read (the four in-cluster pool kinds, Metal3's pools serving
 * Cluster API claims) are listed, watched, decoded and cached once, not once per reconciler (issue
 * 12: five watches on IPAddressClaims cost five decodes of every event and five copies of every
 * claim). Bound in {@link OperatorStartup#parent}, one per client.
 */
public final class SharedWatches {
  private final KubernetesClient client;
  private final Map<String, SharedWatch<?>> watches = new ConcurrentHashMap<>();

  public SharedWatches(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The watch of {@code type} in {@code namespaces} (JOSDK's all-namespaces marker, or none, for
   * all); created on first use, started by its first subscriber.
   */
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> SharedWatch<R> of(Class<R> type, Set<String> namespaces) {
    Set<String> sorted = new TreeSet<>(namespaces);
    return (SharedWatch<R>)
        watches.computeIfAbsent(
            type.getName() + " " + sorted, key -> new SharedWatch<>(client, type, sorted));
  }
}
