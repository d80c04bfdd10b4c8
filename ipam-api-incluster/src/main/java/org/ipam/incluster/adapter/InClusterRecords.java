package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Instant;
import java.util.Optional;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.Timestamps;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.pool.AddressSyntax;

/**
 * Cluster API objects as the in-cluster dialect's engine knows them: which pool a claim or an
 * IPAddress names (its {@code spec.poolRef}, group {@code ipam.cluster.x-k8s.io} or empty, kind
 * InClusterIPPool, GlobalInClusterIPPool or their prefix pool kinds), claims as {@link ClaimFacts},
 * IPAddresses as {@link Holding}s. Claims of other groups and kinds (Metal3's) are not ours and are
 * left alone.
 */
public final class InClusterRecords {
  static final String DIALECT = "incluster";
  static final String CLAIM_KIND = "IPAddressClaim";
  static final String ADDRESS_KIND = "IPAddress." + IPAddressClaim.GROUP;

  private InClusterRecords() {}

  /**
   * The engine's key of a pool: namespaced pools by namespace and name, Global ones by name alone
   * (namespace null), so that a Global pool and a namespaced one of the same name stay apart.
   */
  public static PoolKey poolKey(String kind, String namespace, String name) {
    return new PoolKey(DIALECT, kind, InClusterApi.isGlobal(kind) ? null : namespace, name);
  }

  /** The pool a claim or an IPAddress names, if it is an IP pool of this dialect. */
  public static Optional<PoolKey> poolOf(HasMetadata object, String poolKind) {
    PoolReference ref = null;
    if (object instanceof IPAddressClaim claim && claim.getSpec() != null) {
      ref = claim.getSpec().getPoolRef();
    } else if (object instanceof IPAddress address && address.getSpec() != null) {
      ref = address.getSpec().getPoolRef();
    }
    if (ref == null
        || ref.getName() == null
        || !poolKind.equals(ref.getKind())
        || !(ref.getApiGroup() == null
            || ref.getApiGroup().isEmpty()
            || InClusterApi.GROUP.equals(ref.getApiGroup()))) {
      return Optional.empty();
    }
    return Optional.of(poolKey(poolKind, object.getMetadata().getNamespace(), ref.getName()));
  }

  public static ClaimFacts facts(IPAddressClaim claim) {
    var metadata = claim.getMetadata();
    return new ClaimFacts(
        new ClaimId(CLAIM_KIND, metadata.getNamespace(), metadata.getName(), metadata.getUid()),
        null,
        created(metadata.getCreationTimestamp()),
        metadata.getDeletionTimestamp() != null);
  }

  public static ObjectKey keyOf(HasMetadata address) {
    return addressKey(address.getMetadata().getNamespace(), address.getMetadata().getName());
  }

  /** The engine's key of the IPAddress of this namespace and name. */
  static ObjectKey addressKey(String namespace, String name) {
    return new ObjectKey(ADDRESS_KIND, namespace, name);
  }

  /**
   * What an IPAddress holds, read once: its address (for a prefix pool's IPAddress, the child
   * prefix {@code address/prefix}, host bits masked, as upstream reads it), and the claim (by uid)
   * whose owner reference it carries; empty when its address does not parse (it then holds nothing
   * the engine can place).
   */
  public static Optional<Holding> holding(IPAddress address) {
    if (address.getSpec() == null
        || !(AddressSyntax.parseAddress(address.getSpec().getAddress())
            instanceof Parsed.Valid<Ip> valid)) {
      return Optional.empty();
    }
    IpRange held = IpRange.single(valid.value());
    Integer prefix = address.getSpec().getPrefix();
    if (address.getSpec().getPoolRef() != null
        && InClusterApi.isPrefixPool(address.getSpec().getPoolRef().getKind())
        && prefix != null
        && prefix >= 0
        && prefix <= valid.value().family().bits()) {
      held = new Cidr(valid.value(), prefix).masked().range();
    }
    var metadata = address.getMetadata();
    String claimName =
        address.getSpec().getClaimRef() == null ? null : address.getSpec().getClaimRef().getName();
    return Optional.of(
        new Holding(
            keyOf(address),
            held,
            CLAIM_KIND,
            claimName,
            claimUid(address),
            created(metadata.getCreationTimestamp()),
            metadata.getDeletionTimestamp() != null));
  }

  /** The uid of the claim an IPAddress belongs to: its IPAddressClaim owner reference. */
  static String claimUid(HasMetadata address) {
    for (OwnerReference owner : address.getMetadata().getOwnerReferences()) {
      if (CLAIM_KIND.equals(owner.getKind())
          && owner.getApiVersion() != null
          && owner.getApiVersion().startsWith(IPAddressClaim.GROUP + "/")) {
        return owner.getUid();
      }
    }
    return null;
  }

  private static Instant created(String timestamp) {
    return Timestamps.parseOr(timestamp, Instant.EPOCH);
  }
}
