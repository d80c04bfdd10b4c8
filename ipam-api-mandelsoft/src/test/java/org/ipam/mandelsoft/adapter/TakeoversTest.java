package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ipam.core.engine.PoolKey;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestStatus;
import org.junit.jupiter.api.Test;

/** Which shown blocks count as a takeover still to record. */
class TakeoversTest {
  private static final PoolKey RANGE = MandelsoftRecords.rangeKey("default", "pool");
  private static final Function<String, Optional<String>> NOWHERE = uid -> Optional.empty();

  private static IPAMRequest showing(String uid, String cidr) {
    IPAMRequest request = new IPAMRequest();
    request.setMetadata(
        new ObjectMetaBuilder().withNamespace("default").withName(uid).withUid(uid).build());
    IPAMRequestStatus status = new IPAMRequestStatus();
    status.setState("Ready");
    status.setCidr(cidr);
    request.setStatus(status);
    return request;
  }

  @Test
  void aBlockShownButNotInTheLedgerIsPendingUntilRecorded() {
    Takeovers takeovers = new Takeovers();
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));

    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending()).isTrue();
    assertThat(takeovers.snapshot(RANGE, Set.of("a"), "10", NOWHERE).pending()).isFalse();
  }

  /**
   * The cache can show the status this controller wrote before the range's new ledger (two
   * informers): a block it served itself is no takeover, and holds no fresh request back.
   */
  @Test
  void aBlockThisControllerServedIsNeverATakeoverEvenBeforeTheLedgerShowsIt() {
    Takeovers takeovers = new Takeovers();
    takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).served("a", Optional.of("11"));
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));

    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending()).isFalse();
  }

  /** Bad inputs tried: a status cidr with host bits, one that does not parse. */
  @Test
  void aShownValueThatIsNoAlignedBlockIsNoTakeover() {
    Takeovers takeovers = new Takeovers();
    takeovers.seen(RANGE, showing("a", "10.0.0.1/25"));
    takeovers.seen(RANGE, showing("b", "not-a-cidr"));

    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending()).isFalse();
  }

  /** Served by this process counts only until the ledger shows it: a lost ledger is a takeover. */
  @Test
  void aServedBlockIsATakeoverAgainOnceTheLedgerShowedItAndLostIt() {
    Takeovers takeovers = new Takeovers();
    takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).served("a", Optional.of("11"));
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));
    assertThat(takeovers.snapshot(RANGE, Set.of("a"), "10", NOWHERE).pending()).isFalse();

    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending()).isTrue();
  }

  /**
   * Cold review: a commit this process made and a later write dropped (upstream still running
   * during a swap overwrote the ledger) before the cache ever showed it: once the cache shows the
   * ledger at the commit's version or later without the entry, the shown block is a takeover, not
   * free room.
   */
  @Test
  void aServedBlockIsATakeoverOnceTheCacheIsPastItsCommitWithoutIt() {
    Takeovers takeovers = new Takeovers();
    // The commit read the ledger at 10, the version the cache shows too, and wrote 11.
    takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).served("a", Optional.of("10"));
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));
    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending())
        .as("the cache still shows the ledger the commit read")
        .isFalse();

    assertThat(takeovers.snapshot(RANGE, Set.of(), "12", NOWHERE).pending()).isTrue();
  }

  /** The range object going does not forget what its requests show. */
  @Test
  void whatRequestsShowOutlivesTheRangeObject() {
    Takeovers takeovers = new Takeovers();
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));
    takeovers.forget(RANGE);

    assertThat(takeovers.snapshot(RANGE, Set.of(), "10", NOWHERE).pending()).isTrue();
  }

  /** A block another range records for the request is no takeover here. */
  @Test
  void aBlockRecordedByAnotherRangeIsNoTakeover() {
    Takeovers takeovers = new Takeovers();
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));
    Takeovers.Snapshot snapshot =
        takeovers.snapshot(RANGE, Set.of(), "10", uid -> Optional.of("IPAMRange default/old"));

    assertThat(snapshot.pending()).isFalse();
    assertThat(snapshot.recordedElsewhere("a")).contains("IPAMRange default/old");
  }
}
