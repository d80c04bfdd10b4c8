package org.ipam.core.capi;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipam.core.engine.Conditions;

/**
 * The Cluster API contract's {@code Ready} condition of an IPAddressClaim, read and rewritten the
 * same way by every dialect that serves Cluster API claims.
 */
public final class ClaimReady {
  public static final String TYPE = "Ready";

  private ClaimReady() {}

  /** The claim's Ready condition, if its status has one. */
  public static Optional<Condition> of(IPAddressClaim claim) {
    return claim.getStatus() == null
        ? Optional.empty()
        : Conditions.find(claim.getStatus().getConditions(), TYPE);
  }

  /** Whether its Ready condition has this status ("True" or "False"). */
  public static boolean is(IPAddressClaim claim, String status) {
    return of(claim).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  /** Its conditions with Ready set as given and the others kept: a status patch's value. */
  public static List<Condition> conditionsWith(
      IPAddressClaim claim, boolean ready, String reason, String message, Instant now) {
    List<Condition> conditions =
        new ArrayList<>(claim.getStatus() == null ? List.of() : claim.getStatus().getConditions());
    Conditions.set(
        conditions, TYPE, ready, reason, message, claim.getMetadata().getGeneration(), now);
    return conditions;
  }
}
