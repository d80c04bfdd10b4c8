package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.Timestamps;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metal3 objects as the engine knows them: which pool each belongs to, claims as {@link
 * ClaimFacts}, address objects as {@link Holding}s. Each object is read once per change.
 *
 * <p>A claim is known by its uid; an address object names its claim's uid in the owner reference
 * upstream puts on it (kind IPClaim or IPAddressClaim). An IPAddress without one was made by hand:
 * it keeps its address occupied, and a claim of the name it gives may adopt it.
 */
public final class Metal3Records {
  private static final Logger LOG = LoggerFactory.getLogger(Metal3Records.class);
  static final String DIALECT = "metal3";

  /** Kinds of claims, as {@link ClaimId#kind()} and {@link Holding#claimKind()} spell them. */
  public static final String IPCLAIM = "IPClaim";

  public static final String CAPI_CLAIM = "IPAddressClaim";

  /** Kinds of address objects, as {@link ObjectKey#kind()} spells them. */
  public static final String METAL3_ADDRESS = "IPAddress." + IPPool.GROUP;

  public static final String CAPI_ADDRESS = "IPAddress." + IPAddressClaim.GROUP;

  private Metal3Records() {}

  public static PoolKey poolKey(String namespace, String poolName) {
    return new PoolKey(DIALECT, namespace, poolName);
  }

  /** The pool an object belongs to; empty when it names none (or, for CAPI, not a Metal3 one). */
  public static Optional<PoolKey> poolOf(HasMetadata object) {
    String name = null;
    if (object instanceof IPClaim claim) {
      name =
          claim.getSpec() == null || claim.getSpec().getPool() == null
              ? null
              : claim.getSpec().getPool().getName();
    } else if (object instanceof IPAddress address) {
      name =
          address.getSpec() == null || address.getSpec().getPool() == null
              ? null
              : address.getSpec().getPool().getName();
    } else if (object instanceof IPAddressClaim claim) {
      name = claim.getSpec() == null ? null : metal3PoolName(claim.getSpec().getPoolRef());
    } else if (object instanceof org.ipam.core.capi.IPAddress address) {
      name = address.getSpec() == null ? null : metal3PoolName(address.getSpec().getPoolRef());
    }
    // A pool serves objects of its own namespace only (upstream's rule).
    return name == null || name.isEmpty()
        ? Optional.empty()
        : Optional.of(poolKey(object.getMetadata().getNamespace(), name));
  }

  /**
   * The pool name of a Cluster API reference meant for us. Upstream ignores group and kind and so
   * grabs claims meant for other providers; we do not.
   */
  static String metal3PoolName(PoolReference ref) {
    return ref != null && IPPool.GROUP.equals(ref.getApiGroup()) && "IPPool".equals(ref.getKind())
        ? ref.getName()
        : null;
  }

  public static ClaimFacts facts(HasMetadata claim) {
    var metadata = claim.getMetadata();
    return new ClaimFacts(
        new ClaimId(
            claim.getKind(), metadata.getNamespace(), metadata.getName(), metadata.getUid()),
        metadata.getName(),
        created(claim),
        metadata.getDeletionTimestamp() != null);
  }

  public static ObjectKey keyOf(HasMetadata address) {
    String kind = address instanceof IPAddress ? METAL3_ADDRESS : CAPI_ADDRESS;
    return new ObjectKey(
        kind, address.getMetadata().getNamespace(), address.getMetadata().getName());
  }

  /** The address object as a holding; empty when its address cannot be read (logged). */
  public static Optional<Holding> holding(HasMetadata address) {
    String text;
    String claimName;
    String defaultClaimKind;
    if (address instanceof IPAddress m3) {
      text = m3.getSpec() == null ? null : m3.getSpec().getAddress();
      claimName =
          m3.getSpec() == null || m3.getSpec().getClaim() == null
              ? null
              : m3.getSpec().getClaim().getName();
      defaultClaimKind = IPCLAIM;
    } else {
      var capi = (org.ipam.core.capi.IPAddress) address;
      text = capi.getSpec() == null ? null : capi.getSpec().getAddress();
      claimName =
          capi.getSpec() == null || capi.getSpec().getClaimRef() == null
              ? null
              : capi.getSpec().getClaimRef().getName();
      defaultClaimKind = CAPI_CLAIM;
    }
    Parsed<Ip> parsed = IpParser.parseAddress(text == null ? "" : text);
    if (parsed instanceof Parsed.Invalid<Ip> invalid) {
      LOG.warn(
          "{} {}/{}: spec.address {} is not usable, ignored",
          address.getKind(),
          address.getMetadata().getNamespace(),
          address.getMetadata().getName(),
          invalid.message());
      return Optional.empty();
    }
    // The claim is whichever claim kind its owner references name; a Metal3 IPAddress may be the
    // lock of a Cluster API claim (see Metal3PoolBinding).
    OwnerReference owner = claimOwner(address.getMetadata().getOwnerReferences());
    String claimKind = owner == null ? defaultClaimKind : owner.getKind();
    String claimUid = owner == null ? null : owner.getUid();
    if (owner != null && owner.getName() != null) {
      claimName = owner.getName();
    }
    return Optional.of(
        new Holding(
            keyOf(address),
            IpRange.single(parsed.orElseThrow()),
            claimKind,
            claimName,
            claimUid,
            created(address),
            address.getMetadata().getDeletionTimestamp() != null));
  }

  private static OwnerReference claimOwner(List<OwnerReference> owners) {
    if (owners == null) {
      return null;
    }
    for (OwnerReference owner : owners) {
      String group = owner.getApiVersion() == null ? "" : owner.getApiVersion().split("/")[0];
      boolean metal3Claim = IPCLAIM.equals(owner.getKind()) && IPPool.GROUP.equals(group);
      boolean capiClaim = CAPI_CLAIM.equals(owner.getKind()) && IPAddressClaim.GROUP.equals(group);
      if ((metal3Claim || capiClaim) && owner.getUid() != null && !owner.getUid().isEmpty()) {
        return owner;
      }
    }
    return null;
  }

  static Instant created(HasMetadata object) {
    String timestamp = object.getMetadata().getCreationTimestamp();
    return Timestamps.parseOr(timestamp, Instant.MAX);
  }
}
