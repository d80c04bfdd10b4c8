package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.metal3.model.IPPool;

/**
 * Tells a claim that names no Metal3 pool, or one that does not exist, why it waits (upstream
 * leaves it silent), and lets go of a deleting claim whose pool is gone. Only that: once the pool
 * appears, the pool's reconciler serves the claim and replaces the message. A claim may be applied
 * before its pool, so a missing pool is not an error the webhook refuses.
 *
 * <p>A claim holds an address only through an address object that names its pool, and a pool is
 * deleted only once no address object names it: so a deleting claim whose pool is gone (read live)
 * and of which the engine knows no address holds nothing, and its finalizer can go without any
 * write elsewhere.
 *
 * @param <C> the claim kind
 */
abstract class MissingPoolCheck<C extends HasMetadata> implements Reconciler<C> {
  private final Clock clock;
  private final AllocationEngine engine;
  private final Class<C> claimType;

  MissingPoolCheck(Clock clock, AllocationEngine engine, Class<C> claimType) {
    this.clock = clock;
    this.engine = engine;
    this.claimType = claimType;
  }

  /** The Metal3 pool the claim names, in its own namespace; null when it names none of ours. */
  abstract String poolName(C claim);

  /** Whether the claim asks for a Metal3 pool at all (a Cluster API claim may ask elsewhere). */
  abstract boolean asksMetal3(C claim);

  abstract String finalizer();

  /** Whether the claim already shows an address. */
  abstract boolean served(C claim);

  /** Whether the claim already shows this message. */
  abstract boolean shows(C claim, String message);

  /** Writes the message to the claim's status. */
  abstract void tell(KubernetesClient client, C claim, String reason, String message);

  /**
   * The pools, from an informer's cache: whether a claim's pool exists costs no API call. Pool
   * events wake no claim here (the pool's own reconciler serves its claims).
   */
  @Override
  public List<EventSource<?, C>> prepareEventSources(
      io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<C> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IPPool.class, claimType)
                .withPrimaryToSecondaryMapper(
                    (C claim) -> {
                      String pool = asksMetal3(claim) ? poolName(claim) : null;
                      return pool == null || pool.isEmpty()
                          ? Set.of()
                          : Set.of(new ResourceID(pool, claim.getMetadata().getNamespace()));
                    })
                .withSecondaryToPrimaryMapper(pool -> Set.of())
                .build(),
            context));
  }

  @Override
  public UpdateControl<C> reconcile(C claim, Context<C> context) {
    if (context.isPrimaryResourceDeleted() || engine.isFenced() || !asksMetal3(claim)) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    if (context.getSecondaryResource(IPPool.class).isPresent()) {
      return UpdateControl.noUpdate();
    }
    String pool = poolName(claim);
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      if (claim.getMetadata().getFinalizers().contains(finalizer())
          && !poolLives(client, claim, pool)) {
        ObjectWrites.removeFinalizer(client, claim, finalizer());
      }
      return UpdateControl.noUpdate();
    }
    // The cache may lag a pool just created: a live read before telling the claim it is missing.
    if (served(claim) || poolLives(client, claim, pool)) {
      return UpdateControl.noUpdate();
    }
    // Upstream serves a claim only from a pool in its own namespace, whatever the reference says.
    String namespace = claim.getMetadata().getNamespace();
    String reason = pool == null || pool.isEmpty() ? "PoolNotSet" : "PoolNotFound";
    String message =
        reason.equals("PoolNotSet")
            ? claim.getKind()
                + " "
                + namespace
                + "/"
                + claim.getMetadata().getName()
                + " names no IPPool (the pool reference's name is empty)"
            : "IPPool " + namespace + "/" + pool + " not found; served once it exists";
    if (!shows(claim, message)) {
      tell(client, claim, reason, message);
      Events.warning(client, clock, claim, reason, message);
    }
    return UpdateControl.noUpdate();
  }

  /**
   * Whether the pool exists (read live, not from the cache) or the engine still knows an address of
   * it: then the pool's own reconciler answers and releases the claim, not this check.
   */
  private boolean poolLives(KubernetesClient client, C claim, String pool) {
    if (pool == null || pool.isEmpty()) {
      return false;
    }
    String namespace = claim.getMetadata().getNamespace();
    return engine.holdsAnything(Metal3Records.poolKey(namespace, pool))
        || client.resources(IPPool.class).inNamespace(namespace).withName(pool).get() != null;
  }

  Clock clock() {
    return clock;
  }
}
