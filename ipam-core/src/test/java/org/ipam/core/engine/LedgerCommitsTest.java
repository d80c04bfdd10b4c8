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
 * write that fails with something other than a conflict.
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
        public void write(Ledger base, List<LedgerEntry> entries) {
          writes++;
          if (conflictsToInject > 0) {
            conflictsToInject--;
            // Another writer got in first: the ledger moves on under us.
            api.writeLedger(api.ledger().resourceVersion(), api.ledger().entries());
          }
          api.writeLedger(base.resourceVersion(), entries);
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
          public void write(Ledger base, List<LedgerEntry> entries) {
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
