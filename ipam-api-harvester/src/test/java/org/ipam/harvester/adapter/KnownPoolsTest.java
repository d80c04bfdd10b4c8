package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.ipam.core.net.Ip;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.pool.PoolRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With webhooks off, a newer pool that conflicts with an older one hands out nothing new; the older
 * one serves on, but not from the newer one's ranges: the newer one may have handed out addresses
 * there before it saw the older one, and no controller can be sure it did not (two cold reviews
 * broke each rule that tried to tell). The reliability campaign's bad input found the cost: a
 * refused pool over the good pool's whole subnet leaves it nothing to hand out
 * (docs/compat/harvester.md row 44).
 */
class KnownPoolsTest {
  private static IPPool pool(String yaml) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n" + yaml, IPPool.class);
  }

  private static IPPool older(long generation) {
    return pool(
        """
        metadata:
          name: good
          generation: %d
          creationTimestamp: "2026-01-01T00:00:00Z"
        spec:
          ranges:
          - subnet: 10.0.0.0/29
          selector:
            scope:
            - namespace: a
        """
            .formatted(generation));
  }

  /** A newer pool over the older one's subnet, scoped elsewhere; {@code extra}: its status. */
  private static IPPool newer(String created, long generation, String extra) {
    return pool(
        """
        metadata:
          name: over
          generation: %d
          creationTimestamp: "%s"
        spec:
          ranges:
          - subnet: 10.0.0.0/29
          selector:
            scope:
            - namespace: b
        %s"""
            .formatted(generation, created, extra));
  }

  /** How many of the subnet's addresses the judged ranges may hand out. */
  private static long handedOut(PoolRanges judged) {
    long free = 0;
    for (int host = 0; host < 8; host++) {
      Ip ip = Ip.parse("10.0.0." + host);
      if (judged.allocator().segments().stream().anyMatch(s -> s.range().contains(ip))
          && judged.allocator().reserved().excluded().stream().noneMatch(r -> r.contains(ip))) {
        free++;
      }
    }
    return free;
  }

  private static KnownPools knowing(IPPool... pools) {
    KnownPools known = new KnownPools();
    for (IPPool pool : pools) {
      known.seen(pool);
    }
    return known;
  }

  @Test
  void aRefusedNewerPoolKeepsItsRangesOutOfTheOlderPoolWhichServesOnFromTheRest() {
    IPPool older =
        pool(
            """
            metadata:
              name: good
              generation: 1
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/29
              - subnet: 10.0.1.0/29
              selector:
                scope:
                - namespace: a
            """);
    IPPool newer = newer("2026-01-05T00:00:00Z", 1, "");
    KnownPools known = knowing(older, newer);

    PoolRanges judged = known.judged(older, PoolRanges.of(older));

    assertThat(known.refuses(newer)).as("the newer pool").isTrue();
    assertThat(known.refuses(older)).as("the older pool").isFalse();
    assertThat(judged.usable()).isTrue();
    assertThat(handedOut(judged)).as("addresses of the overlap it may hand out").isZero();
    assertThat(judged.allocator().segments())
        .anySatisfy(s -> assertThat(s.range().contains(Ip.parse("10.0.1.2"))).isTrue());
  }

  /**
   * However long after the older pool the newer one came, edited or not, whatever its status says:
   * a pool held in admission is stamped before it is stored, so its creation time does not say when
   * the other pool could first see it.
   */
  @ParameterizedTest(name = "newer created {0}, generation {1}; older generation {2}")
  @CsvSource({
    "2026-01-01T00:00:00Z, 1, 1",
    "2026-01-01T00:00:09Z, 1, 1",
    "2026-01-03T00:00:00Z, 2, 1",
    "2026-01-03T00:00:00Z, 1, 2",
  })
  void theNewerPoolsRangesStayOutOfTheOlderPool(
      String newerCreated, long newerGeneration, long olderGeneration) {
    IPPool older = older(olderGeneration);
    IPPool newer = newer(newerCreated, newerGeneration, "");

    PoolRanges judged = knowing(older, newer).judged(older, PoolRanges.of(older));

    assertThat(judged.usable()).isTrue();
    assertThat(handedOut(judged)).isZero();
  }

  /**
   * A late delete of a pool whose name a new pool took since (a cold review's finding): the new one
   * stays known, so a newer pool over it stays refused and does not hand out what it holds.
   */
  @Test
  void aLateDeleteOfAnEarlierPoolOfTheSameNameLeavesTheNewOneKnown() {
    IPPool earlier = older(1);
    earlier.getMetadata().setUid("u-earlier");
    IPPool taken = older(1);
    taken.getMetadata().setUid("u-taken");
    IPPool newer = newer("2026-01-05T00:00:00Z", 1, "");
    KnownPools known = knowing(taken, newer);

    known.gone(earlier);

    assertThat(known.refuses(newer)).isTrue();
    known.gone(taken);
    assertThat(known.refuses(newer)).isFalse();
  }

  /** A newer pool whose own spec cannot be served hands out nothing and never did. */
  @Test
  void aNewerPoolWithABadSpecTakesNothingFromTheOlderPool() {
    IPPool older = older(1);
    IPPool bad =
        pool(
            """
            metadata:
              name: bad
              generation: 3
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/29
                gateway: 10.0.0.7
              selector:
                priority: 50
                scope:
                - namespace: a
            """);

    KnownPools known = knowing(older, bad);
    PoolRanges judged = known.judged(older, PoolRanges.of(older));

    assertThat(judged.allocator().reserved().excluded()).isEmpty();
    assertThat(known.refuses(bad)).isTrue();
    assertThat(known.refuses(older)).isFalse();
  }

  /** What a newer pool holds there (it served before it saw the older one) stays its own. */
  @Test
  void anAddressTheNewerPoolHoldsThereKeepsTheOlderPoolRefused() {
    IPPool older = older(1);
    IPPool newer =
        newer(
            "2026-01-01T00:00:09Z",
            1,
            """
            status:
              allocated: {"10.0.0.2": b/lb}
              allocations:
              - {ip: 10.0.0.2, namespace: b, name: lb, uid: u1}
            """);

    PoolRanges judged = knowing(older, newer).judged(older, PoolRanges.of(older));

    assertThat(judged.usable()).isFalse();
    assertThat(judged.problem()).contains("10.0.0.2", "IPPool over");
  }
}
