package org.ipam.core.engine;

/** How the write that commits one allocation ended. */
public sealed interface CommitOutcome {
  /**
   * The allocation exists for this very claim.
   *
   * @param written whether this commit's write created it; false when it was found already there
   *     (an earlier write of ours whose answer was lost, or another writer's), so that an
   *     allocation is counted once, by the commit that made it
   */
  record Committed(boolean written) implements CommitOutcome {
    /** This commit's write created it. */
    public Committed() {
      this(true);
    }

    /** Found already there for this very claim: nothing was written now. */
    public static Committed found() {
      return new Committed(false);
    }
  }

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
