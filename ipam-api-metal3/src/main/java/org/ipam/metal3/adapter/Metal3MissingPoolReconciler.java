package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;

/**
 * Tells an IPClaim that its pool does not exist (upstream leaves it silent). Only that: the claim
 * keeps no finalizer of this reconciler, and once the pool appears the pool's reconciler serves the
 * claim and clears the message. A claim may be applied before its pool, so this is not an error the
 * webhook refuses.
 */
// Every event, deletions included: a deleting claim whose pool is gone is let go from here.
@ControllerConfiguration(
    name = "metal3-ipclaim-pool-check",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false)
public final class Metal3MissingPoolReconciler implements Reconciler<IPClaim> {
  private final Clock clock;
  private final AllocationEngine engine;

  @Inject
  public Metal3MissingPoolReconciler(Clock clock, AllocationEngine engine) {
    this.clock = clock;
    this.engine = engine;
  }

  /**
   * The pools, from an informer's cache: whether a claim's pool exists costs no API call. Pool
   * events wake no claim here (the pool's own reconciler serves its claims).
   */
  @Override
  public List<EventSource<?, IPClaim>> prepareEventSources(EventSourceContext<IPClaim> context) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IPPool.class, IPClaim.class)
                .withPrimaryToSecondaryMapper(
                    (IPClaim claim) -> {
                      ObjectReference pool =
                          claim.getSpec() == null ? null : claim.getSpec().getPool();
                      return pool == null || pool.getName() == null || pool.getName().isEmpty()
                          ? Set.of()
                          : Set.of(
                              new ResourceID(pool.getName(), claim.getMetadata().getNamespace()));
                    })
                .withSecondaryToPrimaryMapper(pool -> Set.of())
                .build(),
            context));
  }

  private static boolean poolExists(Context<IPClaim> context) {
    return context.getSecondaryResource(IPPool.class).isPresent();
  }

  /**
   * A deleting claim whose pool is gone: no pool pass will ever release it, and a pool is deleted
   * only once no IPAddress refers to it, so the claim holds nothing; its finalizer goes.
   */
  private UpdateControl<IPClaim> releaseIfPoolIsGone(IPClaim claim, Context<IPClaim> context) {
    if (claim.getMetadata().getFinalizers().contains(IPClaim.FINALIZER) && !poolExists(context)) {
      ObjectWrites.removeFinalizer(context.getClient(), claim, IPClaim.FINALIZER);
    }
    return UpdateControl.noUpdate();
  }

  @Override
  public UpdateControl<IPClaim> reconcile(IPClaim claim, Context<IPClaim> context) {
    if (context.isPrimaryResourceDeleted() || engine.isFenced()) {
      return UpdateControl.noUpdate();
    }
    boolean served = claim.getStatus() != null && claim.getStatus().getAddress() != null;
    ObjectReference poolRef = claim.getSpec() == null ? null : claim.getSpec().getPool();
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return releaseIfPoolIsGone(claim, context);
    }
    if (served || poolRef == null || poolRef.getName() == null || poolRef.getName().isEmpty()) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    // Upstream serves a claim only from a pool in its own namespace, whatever spec.pool.namespace
    // says.
    String namespace = claim.getMetadata().getNamespace();
    if (poolExists(context)) {
      return UpdateControl.noUpdate();
    }
    String message =
        "IPPool " + namespace + "/" + poolRef.getName() + " not found; served once it exists";
    if (claim.getStatus() == null || !message.equals(claim.getStatus().getErrorMessage())) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("errorMessage", message);
      ObjectWrites.patchStatus(client, claim, status);
      Events.warning(client, clock, claim, "PoolNotFound", message);
    }
    return UpdateControl.noUpdate();
  }
}
