package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.metal3.model.IPClaim;

/** An IPClaim's missing or unnamed pool, told in {@code status.errorMessage}. */
// Every event, deletions included: a deleting claim whose pool is gone is let go from here.
@ControllerConfiguration(
    name = "metal3-ipclaim-pool-check",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false)
public final class IPClaimPoolCheck extends MissingPoolCheck<IPClaim> {
  @Inject
  public IPClaimPoolCheck(Clock clock, AllocationEngine engine) {
    super(clock, engine, IPClaim.class);
  }

  @Override
  String poolName(IPClaim claim) {
    ObjectReference pool = claim.getSpec() == null ? null : claim.getSpec().getPool();
    return pool == null ? null : pool.getName();
  }

  @Override
  boolean asksMetal3(IPClaim claim) {
    return true;
  }

  @Override
  String finalizer() {
    return IPClaim.FINALIZER;
  }

  @Override
  boolean served(IPClaim claim) {
    return claim.getStatus() != null && claim.getStatus().getAddress() != null;
  }

  @Override
  boolean shows(IPClaim claim, String message) {
    return claim.getStatus() != null && message.equals(claim.getStatus().getErrorMessage());
  }

  @Override
  void tell(KubernetesClient client, IPClaim claim, String reason, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("errorMessage", message);
    ObjectWrites.patchStatus(client, claim, status);
  }
}
