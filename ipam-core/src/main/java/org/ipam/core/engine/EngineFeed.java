package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/**
 * An informer event source that, before JOSDK sees an event, hands the object to the engine: the
 * engine's view of a pool is updated once per change of an object, and is up to date by the time
 * the pool's reconcile runs. The informer's cache is the only copy of the objects.
 */
public final class EngineFeed<R extends HasMetadata, P extends HasMetadata>
    extends InformerEventSource<R, P> {

  /** What the engine learns from an object's events; called on the informer's thread. */
  public interface Listener<R> {
    /** The pool the object belongs to, if any. */
    Optional<PoolKey> poolOf(R resource);

    /** Added or changed, in this pool. */
    void seen(PoolKey pool, R resource);

    /** Gone from this pool. */
    void gone(PoolKey pool, R resource);

    /** Added or changed, and in no pool (it names none). */
    default void unpooled(R resource) {}
  }

  /**
   * The listener of a dialect's address objects: each change tells the engine what the object holds
   * now (an object whose address does not parse holds nothing the engine can place: gone).
   */
  public static <R> Listener<R> holdings(
      AllocationEngine engine,
      java.util.function.Function<R, Optional<PoolKey>> poolOf,
      java.util.function.Function<R, Optional<Holding>> holding,
      java.util.function.Function<R, ObjectKey> keyOf) {
    return new Listener<R>() {
      @Override
      public Optional<PoolKey> poolOf(R address) {
        return poolOf.apply(address);
      }

      @Override
      public void seen(PoolKey pool, R address) {
        Optional<Holding> held = holding.apply(address);
        if (held.isPresent()) {
          engine.holdingSeen(pool, held.get());
        } else {
          engine.holdingGone(pool, keyOf.apply(address));
        }
      }

      @Override
      public void gone(PoolKey pool, R address) {
        engine.holdingGone(pool, keyOf.apply(address));
      }
    };
  }

  private final Listener<R> listener;

  public EngineFeed(
      InformerEventSourceConfiguration<R> configuration,
      EventSourceContext<P> context,
      Listener<R> listener) {
    super(configuration, context);
    this.listener = listener;
  }

  /**
   * Once the informer has synced, hands the engine everything in its cache. The informer's own add
   * notifications run on another thread and may still be queued when JOSDK starts reconciling; a
   * pass must never decide from a view that lacks objects the cache already has (it would hand a
   * moved claim a new address). Seen twice is harmless: the engine's {@code seen} is an upsert.
   */
  @Override
  public synchronized void start() {
    super.start();
    list(resource -> true).forEach(this::seen);
  }

  private void seen(R resource) {
    seen(listener, resource);
  }

  /** Tells the listener of an object added or changed: in its pool, or in none. */
  static <R> void seen(Listener<R> listener, R resource) {
    listener
        .poolOf(resource)
        .ifPresentOrElse(pool -> listener.seen(pool, resource), () -> listener.unpooled(resource));
  }

  /**
   * Tells the listener of a change; an object that moved to another pool (its reference edited) is
   * gone from the old one first. Returns whether it moved.
   */
  static <R> boolean updated(Listener<R> listener, R old, R resource) {
    Optional<PoolKey> before = listener.poolOf(old);
    boolean moved = before.isPresent() && !before.equals(listener.poolOf(resource));
    if (moved) {
      listener.gone(before.get(), old);
    }
    seen(listener, resource);
    return moved;
  }

  @Override
  public void onAdd(R resource) {
    seen(resource);
    super.onAdd(resource);
  }

  @Override
  public void onUpdate(R old, R resource) {
    updated(listener, old, resource);
    super.onUpdate(old, resource);
  }

  @Override
  public void onDelete(R resource, boolean deletedFinalStateUnknown) {
    listener.poolOf(resource).ifPresent(pool -> listener.gone(pool, resource));
    super.onDelete(resource, deletedFinalStateUnknown);
  }
}
