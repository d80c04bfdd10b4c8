package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link EngineFeed}'s work (the engine learns each change of an object before the pool is
 * reconciled) over a {@link SharedWatch}: many reconcilers, one watch of the kind. Each change goes
 * to this reconciler's listener, then wakes the pools it maps to.
 */
public final class SharedFeed<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> {
  private final SharedWatch<R> watch;
  private final EngineFeed.Listener<R> listener;
  private final Function<R, Set<ResourceID>> primaries;
  private final java.time.Duration syncTimeout;
  private final ResourceEventHandler<R> handler =
      new ResourceEventHandler<>() {
        @Override
        public void onAdd(R resource) {
          seen(resource);
          wake(resource);
        }

        @Override
        public void onUpdate(R old, R resource) {
          if (EngineFeed.updated(listener, old, resource)) {
            wake(old);
          }
          wake(resource);
        }

        @Override
        public void onDelete(R resource, boolean deletedFinalStateUnknown) {
          listener.poolOf(resource).ifPresent(pool -> listener.gone(pool, resource));
          wake(resource);
        }
      };

  /**
   * @param primaries the pools (as JOSDK keys them) an object of this kind wakes
   */
  public SharedFeed(
      Class<R> type,
      SharedWatches watches,
      EventSourceContext<P> context,
      EngineFeed.Listener<R> listener,
      Function<R, Set<ResourceID>> primaries) {
    super(
        type,
        "shared-" + type.getSimpleName() + "-" + context.getPrimaryResourceClass().getSimpleName());
    this.watch = watches.of(type, context.getControllerConfiguration().getEffectiveNamespaces());
    this.listener = listener;
    this.primaries = primaries;
    this.syncTimeout =
        context.getControllerConfiguration().getConfigurationService().cacheSyncTimeout();
  }

  /**
   * Subscribes, then hands the engine everything the shared cache holds: the informer's add
   * notifications run on another thread and may still be queued when JOSDK starts reconciling, and
   * a pass must never decide from a view that lacks objects the cache already has. Seen twice is
   * harmless: the engine's {@code seen} is an upsert.
   */
  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    watch.subscribe(handler, syncTimeout);
    watch.list().forEach(this::seen);
    super.start();
  }

  @Override
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    watch.unsubscribe(handler);
    super.stop();
  }

  /** Healthy while its watch is up, as JOSDK says of its own informers (readiness reads it). */
  @Override
  public Status getStatus() {
    return isRunning() && watch.isWatching() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  /** The cached objects that wake this pool: a scan, for rare checks (a pool being deleted). */
  @Override
  public Set<R> getSecondaryResources(P primary) {
    ResourceID id = ResourceID.fromResource(primary);
    return watch.list().stream()
        .filter(resource -> primaries.apply(resource).contains(id))
        .collect(Collectors.toSet());
  }

  private void seen(R resource) {
    EngineFeed.seen(listener, resource);
  }

  private void wake(R resource) {
    if (!isRunning()) {
      return;
    }
    for (ResourceID pool : primaries.apply(resource)) {
      getEventHandler().handleEvent(new Event(pool));
    }
  }
}
