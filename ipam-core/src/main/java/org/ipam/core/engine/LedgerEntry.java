package org.ipam.core.engine;

import java.time.Instant;
import org.ipam.core.net.IpRange;

/**
 * One allocation as a pool's ledger records it: the addresses, and the claim (by uid) that holds
 * them.
 */
public record LedgerEntry(
    IpRange addresses, String claimKind, String claimNamespace, String claimName, String claimUid) {

  /** The kind of {@link ObjectKey} under which the engine keeps ledger entries as holdings. */
  public static final String HOLDING_KIND = "ledger-entry";

  public LedgerEntry {
    if (claimUid == null || claimUid.isEmpty()) {
      throw new IllegalArgumentException("ledger entry " + addresses + " names no claim uid");
    }
  }

  public static LedgerEntry of(ClaimId claim, IpRange addresses) {
    return new LedgerEntry(addresses, claim.kind(), claim.namespace(), claim.name(), claim.uid());
  }

  /**
   * The entry as the engine holds it ({@link AllocationEngine#holdingSeen}): one holding per entry,
   * keyed by pool and addresses, so that an entry keeps its addresses occupied while the ledger
   * shows it, like any address object.
   *
   * @param recorded when the ledger was seen with it (entries carry no timestamp of their own)
   */
  public Holding asHolding(PoolKey pool, Instant recorded) {
    return new Holding(
        keyIn(pool, addresses), addresses, claimKind, claimName, claimUid, recorded, false);
  }

  /** The holding key of the entry for {@code addresses} in this pool's ledger. */
  public static ObjectKey keyIn(PoolKey pool, IpRange addresses) {
    return new ObjectKey(HOLDING_KIND, pool.namespace(), pool.name() + "/" + addresses);
  }

  /** Whether the engine keeps this holding for a ledger entry (not for an API object). */
  public static boolean isEntry(Holding holding) {
    return HOLDING_KIND.equals(holding.object().kind());
  }
}
