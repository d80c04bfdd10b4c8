package org.ipam.incluster.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import java.time.Clock;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.SharedWatches;
import org.ipam.core.engine.WatchFilter;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;

/** The namespaced prefix pools: a child prefix for each claim of the pool's namespace. */
// Every event reaches the reconciler, as for the IP pools (finalizer kept by hand, pause removal).
@ControllerConfiguration(
    name = "incluster-prefixpool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = InClusterPoolReconciler.RESYNC_SECONDS))
public final class InClusterPrefixPoolReconciler
    extends InClusterPoolReconciler<InClusterPrefixPool> {
  @Inject
  public InClusterPrefixPoolReconciler(
      AllocationEngine engine,
      Clock clock,
      WatchFilter watchFilter,
      SharedWatches watches,
      ClusterView clusterView) {
    super(
        engine,
        clock,
        InClusterPrefixPool.class,
        InClusterApi.IN_CLUSTER_PREFIX_POOL,
        pool -> InClusterPoolSpec.ofPrefixPool(pool, pool.getSpec()),
        watchFilter,
        watches,
        clusterView);
  }
}
