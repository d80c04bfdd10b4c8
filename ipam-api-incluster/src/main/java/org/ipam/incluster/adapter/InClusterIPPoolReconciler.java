package org.ipam.incluster.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import java.time.Clock;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.SharedWatches;
import org.ipam.core.engine.WatchFilter;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;

/** The namespaced IP pools: claims of the pool's namespace. */
// Every event reaches the reconciler (the pool's finalizer is kept by hand, and a removed pause
// annotation is a metadata change that must wake the pool).
@ControllerConfiguration(
    name = "incluster-ippool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = InClusterPoolReconciler.RESYNC_SECONDS))
public final class InClusterIPPoolReconciler extends InClusterPoolReconciler<InClusterIPPool> {
  @Inject
  public InClusterIPPoolReconciler(
      AllocationEngine engine,
      Clock clock,
      WatchFilter watchFilter,
      SharedWatches watches,
      ClusterView clusterView) {
    super(
        engine,
        clock,
        InClusterIPPool.class,
        InClusterApi.IN_CLUSTER_IP_POOL,
        pool -> InClusterPoolSpec.of(pool, pool.getSpec()),
        watchFilter,
        watches,
        clusterView);
  }
}
