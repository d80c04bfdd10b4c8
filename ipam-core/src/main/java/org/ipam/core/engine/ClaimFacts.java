package org.ipam.core.engine;

import java.time.Instant;

/**
 * What the engine needs to know about one claim, read by the dialect from its cache.
 *
 * @param owner the allocator owner key; claims with the same owner share one allocation slot, so a
 *     dialect picks it to be unique among the claims of a pool (Metal3: the claim name)
 * @param kind the claim's kind, for log lines and messages
 * @param created the creation timestamp; pending claims are served oldest first
 * @param deleting whether the claim is being deleted (its allocation is released)
 * @param request what the claim asks for
 */
public record ClaimFacts(
    String owner,
    String kind,
    String namespace,
    String name,
    Instant created,
    boolean deleting,
    AllocationRequest request) {

  /** {@code Kind namespace/name}, how log lines and events name a claim. */
  public String describe() {
    return kind + " " + namespace + "/" + name;
  }
}
