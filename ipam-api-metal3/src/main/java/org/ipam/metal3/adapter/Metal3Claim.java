package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.metal3.model.IPClaim;

/** A claim a Metal3 pool serves: its own IPClaim, or a Cluster API IPAddressClaim. */
public sealed interface Metal3Claim {
  HasMetadata object();

  /** The finalizer upstream puts on this kind of claim. */
  String finalizer();

  default String name() {
    return object().getMetadata().getName();
  }

  default String uid() {
    return object().getMetadata().getUid();
  }

  default String kind() {
    return object().getKind();
  }

  /** The claim an informer object is: an IPClaim or a Cluster API IPAddressClaim. */
  static Metal3Claim of(HasMetadata object) {
    return object instanceof IPClaim claim ? new Metal3(claim) : new Capi((IPAddressClaim) object);
  }

  record Metal3(IPClaim claim) implements Metal3Claim {
    @Override
    public HasMetadata object() {
      return claim;
    }

    @Override
    public String finalizer() {
      return IPClaim.FINALIZER;
    }
  }

  record Capi(IPAddressClaim claim) implements Metal3Claim {
    /** Upstream's finalizer on Cluster API claims it serves. */
    public static final String FINALIZER = "ipam.metal3.io/ipaddressclaim";

    /** Upstream's finalizer on the Cluster API IPAddresses it creates. */
    public static final String ADDRESS_FINALIZER = "ipam.metal3.io/ipaddress";

    @Override
    public HasMetadata object() {
      return claim;
    }

    @Override
    public String finalizer() {
      return FINALIZER;
    }

    /** The claim's Ready condition, if its status has one. */
    Optional<Condition> ready() {
      return ClaimReady.of(claim);
    }

    /** Whether its Ready condition has this status ("True" or "False"). */
    boolean readyIs(String status) {
      return ClaimReady.is(claim, status);
    }

    /** Its conditions with Ready set as given and the others kept: a status patch's value. */
    List<Condition> conditionsWithReady(boolean ready, String reason, String message, Instant now) {
      return ClaimReady.conditionsWith(claim, ready, reason, message, now);
    }
  }
}
