package org.ipam.core.engine;

import java.time.Instant;
import org.ipam.core.net.IpRange;

/**
 * An API object that holds addresses of a pool (a Metal3 or Cluster API IPAddress), as the dialect
 * read it once from the cache. Whatever it says, its addresses stay occupied while it exists: a
 * holding is never handed to anyone but the claim whose uid it carries.
 *
 * @param object the address object
 * @param addresses what it holds
 * @param claimKind the kind of claim it serves
 * @param claimName the name of that claim, as the object spells it
 * @param claimUid the uid of that claim from the object's owner reference; null for an object made
 *     by hand, which a claim of that name may adopt (see {@link PoolBinding#adopt})
 * @param deleting whether the object is being deleted
 */
public record Holding(
    ObjectKey object,
    IpRange addresses,
    String claimKind,
    String claimName,
    String claimUid,
    Instant created,
    boolean deleting) {

  /** Whether this object belongs to that claim (same uid). */
  public boolean belongsTo(ClaimId claim) {
    return claimUid != null && claimUid.equals(claim.uid());
  }
}
