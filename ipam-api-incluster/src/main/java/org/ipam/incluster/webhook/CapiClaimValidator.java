package org.ipam.incluster.webhook;

import java.util.List;
import java.util.Objects;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;

/**
 * The validating webhook of Cluster API IPAddressClaims on in-cluster pools, as Cluster API's own
 * (reference/incluster.md 1.6, 3.3): the spec is immutable, so an UPDATE that changes {@code
 * spec.poolRef} or {@code spec.clusterName} is refused, naming the field, the new and the old
 * value. A claim that names another dialect's pool, before and after, is left alone. On a cluster
 * without Cluster API's webhooks (our copy of its CRDs) this is what keeps a served claim from
 * moving to another pool under its IPAddress.
 */
public final class CapiClaimValidator implements AdmissionValidator<IPAddressClaim> {
  @Override
  public Class<IPAddressClaim> type() {
    return IPAddressClaim.class;
  }

  @Override
  public Target target() {
    return IPAddressClaim.ADMISSION_TARGET;
  }

  @Override
  public List<String> validate(IPAddressClaim claim, IPAddressClaim old) {
    if (old == null || !(isOurs(claim) || isOurs(old))) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(claim);
    IPAddressClaimSpec spec = claim.getSpec() == null ? new IPAddressClaimSpec() : claim.getSpec();
    IPAddressClaimSpec before = old.getSpec() == null ? new IPAddressClaimSpec() : old.getSpec();
    PoolReference ref = spec.getPoolRef();
    if (!Objects.equals(ref, before.getPoolRef())) {
      problems.add(
          "spec.poolRef",
          ref,
          "cannot be modified (it was \""
              + before.getPoolRef()
              + "\"): the spec of an IPAddressClaim is immutable");
    }
    if (!Objects.equals(spec.getClusterName(), before.getClusterName())) {
      problems.add(
          "spec.clusterName",
          spec.getClusterName() == null ? "" : spec.getClusterName(),
          "cannot be modified (it was \""
              + (before.getClusterName() == null ? "" : before.getClusterName())
              + "\"): the spec of an IPAddressClaim is immutable");
    }
    return problems.lines();
  }

  private static boolean isOurs(IPAddressClaim claim) {
    return claim.getSpec() != null && InClusterPoolRefs.isInCluster(claim.getSpec().getPoolRef());
  }
}
