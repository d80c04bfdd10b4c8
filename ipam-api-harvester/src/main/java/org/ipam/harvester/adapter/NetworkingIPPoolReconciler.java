package org.ipam.harvester.adapter;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import jakarta.inject.Inject;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.NetworkingIPPool;

/** IPPools of {@code networking.harvesterhci.io}, the group the Harvester documentation shows. */
@ControllerConfiguration(
    name = "harvester-networking-ippool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = HarvesterPoolReconciler.RESYNC_SECONDS))
public final class NetworkingIPPoolReconciler extends HarvesterPoolReconciler<NetworkingIPPool> {
  @Inject
  NetworkingIPPoolReconciler(HarvesterDialectParts parts) {
    super(parts, NetworkingIPPool.class, HarvesterApi.NETWORKING_GROUP, false);
  }
}
