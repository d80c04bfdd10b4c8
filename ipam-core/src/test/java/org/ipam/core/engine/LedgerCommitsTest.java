package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/**
 * The versioned-ledger commit against a ledger in memory: what is recorded, what is refused and
 * why, and how a 409 is met. Bad inputs tried: an allocation overlapping another claim's entry
 * (single address and block), a second allocation for a claim that holds one, a ledger edited by
 * hand with overlapping entries, a full ledger, a ledger that changes under every write, and a
 * write that fails with something other than a conflict, a write whose answer lacks the entries
 * (pruned), and a decision made under an earlier spec generation.
 */
class LedgerCommitsTest {
  private static final PoolKey POOL = new PoolKey("test", "default", "pool");
  private final InMemoryApi api = new InMemoryApi(new FakeClock());
  private int writes;
  private int conflictsToInject;

  private final LedgerStore store =
      new LedgerStore() {
        @Override
        public Ledger read() {
          return api.ledger();
        }

        @Override
        public Ledger write(Ledger base, List<LedgerEntry> entries) {
          writes++;
          if (conflictsToInject > 0) {
            conflictsToInject--;
            // Another writer got in first: the ledger moves on under us.
            api.writeLedger(api.ledger().resourceVersion(), api.ledger().entries());
          }
          return api.writeLedger(base.resourceVersion(), entries);
        }
      };

  private static ClaimId claim(String name) {
    return new ClaimId("IPClaim", "default", name, "uid-" + name);
  }

  private static IpRange single(String address) {
    return IpRange.single(Ip.parse(address));
  }

  private static IpRange range(String first, String last) {
    return new IpRange(Ip.parse(first), Ip.parse(last));
  }

  private Map<String, CommitOutcome> record(LedgerCommits.Pending... pending) {
    return LedgerCommits.record(POOL, store, List.of(pending));
  }

  @Test
  void aBatchIsRecordedInOneWrite() {
    Map<String, CommitOutcome> outcomes =
        record(
            new LedgerCommits.Pending(claim("a"), single("10.0.0.1")),
            new LedgerCommits.Pending(claim("b"), single("10.0.0.2")),
            new LedgerCommits.Pending(claim("c"), range("10.0.0.8", "10.0.0.15")));

    assertThat(outcomes.values()).allMatch(o -> o instanceof CommitOutcome.Committed);
    assertThat(writes).isEqualTo(1);
    assertThat(api.ledger().entries())
        .extracting(LedgerEntry::claimUid)
        .containsExactly("uid-a", "uid-b", "uid-c");
  }

  @Test
  void anAllocationAnotherClaimsEntryOverlapsIsTakenAndTheRestOfTheBatchLands() {
    record(new LedgerCommits.Pending(claim("block"), range("10.0.0.8", "10.0.0.15")));

    Map<String, CommitOutcome> outcomes =
        record(
            new LedgerCommits.Pending(claim("a"), single("10.0.0.12")),
            new LedgerCommits.Pending(claim("b"), range("10.0.0.0", "10.0.0.15")),
            new LedgerCommits.Pending(claim("c"), single("10.0.0.16")));

    assertThat(outcomes.get("uid-a"))
        .isInstanceOfSatisfying(
            CommitOutcome.Taken.class,
            taken -> {
              assertThat(taken.detail()).contains("IPClaim default/block");
              assertThat(taken.holder().claimUid()).isEqualTo("uid-block");
            });
    assertThat(outcomes.get("uid-b")).isInstanceOf(CommitOutcome.Taken.class);
    assertThat(outcomes.get("uid-c")).isInstanceOf(CommitOutcome.Committed.class);
    assertThat(api.ledger().entries()).hasSize(2);
  }

  /**
   * The controller this one replaces has CRDs without the ledger's field: the API server answers
   * 200 and prunes it. Only the answer shows that nothing was recorded.
   */
  @Test
  void anAllocationTheApiServerDidNotKeepFailsAndIsNotCommitted() {
    record(new LedgerCommits.Pending(claim("a"), single("10.0.0.1")));
    LedgerStore pruning =
        new LedgerStore() {
          @Override
          public Ledger read() {
            return api.ledger();
          }

          @Override
          public Ledger write(Ledger base, List<LedgerEntry> entries) {
            api.writeLedger(base.resourceVersion(), entries);
            return new Ledger("pruned", List.of());
          }
        };

    Map<String, CommitOutcome> outcomes =
        LedgerCommits.record(
            POOL,
            pruning,
            List.of(
                new LedgerCommits.Pending(claim("a"), single("10.0.0.1")),
                new LedgerCommits.Pending(claim("b"), single("10.0.0.2"))));

    assertThat(outcomes.get("uid-a")).isEqualTo(CommitOutcome.Committed.found());
    assertThat(outcomes.get("uid-b"))
        .isInstanceOfSatisfying(
            CommitOutcome.Failed.class,
            failed ->
                assertThat(failed.message())
                    .contains("did not keep the allocation of 10.0.0.2")
                    .contains("apply this project's CRDs"));
  }

