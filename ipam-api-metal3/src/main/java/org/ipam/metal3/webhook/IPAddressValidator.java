package org.ipam.metal3.webhook;

import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;
import java.util.Objects;
import org.ipam.core.net.Ip;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.model.IPAddress;

/**
 * IPAddress: pool, claim and address present and valid; on update none of them changes. The address
 * is compared by value, so re-spelling the same IPv6 address (upstream compares text and rejects
 * it) passes.
 */
public final class IPAddressValidator implements AdmissionValidator<IPAddress> {
  @Override
  public Class<IPAddress> type() {
    return IPAddress.class;
  }

  @Override
  public Target target() {
    return new Target("ipam.metal3.io", "v1alpha1", "ipaddresses", "IPAddress");
  }

  @Override
  public List<String> validate(IPAddress address, IPAddress old) {
    if (old != null && address.getMetadata().getDeletionTimestamp() != null) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(address);
    var spec = address.getSpec();
    if (spec == null) {
      problems.add("spec", "", "cannot be empty");
      return problems.lines();
    }
    problems.requireName(
        "spec.pool.name", spec.getPool() == null ? null : spec.getPool().getName());
    problems.requireName(
        "spec.claim.name", spec.getClaim() == null ? null : spec.getClaim().getName());
    Ip ip = null;
    if (spec.getAddress() == null || spec.getAddress().isEmpty()) {
      problems.add("spec.address", "", "cannot be empty");
    } else {
      ip = problems.address("spec.address", spec.getAddress());
    }
    AddressAnnotation.check(problems, address);
    if (old != null && old.getSpec() != null) {
      var before = old.getSpec();
      Ip previous = FieldProblems.addressOrNull(before.getAddress());
      if (ip != null && previous != null && !ip.equals(previous)) {
        problems.add("spec.address", spec.getAddress(), "cannot be modified");
      }
      if (changed(spec.getPool(), before.getPool())) {
        problems.add("spec.pool", name(spec.getPool()), "cannot be modified");
      }
      if (changed(spec.getClaim(), before.getClaim())) {
        problems.add("spec.claim", name(spec.getClaim()), "cannot be modified");
      }
    }
    return problems.lines();
  }

  private static boolean changed(ObjectReference now, ObjectReference before) {
    if (now == null || before == null) {
      return !Objects.equals(now == null, before == null);
    }
    return !IPClaimValidator.samePool(now, before);
  }

  private static String name(ObjectReference reference) {
    return reference == null ? "" : reference.getName();
  }
}
