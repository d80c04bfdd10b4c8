package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * An informer event source that, before JOSDK sees an event, hands the object to the engine: the
 * engine's view of a pool is updated once per change of an object, and is up to date by the time
 * the pool's reconcile runs. The informer's cache is the only copy of the objects.
 */
public final class EngineFeed<R extends HasMetadata, P extends HasMetadata>
    extends InformerEventSource<R, P> {

  /** What the engine learns from an object's events; called on the informer's thread. */
  public interface Listener<R> {
    void seen(R resource);

    void gone(R resource);

    /**
     * An update; by default the old object is forgotten if it moved elsewhere, then the new seen.
     */
    default void updated(R old, R resource) {
      seen(resource);
    }
  }

  private final Listener<R> listener;

  public EngineFeed(
      InformerEventSourceConfiguration<R> configuration,
      EventSourceContext<P> context,
      Listener<R> listener) {
    super(configuration, context);
    this.listener = listener;
  }

  @Override
  public void onAdd(R resource) {
    listener.seen(resource);
    super.onAdd(resource);
  }

  @Override
  public void onUpdate(R old, R resource) {
    listener.updated(old, resource);
    super.onUpdate(old, resource);
  }

  @Override
  public void onDelete(R resource, boolean deletedFinalStateUnknown) {
    listener.gone(resource);
    super.onDelete(resource, deletedFinalStateUnknown);
  }
}
