package org.ipam.incluster.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import java.time.Clock;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.SharedWatches;
import org.ipam.core.engine.WatchFilter;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;

/** The cluster-scoped IP pools: claims of every namespace. */
@ControllerConfiguration(
    name = "incluster-globalippool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = InClusterPoolReconciler.RESYNC_SECONDS))
public final class GlobalInClusterIPPoolReconciler
    extends InClusterPoolReconciler<GlobalInClusterIPPool> {
  @Inject
  public GlobalInClusterIPPoolReconciler(
      AllocationEngine engine,
      Clock clock,
      WatchFilter watchFilter,
      SharedWatches watches,
      ClusterView clusterView) {
    super(
        engine,
        clock,
        GlobalInClusterIPPool.class,
        InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL,
        pool -> InClusterPoolSpec.of(pool, pool.getSpec()),
        watchFilter,
        watches,
        clusterView);
  }
}
