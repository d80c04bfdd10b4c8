package org.ipam.incluster.plan;

import java.util.List;
import java.util.Set;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.plan.DialectPlan;
import org.ipam.core.plan.DialectPlanner;
import org.ipam.core.plan.PlanObject;
import org.ipam.incluster.model.InClusterApi;

/**
 * The in-cluster part of {@code ipam-controller plan}: InClusterIPPools and GlobalInClusterIPPools
 * (v1alpha2 and v1alpha1), InClusterPrefixPools and GlobalInClusterPrefixPools (v1alpha2), and the
 * Cluster API IPAddressClaims and IPAddresses whose {@code spec.poolRef} names one of them. Each
 * object is judged by its webhook's class as on CREATE; each admitted pool is translated as its
 * reconciler translates it and its claims are served as the engine serves them ({@link
 * InClusterPlanRun}).
 */
public final class InClusterPlanner implements DialectPlanner {
  private static final Set<String> CAPI_KINDS = Set.of("IPAddressClaim", "IPAddress");

  @Override
  public boolean reads(PlanObject object) {
    if (!InClusterApi.GROUP.equals(object.group())) {
      return false;
    }
    if (InClusterApi.POOL_KINDS.contains(object.kind())) {
      return true;
    }
    // The Cluster API kinds share the group; those of another provider's pools are not ours.
    return CAPI_KINDS.contains(object.kind())
        && PoolId.named(
                new PoolReference(
                    object.field("spec.poolRef.apiGroup"),
                    object.field("spec.poolRef.kind"),
                    object.field("spec.poolRef.name")),
                object.namespace())
            .isPresent();
  }

  @Override
  public DialectPlan plan(List<PlanObject> objects) {
    return new InClusterPlanRun().plan(objects);
  }
}
