package org.ipam.core.engine;

/** How the write that commits one allocation ended. */
public sealed interface CommitOutcome {
  /** The write succeeded: the allocation exists. */
  record Committed() implements CommitOutcome {}

  /**
   * A competing writer holds the address (the create met AlreadyExists): our decision came from a
   * stale view and is rolled back; the claim is tried again in the next pass.
   */
  record Taken(String detail) implements CommitOutcome {}

  /** The claim disappeared before its allocation could be written; nothing was written. */
  record ClaimGone() implements CommitOutcome {}

  /** Any other failure, with a message for the claim; the allocation is rolled back. */
  record Failed(String message) implements CommitOutcome {}
}
