package org.ipam.incluster.webhook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.net.Ip;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.pool.AddressSyntax;

/**
 * The validating webhook of Cluster API IPAddresses of in-cluster pools, as Cluster API's own
 * (reference/incluster.md 1.6, 3.3). On CREATE: {@code spec.address} is an IP address; {@code
 * spec.prefix} fits its family (0-32 for IPv4, 0-128 for IPv6); {@code spec.gateway}, when set, is
 * an IP address; and when the claim {@code spec.claimRef.name} of the namespace exists, {@code
 * spec.poolRef} names the claim's pool (an empty {@code apiGroup} counting as {@code
 * ipam.cluster.x-k8s.io} on either side, as the controller reads it). On UPDATE the spec is
 * immutable. An IPAddress of another dialect's pool, before and after, is left alone.
 */
public final class CapiAddressValidator implements AdmissionValidator<IPAddress> {
  private final ClaimLookup claims;

  public CapiAddressValidator(ClaimLookup claims) {
    this.claims = claims;
  }

  @Override
  public Class<IPAddress> type() {
    return IPAddress.class;
  }

  @Override
  public Target target() {
    return new Target(IPAddressClaim.GROUP, IPAddressClaim.VERSION, "ipaddresses", "IPAddress");
  }

  @Override
  public List<String> validate(IPAddress address, IPAddress old) {
    if (!(isOurs(address) || (old != null && isOurs(old)))) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(address);
    IPAddressSpec spec = address.getSpec() == null ? new IPAddressSpec() : address.getSpec();
    if (old == null) {
      checkCreate(problems, address.getMetadata().getNamespace(), spec);
    } else {
      checkUnchanged(problems, spec, old.getSpec() == null ? new IPAddressSpec() : old.getSpec());
    }
    return problems.lines();
  }

  private void checkCreate(FieldProblems problems, String namespace, IPAddressSpec spec) {
    Ip ip = null;
    if (spec.getAddress() != null) {
      Parsed<Ip> parsed = AddressSyntax.parseAddress(spec.getAddress());
      if (parsed instanceof Parsed.Invalid<Ip> invalid) {
        problems.add("spec.address", spec.getAddress(), invalid.reason());
      } else {
        ip = parsed.orElseThrow();
      }
    }
    Integer prefix = spec.getPrefix();
    if (ip != null && prefix != null && (prefix < 0 || prefix > ip.family().bits())) {
      problems.add(
          "spec.prefix",
          prefix,
          "is not a prefix length of an "
              + ip.family()
              + " address (0 to "
              + ip.family().bits()
              + ") such as spec.address "
              + spec.getAddress());
    }
    String gateway = spec.getGateway();
    if (gateway != null
        && !gateway.isEmpty()
        && AddressSyntax.parseAddress(gateway) instanceof Parsed.Invalid<Ip> invalid) {
      problems.add("spec.gateway", gateway, invalid.reason());
    }
    String claimName = spec.getClaimRef() == null ? null : spec.getClaimRef().getName();
    if (claimName != null && !claimName.isEmpty()) {
      checkClaimsPool(problems, namespace, claimName, spec.getPoolRef());
    }
  }

  /** Cluster API's rule: an IPAddress comes from the pool its claim asks for. */
  private void checkClaimsPool(
      FieldProblems problems, String namespace, String claimName, PoolReference ref) {
    Optional<IPAddressClaim> claim;
    try {
      claim = claims.find(namespace, claimName);
    } catch (RuntimeException e) {
      problems.add(
          "spec.claimRef.name",
          claimName,
          "cannot be checked: IPAddressClaim "
              + namespace
              + "/"
              + claimName
              + " could not be read ("
              + e.getMessage()
              + "); try again in a moment");
      return;
    }
    PoolReference claimed =
        claim.map(IPAddressClaim::getSpec).map(IPAddressClaimSpec::getPoolRef).orElse(null);
    if (claim.isPresent() && !InClusterPoolRefs.samePool(ref, claimed)) {
      problems.add(
          "spec.poolRef",
          ref,
          "is not the pool of IPAddressClaim "
              + namespace
              + "/"
              + claimName
              + " (\""
              + claimed
              + "\"): an IPAddress comes from the pool its claim names");
    }
  }

  private static void checkUnchanged(
      FieldProblems problems, IPAddressSpec spec, IPAddressSpec before) {
    unchanged(problems, "spec.address", spec.getAddress(), before.getAddress());
    unchanged(problems, "spec.prefix", spec.getPrefix(), before.getPrefix());
    unchanged(problems, "spec.gateway", spec.getGateway(), before.getGateway());
    unchanged(problems, "spec.poolRef", spec.getPoolRef(), before.getPoolRef());
    unchanged(
        problems,
        "spec.claimRef.name",
        spec.getClaimRef() == null ? null : spec.getClaimRef().getName(),
        before.getClaimRef() == null ? null : before.getClaimRef().getName());
  }

  private static void unchanged(FieldProblems problems, String field, Object now, Object before) {
    if (!Objects.equals(now, before)) {
      problems.add(
          field,
          now == null ? "" : now,
          "cannot be modified (it was \""
              + (before == null ? "" : before)
              + "\"): the spec of an IPAddress is immutable");
    }
  }

  private static boolean isOurs(IPAddress address) {
    return address.getSpec() != null
        && InClusterPoolRefs.isInCluster(address.getSpec().getPoolRef());
  }
}
