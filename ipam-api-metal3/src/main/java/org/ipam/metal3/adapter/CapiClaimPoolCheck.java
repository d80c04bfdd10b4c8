package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.EnabledWhen;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.metal3.model.IPPool;

/**
 * A Cluster API IPAddressClaim whose poolRef names a Metal3 IPPool that does not exist: Ready False
 * with reason PoolNotFound. Enabled only where the Cluster API claim CRD is installed.
 */
@ControllerConfiguration(
    name = "metal3-ipaddressclaim-pool-check",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false)
public final class CapiClaimPoolCheck extends MissingPoolCheck<IPAddressClaim>
    implements EnabledWhen {
  private final boolean capiClaimsInstalled;

  @Inject
  public CapiClaimPoolCheck(
      java.time.Clock clock, AllocationEngine engine, @CapiClaims boolean capiClaimsInstalled) {
    super(clock, engine, IPAddressClaim.class);
    this.capiClaimsInstalled = capiClaimsInstalled;
  }

  @Override
  public boolean enabled() {
    return capiClaimsInstalled;
  }

  @Override
  String poolName(IPAddressClaim claim) {
    PoolReference ref = claim.getSpec() == null ? null : claim.getSpec().getPoolRef();
    return ref == null ? null : ref.getName();
  }

  @Override
  boolean asksMetal3(IPAddressClaim claim) {
    PoolReference ref = claim.getSpec() == null ? null : claim.getSpec().getPoolRef();
    return ref != null && IPPool.GROUP.equals(ref.getApiGroup()) && "IPPool".equals(ref.getKind());
  }

  @Override
  String finalizer() {
    return Metal3Claim.Capi.FINALIZER;
  }

  @Override
  boolean served(IPAddressClaim claim) {
    return claim.getStatus() != null && claim.getStatus().getAddressRef() != null;
  }

  @Override
  boolean shows(IPAddressClaim claim, String message) {
    return claim.getStatus() != null
        && Conditions.find(claim.getStatus().getConditions(), "Ready")
            .map(c -> "False".equals(c.getStatus()) && message.equals(c.getMessage()))
            .orElse(false);
  }

  @Override
  void tell(KubernetesClient client, IPAddressClaim claim, String reason, String message) {
    List<Condition> conditions =
        new ArrayList<>(claim.getStatus() == null ? List.of() : claim.getStatus().getConditions());
    Conditions.set(
        conditions,
        "Ready",
        false,
        reason,
        message,
        claim.getMetadata().getGeneration(),
        clock().instant());
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", conditions);
    ObjectWrites.patchStatus(client, claim, status);
  }
}
