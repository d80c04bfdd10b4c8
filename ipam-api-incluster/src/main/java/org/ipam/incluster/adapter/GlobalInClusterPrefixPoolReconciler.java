package org.ipam.incluster.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import java.time.Clock;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.SharedWatches;
import org.ipam.core.engine.WatchFilter;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;

/** The cluster-scoped prefix pools: a child prefix for each claim of every namespace. */
@ControllerConfiguration(
    name = "incluster-globalprefixpool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = InClusterPoolReconciler.RESYNC_SECONDS))
public final class GlobalInClusterPrefixPoolReconciler
    extends InClusterPoolReconciler<GlobalInClusterPrefixPool> {
  @Inject
  public GlobalInClusterPrefixPoolReconciler(
      AllocationEngine engine,
      Clock clock,
      WatchFilter watchFilter,
      SharedWatches watches,
      ClusterView clusterView) {
    super(
        engine,
        clock,
        GlobalInClusterPrefixPool.class,
        InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL,
        pool -> InClusterPoolSpec.ofPrefixPool(pool, pool.getSpec()),
        watchFilter,
        watches,
        clusterView);
  }
}
