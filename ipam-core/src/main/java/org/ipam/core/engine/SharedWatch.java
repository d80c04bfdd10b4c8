package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per namespace (or one for all) of one kind, shared by every {@link SharedFeed} of
 * it: started by the first subscriber, stopped when the last one leaves. Each subscriber has its
 * own event handler on the informer (fabric8 gives each handler its own ordered queue, and hands a
 * handler added later every object already cached as an add).
 */
public final class SharedWatch<R extends HasMetadata> {
  private static final Logger LOG = LoggerFactory.getLogger(SharedWatch.class);

  private final KubernetesClient client;
  private final Class<R> type;
  private final Set<String> namespaces;
  private final List<SharedIndexInformer<R>> informers = new ArrayList<>();
  private final List<CompletableFuture<Void>> listed = new ArrayList<>();
  private int subscribers;

  SharedWatch(KubernetesClient client, Class<R> type, Set<String> namespaces) {
    this.client = client;
    this.type = type;
    this.namespaces = namespaces;
  }

  /**
   * Adds a subscriber's handler, starting the informers if they are not running, and waits up to
   * {@code syncTimeout} for their first list (as JOSDK waits for its own informers; past it the
   * handler still gets every object as the list arrives).
   */
  synchronized void subscribe(ResourceEventHandler<R> handler, Duration syncTimeout) {
    if (informers.isEmpty()) {
      for (String namespace : watchedNamespaces()) {
        SharedIndexInformer<R> informer =
            namespace == null
                ? client.resources(type).inAnyNamespace().runnableInformer(0)
                : client.resources(type).inNamespace(namespace).runnableInformer(0);
        // Errors while listing or watching (an API server restarting, a CRD just installed) are
        // retried with backoff, never the end of the watch.
        informer.exceptionHandler((isStarted, t) -> true);
        informers.add(informer);
      }
      informers.forEach(informer -> informer.addEventHandler(handler));
      informers.forEach(informer -> listed.add(informer.start().toCompletableFuture()));
    } else {
      informers.forEach(informer -> informer.addEventHandler(handler));
    }
    subscribers++;
    awaitSynced(syncTimeout);
  }

  synchronized void unsubscribe(ResourceEventHandler<R> handler) {
    informers.forEach(informer -> informer.removeEventHandler(handler));
    if (--subscribers == 0) {
      informers.forEach(SharedIndexInformer::stop);
      informers.clear();
      listed.clear();
    }
  }

  /** Every object cached now, of every watched namespace. */
  List<R> list() {
    List<SharedIndexInformer<R>> now;
    synchronized (this) {
      now = List.copyOf(informers);
    }
    List<R> all = new ArrayList<>();
    now.forEach(informer -> all.addAll(informer.getStore().list()));
    return all;
  }

  boolean isWatching() {
    synchronized (this) {
      return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
    }
  }

  private List<String> watchedNamespaces() {
    List<String> watched = new ArrayList<>();
    if (namespaces.isEmpty() || namespaces.contains(Constants.WATCH_ALL_NAMESPACES)) {
      watched.add(null);
    } else {
      watched.addAll(namespaces);
    }
    return watched;
  }

  private void awaitSynced(Duration timeout) {
    for (CompletableFuture<Void> list : listed) {
      try {
        list.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        LOG.warn(
            "{} not listed within {} s; its objects come as the informer catches up: {}",
            HasMetadata.getKind(type),
            timeout.toSeconds(),
            e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
