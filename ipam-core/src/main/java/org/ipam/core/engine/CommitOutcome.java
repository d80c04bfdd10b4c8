package org.ipam.core.engine;

/** How the write that commits one allocation ended. */
public sealed interface CommitOutcome {
  /** The write succeeded (or an earlier write of ours for this very claim had): it exists. */
  record Committed() implements CommitOutcome {}

  /**
   * A competing writer holds the address: our decision came from a stale view. The engine keeps the
   * address occupied (by {@code holder}, when the binding read it, else by a placeholder until the
   * cache shows the object) and decides again.
   */
  record Taken(String detail, Holding holder) implements CommitOutcome {}

  /** The claim disappeared before its allocation could be written; nothing was written. */
  record ClaimGone() implements CommitOutcome {}

  /**
   * The claim changed under us (a 409 on a resourceVersion-guarded write): routine, retried soon
   * and quietly, nothing written.
   */
  record Conflict() implements CommitOutcome {}

  /** Any other failure, with a message for the claim; nothing of the allocation stays. */
  record Failed(String message) implements CommitOutcome {}
}
