package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.ipam.core.alloc.PoolSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Split brain: two engines, each with its own cache of one API, serve the same claims of two kinds
 * from one pool that has exactly as many addresses as claims. Flushes of either cache, passes of
 * either engine and the clock are interleaved at random (seeded). At no moment may a claim be shown
 * an address object that is not its own, and in the end every claim holds exactly one address.
 */
class TwoWritersTest {
  private static final int CLAIMS = 200;
  private static Level engineLevel;

  @BeforeAll
  static void quiet() {
    // Thousands of passes: the per-pass INFO lines and expected WARNs would drown the report.
    Logger logger = (Logger) LoggerFactory.getLogger(AllocationEngine.class);
    engineLevel = logger.getLevel();
    logger.setLevel(Level.ERROR);
  }

  @AfterAll
  static void loud() {
    ((Logger) LoggerFactory.getLogger(AllocationEngine.class)).setLevel(engineLevel);
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoWritersNeverShowOneAddressToTwoClaimsAndServeEveryClaimOfAFullPool(long seed) {
    Random random = new Random(seed);
    FakeClock clock = new FakeClock();
    InMemoryApi api = new InMemoryApi(clock);
    PoolSpec spec = AllocationEngineTest.v4("10.0.0.1", "10.0.0.200");
    List<String[]> toCreate = new ArrayList<>();
    for (int i = 0; i < CLAIMS / 2; i++) {
      toCreate.add(new String[] {"IPClaim", String.format("m-%03d", i)});
      toCreate.add(new String[] {"IPAddressClaim", String.format("c-%03d", i)});
    }
    Collections.shuffle(toCreate, random);
    try (Writer one = new Writer(api, clock, spec);
        Writer two = new Writer(api, clock, spec)) {
      Writer[] writers = {one, two};
      int created = 0;
      for (int step = 0; step < 1500; step++) {
        Writer writer = writers[random.nextInt(2)];
        switch (random.nextInt(8)) {
          case 0 -> {
            int burst = 1 + random.nextInt(15);
            for (int i = 0; i < burst && created < toCreate.size(); i++, created++) {
              api.createClaim(toCreate.get(created)[0], toCreate.get(created)[1]);
            }
          }
          case 1, 2 -> writer.informer.flushClaims(random.nextInt(30));
          case 3, 4 -> writer.informer.flushObjects(random.nextInt(30));
          case 5, 6 -> writer.pass();
          default -> clock.advance(Duration.ofMillis(random.nextInt(400)));
        }
        assertNoClaimShownAnotherClaimsObject(api, seed, step);
      }
      while (created < toCreate.size()) {
        api.createClaim(toCreate.get(created)[0], toCreate.get(created)[1]);
        created++;
      }
      for (int round = 0; round < 200; round++) {
        for (Writer writer : writers) {
          writer.informer.flush();
          writer.pass();
        }
        clock.advance(Duration.ofSeconds(1));
        assertNoClaimShownAnotherClaimsObject(api, seed, -round);
      }
      // Settled: more rounds write nothing (no ping-pong between the writers).
      long writes = api.writes();
      for (int round = 0; round < 10; round++) {
        for (Writer writer : writers) {
          writer.informer.flush();
          writer.pass();
        }
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(api.writes()).as("seed %d: writes after settling", seed).isEqualTo(writes);

      Map<String, Integer> objectsPerUid = new HashMap<>();
      api.objects().forEach(o -> objectsPerUid.merge(o.ownerUid(), 1, Integer::sum));
      List<String> unserved = new ArrayList<>();
      for (FakeClaim claim : api.claims()) {
        if (claim.status() == null) {
          unserved.add(claim.kind() + " " + claim.name());
        }
      }
      assertThat(objectsPerUid)
          .as("seed %d: objects per claim uid", seed)
          .allSatisfy((uid, count) -> assertThat(count).as("objects of %s", uid).isEqualTo(1));
      assertThat(unserved).as("seed %d: claims without an address", seed).isEmpty();
      assertThat(api.objects()).hasSize(CLAIMS);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoWritersServeClaimsDeletedAndRecreatedUnderTheSameNamesWithoutLeaksOrSharing(long seed) {
    Random random = new Random(seed);
    FakeClock clock = new FakeClock();
    InMemoryApi api = new InMemoryApi(clock);
    PoolSpec spec = AllocationEngineTest.v4("10.0.0.1", "10.0.0.40");
    String[][] names = new String[30][];
    for (int i = 0; i < names.length; i++) {
      names[i] = new String[] {i % 2 == 0 ? "IPClaim" : "IPAddressClaim", "n-" + i};
    }
    try (Writer one = new Writer(api, clock, spec);
        Writer two = new Writer(api, clock, spec)) {
      Writer[] writers = {one, two};
      for (int step = 0; step < 2000; step++) {
        Writer writer = writers[random.nextInt(2)];
        String[] name = names[random.nextInt(names.length)];
        switch (random.nextInt(10)) {
          case 0, 1 -> {
            if (api.claim(name[0], name[1]).isEmpty()) {
              api.createClaim(name[0], name[1]);
            }
          }
          case 2 -> {
            // Deleted; now and then with its finalizer removed by someone else first (gone at
            // once).
            FakeClaim claim = api.claim(name[0], name[1]).orElse(null);
            if (claim != null && !claim.deleting()) {
              if (random.nextInt(4) == 0) {
                api.updateClaim(
                    name[0],
                    name[1],
                    claim.uid(),
                    c -> c.withoutFinalizer(InMemoryBinding.FINALIZER));
              }
              api.deleteClaim(name[0], name[1]);
            }
          }
          case 3, 4 -> writer.informer.flushClaims(random.nextInt(20));
          case 5, 6 -> writer.informer.flushObjects(random.nextInt(20));
          case 7, 8 -> writer.pass();
          default -> clock.advance(Duration.ofMillis(random.nextInt(2000)));
        }
        assertNoClaimShownAnotherClaimsObject(api, seed, step);
      }
      for (int round = 0; round < 200; round++) {
        for (Writer writer : writers) {
          writer.informer.flush();
          writer.pass();
        }
        clock.advance(Duration.ofSeconds(1));
        assertNoClaimShownAnotherClaimsObject(api, seed, -round);
      }

      Map<String, Integer> objectsPerUid = new HashMap<>();
      api.objects().forEach(o -> objectsPerUid.merge(o.ownerUid(), 1, Integer::sum));
      Map<String, Integer> expected = new HashMap<>();
      for (FakeClaim claim : api.claims()) {
        assertThat(claim.deleting()).as("seed %d: %s still deleting", seed, claim.name()).isFalse();
        assertThat(claim.status()).as("seed %d: %s unserved", seed, claim.name()).isNotNull();
        expected.put(claim.uid(), 1);
      }
      assertThat(objectsPerUid)
          .as("seed %d: objects per uid, live claims only", seed)
          .isEqualTo(expected);
      assertThat(one.stateIsEmpty() || !api.claims().isEmpty()).isTrue();
    }
  }

  static void assertNoClaimShownAnotherClaimsObject(InMemoryApi api, long seed, int step) {
    assertThat(api.violations()).as("seed %d step %d", seed, step).isEmpty();
    for (FakeClaim claim : api.claims()) {
      if (claim.status() != null) {
        api.object(claim.status())
            .ifPresent(
                object ->
                    assertThat(object.ownerUid())
                        .as(
                            "seed %d step %d: owner of %s shown to %s",
                            seed, step, object.name(), claim.name())
                        .isEqualTo(claim.uid()));
      }
    }
  }
}
