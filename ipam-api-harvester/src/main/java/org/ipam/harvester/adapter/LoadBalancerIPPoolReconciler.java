package org.ipam.harvester.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;

/** IPPools of {@code loadbalancer.harvesterhci.io}, the group Harvester's code serves. */
@ControllerConfiguration(
    name = "harvester-ippool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = HarvesterPoolReconciler.RESYNC_SECONDS))
public final class LoadBalancerIPPoolReconciler extends HarvesterPoolReconciler<IPPool> {
  @Inject
  LoadBalancerIPPoolReconciler(HarvesterDialectParts parts) {
    super(parts, IPPool.class, HarvesterApi.LOADBALANCER_GROUP, true);
  }
}
