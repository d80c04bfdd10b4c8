package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Set;
import org.ipam.core.engine.PoolKey;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestStatus;
import org.junit.jupiter.api.Test;

/** Which shown blocks count as a takeover still to record. */
class TakeoversTest {
  private static final PoolKey RANGE = MandelsoftRecords.rangeKey("default", "pool");

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

    assertThat(takeovers.snapshot(RANGE, Set.of()).pending()).isTrue();
    assertThat(takeovers.snapshot(RANGE, Set.of("a")).pending()).isFalse();
  }

  /**
   * The cache can show the status this controller wrote before the range's new ledger (two
   * informers): a block it served itself is no takeover, and holds no fresh request back.
   */
  @Test
  void aBlockThisControllerServedIsNeverATakeoverEvenBeforeTheLedgerShowsIt() {
    Takeovers takeovers = new Takeovers();
    takeovers.snapshot(RANGE, Set.of()).served("a");
    takeovers.seen(RANGE, showing("a", "10.0.0.0/25"));

    assertThat(takeovers.snapshot(RANGE, Set.of()).pending()).isFalse();
  }

  /** Bad inputs tried: a status cidr with host bits, one that does not parse. */
  @Test
  void aShownValueThatIsNoAlignedBlockIsNoTakeover() {
    Takeovers takeovers = new Takeovers();
    takeovers.seen(RANGE, showing("a", "10.0.0.1/25"));
    takeovers.seen(RANGE, showing("b", "not-a-cidr"));

    assertThat(takeovers.snapshot(RANGE, Set.of()).pending()).isFalse();
  }
}
