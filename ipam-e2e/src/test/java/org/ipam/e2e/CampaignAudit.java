package org.ipam.e2e;

import java.util.List;
import java.util.Set;

/**
 * One look at a pool of the reliability campaign ({@link ReliabilityCampaignIT}): its claims, the
 * objects or ledger entries that hold addresses for them, and the pool's status, with what is wrong
 * with them. Each list names the objects it is about (kind, name, address), so that a failed run
 * says what to look at.
 *
 * @param liveClaims names of the claims that exist and are not being deleted
 * @param served names of the live claims that are served (their status shows their address or
 *     block, and that address is held for them)
 * @param heldTwice addresses (or blocks that overlap) held for two claims at once: the promise
 * @param orphans address objects or ledger entries whose claim is gone (by uid, not by name)
 * @param notOwn live claims whose status shows an address that is not held for them (another
 *     claim's, or none)
 * @param statusMismatch where the pool's status (ledger, indexes, counts) differs from the address
 *     objects or claims
 * @param stuck objects being deleted that are still there (a finalizer left behind)
 */
record CampaignAudit(
    Set<String> liveClaims,
    Set<String> served,
    List<String> heldTwice,
    List<String> orphans,
    List<String> notOwn,
    List<String> statusMismatch,
    List<String> stuck) {

  /** Whether every promise holds: every live claim served, nothing held twice, left or stuck. */
  boolean clean() {
    return served.containsAll(liveClaims)
        && heldTwice.isEmpty()
        && orphans.isEmpty()
        && notOwn.isEmpty()
        && statusMismatch.isEmpty()
        && stuck.isEmpty();
  }

  /** The live claims not served. */
  Set<String> unserved() {
    var unserved = new java.util.TreeSet<>(liveClaims);
    unserved.removeAll(served);
    return unserved;
  }

  /** A line for a log: the counts, and a few of each finding. */
  String summary() {
    return "live claims %d, served %d, unserved %s, held twice %s, orphans %s, not their own %s,"
            .formatted(
                liveClaims.size(),
                served.size(),
                few(unserved()),
                few(heldTwice),
                few(orphans),
                few(notOwn))
        + " status mismatch %s, stuck %s".formatted(few(statusMismatch), few(stuck));
  }

  /** A few items of a list for a log line: none, or up to five and how many more. */
  static String few(java.util.Collection<?> items) {
    if (items.isEmpty()) {
      return "none";
    }
    return items.stream()
            .limit(5)
            .map(String::valueOf)
            .collect(java.util.stream.Collectors.joining("; ", "[", "]"))
        + (items.size() > 5 ? " and " + (items.size() - 5) + " more" : "");
  }
}
