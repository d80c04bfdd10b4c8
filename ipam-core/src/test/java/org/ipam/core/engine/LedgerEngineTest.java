package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The engine with a versioned-ledger binding ({@link InMemoryLedgerBinding}: the pool's ledger is
 * the commit point, each claim's address object is named after the claim). Deterministic: the tests
 * decide when each cache sees what.
 */
class LedgerEngineTest {
  private static final PoolSpec SPEC = AllocationEngineTest.v4("10.0.0.1", "10.0.0.40");
  private static Level engineLevel;

  private final FakeClock clock = new FakeClock();
  private final InMemoryApi api = new InMemoryApi(clock);

  @BeforeAll
  static void quiet() {
    Logger logger = (Logger) LoggerFactory.getLogger(AllocationEngine.class);
    engineLevel = logger.getLevel();
    logger.setLevel(Level.ERROR);
  }

  @AfterAll
  static void loud() {
    ((Logger) LoggerFactory.getLogger(AllocationEngine.class)).setLevel(engineLevel);
  }

  @Test
  void aBurstOfClaimsIsCommittedByOneLedgerWrite() {
    try (Writer writer = Writer.withLedger(api, clock, SPEC)) {
      for (int i = 0; i < 30; i++) {
        api.createClaim(i % 2 == 0 ? "IPClaim" : "IPAddressClaim", "c-" + i);
      }
      writer.flushAndPass();

      assertThat(api.ledgerWrites()).isEqualTo(1);
      assertThat(api.ledger().entries()).hasSize(30);
      settle(writer);
      assertEveryClaimServedByItsOwnEntry();
      assertThat(api.ledgerWrites()).as("no write of the ledger after the commit").isEqualTo(1);
      // Per claim: its object and its status (finalizer with it); the ledger write is shared.
      assertThat(api.writes() - 30).as("controller writes for 30 claims").isEqualTo(1 + 30 + 30);
    }
  }

  @Test
  void aLedgerWriteWhoseAnswerIsLostIsFoundOnTheRetryAndNotRecordedTwice() {
    try (Writer writer = Writer.withLedger(api, clock, SPEC)) {
      api.createClaim("IPClaim", "a");
      api.watch(
          new InMemoryApi.Watcher() {
            boolean lost;

            @Override
            public void claimEvent(InMemoryApi.EventType type, FakeClaim claim) {}

            @Override
            public void objectEvent(InMemoryApi.EventType type, AddressObject object) {}

            @Override
            public void ledgerEvent(List<LedgerEntry> entries) {
              if (!entries.isEmpty() && !lost) {
                lost = true;
                throw new IllegalStateException("connection reset: the ledger write's answer");
              }
            }
          });
      writer.flushAndPass();
      assertThat(api.ledger().entries()).hasSize(1);
      assertThat(api.claim("IPClaim", "a").orElseThrow().status()).isNull();

      settle(writer);

      assertThat(api.ledger().entries()).hasSize(1);
      assertEveryClaimServedByItsOwnEntry();
    }
  }

  @Test
  void aClaimDeletedBeforeTheCacheShowsItsCommitLeavesNoEntryAndNoObject() {
    try (Writer writer = Writer.withLedger(api, clock, SPEC)) {
      api.createClaim("IPClaim", "a");
      writer.informer.flushClaims();
      writer.pass();
      assertThat(api.ledger().entries()).hasSize(1);
      assertThat(api.objects()).hasSize(1);

      api.deleteClaim("IPClaim", "a");
      writer.informer.flushClaims(); // the ledger and the object are still not in the cache
      writer.pass();

      assertThat(api.ledger().entries()).isEmpty();
      assertThat(api.objects()).isEmpty();
      assertThat(api.claims()).isEmpty();
    }
  }

  @Test
  void anEntryOfAVanishedClaimKeepsItsAddressUntilTheGraceEndsThenIsRemoved() {
    api.writeLedger(
        "0",
        List.of(
            LedgerEntry.of(
                new ClaimId("IPClaim", "default", "gone", "uid-gone"),
                IpRange.single(Ip.parse("10.0.0.1")))));
    try (Writer writer =
        Writer.withLedger(api, clock, AllocationEngineTest.v4("10.0.0.1", "10.0.0.1"))) {
      api.createClaim("IPClaim", "b");
      writer.flushAndPass();
      assertThat(api.claim("IPClaim", "b").orElseThrow().status()).isNull();

      clock.advance(Writer.GRACE.plusSeconds(1));
      writer.flushAndPass(); // the orphan entry goes
      settle(writer);

      assertThat(api.ledger().entries()).extracting(LedgerEntry::claimName).containsExactly("b");
      assertEveryClaimServedByItsOwnEntry();
    }
  }

  @Test
  void theEntriesOfVanishedClaimsFoundInOnePassGoInOneLedgerWrite() {
    List<LedgerEntry> orphans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orphans.add(
          LedgerEntry.of(
              new ClaimId("IPClaim", "default", "gone-" + i, "uid-gone-" + i),
              IpRange.single(Ip.parse("10.0.0.1").plus(i))));
    }
    api.writeLedger("0", orphans);
    long before = api.ledgerWrites();
    try (Writer writer = Writer.withLedger(api, clock, SPEC)) {
      writer.flushAndPass();
      clock.advance(Writer.GRACE.plusSeconds(1));
      writer.flushAndPass();

      assertThat(api.ledger().entries()).isEmpty();
      assertThat(api.ledgerWrites() - before).as("ledger writes to remove 20 entries").isEqualTo(1);
    }
  }

  @Test
  void anAllocationHeldOnlyByItsObjectIsRecordedInTheLedgerAsItStands() {
    // As the controller this one replaces leaves it: an IPAddress, no ledger.
    FakeClaim claim = api.createClaim("IPAddressClaim", "old");
    api.createObject(
        InMemoryLedgerBinding.objectName(claim),
        Ip.parse("10.0.0.7"),
        "IPAddressClaim",
        "old",
        claim.uid());
    try (Writer writer = Writer.withLedger(api, clock, SPEC)) {
      settle(writer);

      assertThat(api.ledger().entries())
          .containsExactly(LedgerEntry.of(claim.id(), IpRange.single(Ip.parse("10.0.0.7"))));
      assertThat(api.objects()).hasSize(1);
    }
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 30);
  }

  /**
   * Split brain on the ledger: two writers, each with a cache that lags at random, serve claims of
   * two kinds that are created, deleted and created again under the same names, in a pool smaller
   * than the names. At no step do two address objects hold one address, and no claim is shown an
   * object of another; in the end every claim is served, objects and ledger entries match one to
   * one, and nothing of a deleted claim is left.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoWritersOnOneLedgerNeverHandOutOneAddressTwice(long seed) {
    Random random = new Random(seed);
    PoolSpec spec = AllocationEngineTest.v4("10.0.0.1", "10.0.0.40");
    String[][] names = new String[36][];
    for (int i = 0; i < names.length; i++) {
      names[i] = new String[] {i % 2 == 0 ? "IPClaim" : "IPAddressClaim", "n-" + i};
    }
    try (Writer one = Writer.withLedger(api, clock, spec);
        Writer two = Writer.withLedger(api, clock, spec)) {
      Writer[] writers = {one, two};
      for (int step = 0; step < 2000; step++) {
        Writer writer = writers[random.nextInt(2)];
        String[] name = names[random.nextInt(names.length)];
        switch (random.nextInt(11)) {
          case 0, 1 -> {
            if (api.claim(name[0], name[1]).isEmpty()) {
              api.createClaim(name[0], name[1]);
            }
          }
          case 2 -> {
            FakeClaim claim = api.claim(name[0], name[1]).orElse(null);
            if (claim != null && !claim.deleting()) {
              api.deleteClaim(name[0], name[1]);
            }
          }
          case 3 -> writer.informer.flushClaims(random.nextInt(20));
          case 4 -> writer.informer.flushObjects(random.nextInt(20));
          case 5 -> writer.informer.flushLedger(random.nextInt(3));
          case 6, 7, 8 -> writer.pass();
          default -> clock.advance(Duration.ofMillis(random.nextInt(2000)));
        }
        assertNoAddressHeldTwice(seed, step);
        TwoWritersTest.assertNoClaimShownAnotherClaimsObject(api, seed, step);
      }
      for (int round = 0; round < 200; round++) {
        for (Writer writer : writers) {
          writer.informer.flush();
          writer.pass();
        }
        clock.advance(Duration.ofSeconds(1));
        assertNoAddressHeldTwice(seed, -round);
      }
      long live = api.claims().size();
      assertThat(live).isLessThanOrEqualTo(40);
      assertEveryClaimServedByItsOwnEntry();
    }
  }

  /**
   * No two objects of live claims hold one address. An object a stale writer made for a claim that
   * another writer had just released (its claim gone) may briefly share an address: it shows it to
   * nobody, and is released after the orphan grace, before its ledger entry.
   */
  private void assertNoAddressHeldTwice(long seed, int step) {
    Set<String> live = new HashSet<>();
    api.claims().stream().filter(c -> !c.deleting()).forEach(c -> live.add(c.uid()));
    Map<Ip, String> holders = new HashMap<>();
    for (AddressObject object : api.objects()) {
      if (!live.contains(object.ownerUid())) {
        continue;
      }
      String other = holders.put(object.address(), object.name());
      assertThat(other)
          .as(
              "seed %d step %d: %s held by %s and %s",
              seed, step, object.address(), other, object.name())
          .isNull();
    }
  }

  /** Passes of the writer, with its cache flushed, until nothing more is written. */
  private void settle(Writer writer) {
    long before = -1;
    for (int round = 0; round < 100 && before != api.writes(); round++) {
      before = api.writes();
      writer.flushAndPass();
      clock.advance(Duration.ofSeconds(5));
      writer.flushAndPass();
    }
  }

  /**
   * Every live claim shows its object, which is its own; the ledger holds exactly one entry per
   * live claim, with the object's address; no object or entry of anything else.
   */
  private void assertEveryClaimServedByItsOwnEntry() {
    Map<String, IpRange> entries = new HashMap<>();
    for (LedgerEntry entry : api.ledger().entries()) {
      assertThat(entries.put(entry.claimUid(), entry.addresses()))
          .as("second entry of %s", entry.claimUid())
          .isNull();
    }
    Set<String> uids = new HashSet<>();
    List<String> unserved = new ArrayList<>();
    for (FakeClaim claim : api.claims()) {
      uids.add(claim.uid());
      AddressObject object =
          claim.status() == null ? null : api.object(claim.status()).orElse(null);
      if (object == null || claim.deleting()) {
        unserved.add(
            claim.kind()
                + " "
                + claim.name()
                + " (uid "
                + claim.uid()
                + (claim.deleting() ? ", deleting" : "")
                + ", status "
                + claim.status()
                + ", finalizers "
                + claim.finalizers()
                + ", object "
                + api.object(InMemoryLedgerBinding.objectName(claim))
                + ", entry "
                + entries.get(claim.uid())
                + ")");
        continue;
      }
      assertThat(object.ownerUid()).isEqualTo(claim.uid());
      assertThat(entries.get(claim.uid())).isEqualTo(IpRange.single(object.address()));
    }
    assertThat(unserved).as("claims without an address").isEmpty();
    assertThat(entries.keySet()).as("ledger entries, by claim uid").isEqualTo(uids);
    assertThat(api.objects())
        .as("address objects")
        .allSatisfy(o -> assertThat(uids).contains(o.ownerUid()))
        .hasSize(uids.size());
  }
}
