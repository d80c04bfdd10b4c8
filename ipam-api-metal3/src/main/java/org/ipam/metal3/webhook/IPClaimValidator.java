package org.ipam.metal3.webhook;

import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;
import java.util.Objects;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.model.IPClaim;

/**
 * IPClaim: a pool name, a specific-address annotation that is an address, and on update the same
 * pool. The pool's existence is not checked: a claim applied before its pool (one {@code kubectl
 * apply -f dir/}) is normal, and is served once the pool appears.
 */
public final class IPClaimValidator implements AdmissionValidator<IPClaim> {
  @Override
  public Class<IPClaim> type() {
    return IPClaim.class;
  }

  @Override
  public Target target() {
    return new Target("ipam.metal3.io", "v1alpha1", "ipclaims", "IPClaim");
  }

  @Override
  public List<String> validate(IPClaim claim, IPClaim old) {
    if (old != null && claim.getMetadata().getDeletionTimestamp() != null) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(claim);
    ObjectReference pool = claim.getSpec() == null ? null : claim.getSpec().getPool();
    problems.requireName("spec.pool.name", pool == null ? null : pool.getName());
    AddressAnnotation.check(problems, claim);
    if (old != null && old.getSpec() != null && pool != null) {
      ObjectReference before = old.getSpec().getPool();
      if (before != null && !samePool(pool, before)) {
        problems.add("spec.pool", pool.getName(), "cannot be modified");
      }
    }
    return problems.lines();
  }

  static boolean samePool(ObjectReference a, ObjectReference b) {
    return Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getNamespace(), b.getNamespace())
        && Objects.equals(a.getKind(), b.getKind());
  }
}