  /**
   * A pool shrunk after the decision and before its entry: the webhook saw neither an entry nor an
   * IPAddress for the address, so only the commit can notice that the spec moved on.
   */
  @Test
  void aDecisionMadeUnderAnEarlierSpecIsAConflictAndRecordsNothing() {
    LedgerStore movedOn =
        new LedgerStore() {
          @Override
          public Ledger read() {
            Ledger live = api.ledger();
            return new Ledger(live.resourceVersion(), live.entries(), 3);
          }

          @Override
          public Ledger write(Ledger base, List<LedgerEntry> entries) {
            writes++;
            return api.writeLedger(base.resourceVersion(), entries);
          }

          @Override
          public long specGeneration() {
            return 2;
          }
        };

    Map<String, CommitOutcome> outcomes =
        LedgerCommits.record(
            POOL, movedOn, List.of(new LedgerCommits.Pending(claim("a"), single("10.0.0.19"))));

    assertThat(outcomes.get("uid-a")).isInstanceOf(CommitOutcome.Conflict.class);
    assertThat(writes).isZero();
    assertThat(api.ledger().entries()).isEmpty();
  }

  @Test
  void theSameAllocationOfTheSameClaimIsCommittedWithoutAWrite() {
    record(new LedgerCommits.Pending(claim("a"), single("10.0.0.1")));
    int before = writes;

    // A retry after a lost response: the entry is there, it is ours.
    assertThat(record(new LedgerCommits.Pending(claim("a"), single("10.0.0.1"))).get("uid-a"))
        .isInstanceOf(CommitOutcome.Committed.class);
    assertThat(writes).isEqualTo(before);
  }

  @Test
  void aClaimThatHoldsAnEntryIsNotGivenASecond() {
    record(new LedgerCommits.Pending(claim("a"), single("10.0.0.1")));

    assertThat(record(new LedgerCommits.Pending(claim("a"), single("10.0.0.2"))).get("uid-a"))
        .isInstanceOfSatisfying(
            CommitOutcome.Taken.class,
            taken -> assertThat(taken.detail()).contains("already records 10.0.0.1"));
    assertThat(api.ledger().entries()).hasSize(1);
  }

  @Test
  void aLedgerEditedByHandWithOverlappingEntriesStillRefusesEveryOverlap() {
    api.writeLedger(
        "0",
        List.of(
            LedgerEntry.of(claim("wide"), range("10.0.0.1", "10.0.0.10")),
            LedgerEntry.of(claim("inner"), single("10.0.0.5"))));

    assertThat(record(new LedgerCommits.Pending(claim("a"), single("10.0.0.8"))).get("uid-a"))
        .isInstanceOf(CommitOutcome.Taken.class);
  }

  @Test
  void aConflictIsMetByReadingAndMergingAgain() {
    record(new LedgerCommits.Pending(claim("a"), single("10.0.0.1")));
    conflictsToInject = LedgerCommits.ATTEMPTS - 1;

    assertThat(record(new LedgerCommits.Pending(claim("b"), single("10.0.0.2"))).get("uid-b"))
        .isInstanceOf(CommitOutcome.Committed.class);
    assertThat(api.ledger().entries()).extracting(LedgerEntry::claimUid).contains("uid-b");
  }

  @Test
  void aLedgerThatKeepsChangingLeavesTheBatchToALaterPassWithNothingRecorded() {
    conflictsToInject = LedgerCommits.ATTEMPTS;

    assertThat(record(new LedgerCommits.Pending(claim("b"), single("10.0.0.2"))).get("uid-b"))
        .isInstanceOf(CommitOutcome.Conflict.class);
    assertThat(api.ledger().entries()).isEmpty();
  }

  @Test
  void aWriteThatFailsOtherwiseIsThrownForTheEngineToTreatAsInDoubt() {
    LedgerStore broken =
        new LedgerStore() {
          @Override
          public Ledger read() {
            return api.ledger();
          }

          @Override
          public Ledger write(Ledger base, List<LedgerEntry> entries) {
            throw new IllegalStateException("connection reset");
          }
        };

    assertThatThrownBy(
            () ->
                LedgerCommits.record(
                    POOL,
                    broken,
                    List.of(new LedgerCommits.Pending(claim("a"), single("10.0.0.1")))))
        .hasMessageContaining("connection reset");
  }

  @Test
  void aFullLedgerRefusesNewEntriesWithAMessageAndKeepsWhatItHolds() {
    List<LedgerEntry> full = new ArrayList<>();
    for (int i = 0; i < LedgerCommits.MAX_ENTRIES; i++) {
      full.add(LedgerEntry.of(claim("c" + i), IpRange.single(Ip.parse("10.1.0.0").plus(i))));
    }
    api.writeLedger("0", full);

    assertThat(record(new LedgerCommits.Pending(claim("new"), single("10.0.0.1"))).get("uid-new"))
        .isInstanceOfSatisfying(
            CommitOutcome.Failed.class,
            failed ->
                assertThat(failed.message()).contains(LedgerCommits.MAX_ENTRIES + " allocations"));
    assertThat(api.ledger().entries()).hasSize(LedgerCommits.MAX_ENTRIES);
  }

  @Test
  void removalTakesEveryEntryOfTheReleasedClaimsInOneWrite() {
    record(
        new LedgerCommits.Pending(claim("a"), single("10.0.0.1")),
        new LedgerCommits.Pending(claim("b"), single("10.0.0.2")),
        new LedgerCommits.Pending(claim("c"), single("10.0.0.3")));
    int before = writes;

    assertThat(
            LedgerCommits.remove(
                store, e -> e.claimUid().equals("uid-a") || e.claimUid().equals("uid-c")))
        .isTrue();
    assertThat(writes).isEqualTo(before + 1);
    assertThat(api.ledger().entries()).extracting(LedgerEntry::claimUid).containsExactly("uid-b");
    // Nothing left to remove: no write.
    assertThat(LedgerCommits.remove(store, e -> e.claimUid().equals("uid-a"))).isTrue();
    assertThat(writes).isEqualTo(before + 1);
  }
}
