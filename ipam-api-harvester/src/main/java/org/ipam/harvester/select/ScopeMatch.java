package org.ipam.harvester.select;

import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.ScopeTuple;

/**
 * Whether a pool's selector admits a requirement (reference 2.2). The network is a hard condition:
 * equal strings, no wildcard. Then one scope tuple must match field by field: {@code *} on either
 * side matches anything, otherwise the values must be equal (so an absent field matches only an
 * absent requirement). Loosely, an empty project or guest cluster in the tuple also matches
 * anything (Harvester's UI writes only the namespace of a scope); the namespace never is relaxed.
 */
public final class ScopeMatch {
  private ScopeMatch() {}

  public static boolean strictly(PoolCandidate pool, Requirement r) {
    return pool.network().equals(r.network())
        && pool.scope().stream().anyMatch(t -> tupleMatches(t, r, false));
  }

  public static boolean loosely(PoolCandidate pool, Requirement r) {
    return pool.network().equals(r.network())
        && pool.scope().stream().anyMatch(t -> tupleMatches(t, r, true));
  }

  private static boolean tupleMatches(ScopeTuple t, Requirement r, boolean loose) {
    return field(t.project(), r.project(), loose)
        && field(t.namespace(), r.namespace(), false)
        && field(t.guestCluster(), r.cluster(), loose);
  }

  private static boolean field(String pool, String wanted, boolean emptyIsAny) {
    return HarvesterApi.ANY.equals(pool)
        || HarvesterApi.ANY.equals(wanted)
        || pool.equals(wanted)
        || (emptyIsAny && pool.isEmpty());
  }
}
