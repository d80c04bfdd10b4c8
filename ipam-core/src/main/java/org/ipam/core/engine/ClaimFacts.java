package org.ipam.core.engine;

import java.time.Instant;

/**
 * What the engine needs to know about one claim, read by the dialect from its cache.
 *
 * @param id who the claim is (kind, namespace, name, uid); allocations are keyed by the uid
 * @param reservationKey the name the pool's pre-allocations know this claim by, unique among the
 *     live claims of a pool (Metal3: the claim name, for IPClaims and Cluster API claims alike: of
 *     two claims with one key the one that holds an address, else the oldest, is served); null when
 *     the dialect has no such key
 * @param created the creation timestamp; pending claims are served oldest first
 * @param deleting whether the claim is being deleted (what it holds is released)
 */
public record ClaimFacts(ClaimId id, String reservationKey, Instant created, boolean deleting) {
  public String namespace() {
    return id.namespace();
  }

  public String name() {
    return id.name();
  }

  public String uid() {
    return id.uid();
  }

  public String describe() {
    return id.describe();
  }
}
