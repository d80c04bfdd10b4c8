package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/**
 * What a ledger feed hands the engine: the changes between deliveries, never an older ledger than
 * it delivered (a cached pool lagging behind a commit's live read).
 */
class LedgerFeedTest {
  private static final PoolKey POOL = new PoolKey("test", "default", "pool");
  private final AllocationEngine engine = new AllocationEngine(1, EngineListener.NONE);
  private final LedgerFeed feed = new LedgerFeed(engine);

  private static LedgerEntry entry(String name, String address) {
    return LedgerEntry.of(
        new ClaimId("IPAddressClaim", "default", name, "uid-" + name),
        IpRange.single(Ip.parse(address)));
  }

  private List<Holding> held(String name) {
    return engine.inspect(POOL, state -> state.objectsOf("uid-" + name));
  }

  @Test
  void entriesComeAndGoWithTheLedger() {
    feed.deliver(POOL, "5", List.of(entry("a", "10.0.0.1"), entry("b", "10.0.0.2")), Instant.EPOCH);
    assertThat(held("a")).hasSize(1);
    assertThat(held("b")).hasSize(1);

    feed.deliver(POOL, "6", List.of(entry("b", "10.0.0.2")), Instant.EPOCH);

    assertThat(held("a")).isEmpty();
    assertThat(held("b")).hasSize(1);
  }

  @Test
  void anOlderLedgerThanTheOneDeliveredIsIgnored() {
    feed.deliver(POOL, "7", List.of(entry("a", "10.0.0.1"), entry("b", "10.0.0.2")), Instant.EPOCH);

    feed.deliver(POOL, "6", List.of(entry("b", "10.0.0.2")), Instant.EPOCH);

    assertThat(held("a")).as("an entry the newer ledger has stays").hasSize(1);
  }

  @Test
  void versionsThatAreNotNumbersAreNeverCalledOlder() {
    assertThat(LedgerFeed.olderThan("6", "7")).isTrue();
    assertThat(LedgerFeed.olderThan("8", "7")).isFalse();
    assertThat(LedgerFeed.olderThan("abc", "7")).isFalse();
    assertThat(LedgerFeed.olderThan("6", "x")).isFalse();
  }

  @Test
  void forgettingThePoolTakesItsEntriesOutOfTheEngine() {
    feed.deliver(POOL, "5", List.of(entry("a", "10.0.0.1")), Instant.EPOCH);

    feed.forget(POOL);

    assertThat(held("a")).isEmpty();
  }
}
