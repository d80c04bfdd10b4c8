package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.Ledger;
import org.ipam.core.engine.LedgerCommits;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.IPPoolStatus;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.pool.PoolRanges;
import org.ipam.harvester.webhook.PoolRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Findings of the cold review of the Harvester dialect, each a test that failed before its fix: a
 * restart routing claims before their pools were known, a claim held in two pools routed to and
 * fro, the webhooks-off rules judging a pool only against older specs, a commit blind to upstream's
 * {@code status.allocated}, overlap messages naming rotated ranges.
 */
class HarvesterReviewFixesTest {
  private final AllocationEngine engine = new AllocationEngine(1, EngineListener.NONE);

  @AfterEach
  void stop() {
    engine.close();
  }

  private static IPPool pool(String yaml) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n" + yaml, IPPool.class);
  }

  private static final String NS_POOL =
      """
      metadata:
        name: ns-pool
        creationTimestamp: "2026-01-01T00:00:00Z"
      spec:
        ranges:
        - subnet: 10.1.0.0/24
        selector:
          scope:
          - namespace: default
      """;

  private static final String GLOBAL_POOL =
      """
      metadata:
        name: global
        creationTimestamp: "2026-01-01T00:00:00Z"
      spec:
        ranges:
        - subnet: 10.2.0.0/24
        selector:
          scope:
          - project: "*"
            namespace: "*"
            guestCluster: "*"
      """;

  private static LoadBalancer lbShowing(String pool, String ip) {
    return HarvesterSecondReviewTest.lb(pool, ip, false);
  }

  /**
   * Restart (or leader failover): ClaimFeed.start routes every claim before any pool reconciler ran
   * poolSeen; the first pool seen (here the global pool) takes every claim whose own pool is not
   * seen yet, and that pool's pass hands each a new address. Stickiness must not depend on the
   * order in which pools are reconciled after a start: the routes are seeded with every pool first.
   */
  @Test
  void afterARestartALoadBalancerIsNotRoutedAwayFromThePoolThatHoldsItsAddress() {
    ClaimRoutes routes = new ClaimRoutes(engine, new PoolWakeups());
    // At start the claim feed seeds the routes with every pool (a live list) before any claim.
    routes.seed(List.of(pool(GLOBAL_POOL), pool(NS_POOL)), p -> false);
    routes.claimSeen(new LoadBalancerClaim(lbShowing("ns-pool", "10.1.0.2")));
    routes.poolSeen(pool(GLOBAL_POOL), false); // the global pool's reconcile ran first
    assertThat(routes.routeOf("u1"))
        .as("LoadBalancer holding 10.1.0.2 of ns-pool, before ns-pool is seen")
        .isNotEqualTo(java.util.Optional.of("global"));
  }

  /**
   * Restart with webhooks off: the routes are seeded with each pool's judgement, so a refused pool
   * of higher priority over the namespace (its gateway the broadcast address) does not take the
   * namespace's new LoadBalancers before its first pass (found by the reliability campaign).
   */
  @Test
  void afterARestartARefusedPoolOfHigherPriorityDoesNotTakeTheNamespacesClaims() {
    IPPool good = pool(NS_POOL);
    IPPool bad =
        pool(
            """
            metadata:
              name: a-bad
              creationTimestamp: "2026-01-02T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.3.0.0/24
                gateway: 10.3.0.255
              selector:
                priority: 50
                scope:
                - namespace: default
            """);
    KnownPools known = new KnownPools();
    known.seenAll(List.of(good, bad));
    ClaimRoutes routes = new ClaimRoutes(engine, new PoolWakeups());
    routes.seed(List.of(good, bad), known::refuses);
    LoadBalancer fresh = lbShowing("", "");
    fresh.setStatus(null);
    routes.claimSeen(new LoadBalancerClaim(fresh));
    assertThat(routes.routeOf("u1")).contains("ns-pool");
  }

  /**
   * Webhooks off: an older pool whose ranges are edited over addresses a newer pool holds is judged
   * only against pools older than itself, so it serves on and hands out the newer pool's held
   * address (each pool has its own allocator: nothing else stops it).
   */
  @Test
  void webhooksOffAnOlderPoolEditedOverANewerPoolsHeldAddressDoesNotServeIt() {
    IPPool newer =
        pool(
            """
            metadata:
              name: newer
              creationTimestamp: "2026-01-02T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/28
              selector:
                priority: 2
                scope:
                - namespace: a
            status:
              total: 13
              available: 12
              lastAllocated: 10.0.0.5
              allocated: {"10.0.0.5": a/lb}
              allocations:
              - {ip: 10.0.0.5, namespace: a, name: lb, uid: u1}
            """);
    IPPool olderEdited =
        pool(
            """
            metadata:
              name: older
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/24
              selector:
                priority: 1
                scope:
                - namespace: b
            """);
    KnownPools known = new KnownPools();
    known.seen(newer);
    known.seen(olderEdited);
    PoolRanges judged = known.judged(olderEdited, PoolRanges.of(olderEdited));
    boolean servesHeld =
        judged.usable()
            && judged.allocator().segments().stream()
                .anyMatch(s -> s.range().contains(Ip.parse("10.0.0.5")));
    assertThat(servesHeld).as("older pool may hand out 10.0.0.5, held by IPPool newer").isFalse();
  }

  /**
   * The commit is checked "against the ledger as read": but the ledger is status.allocations only.
   * An address in status.allocated that the ledger does not record (upstream's, or written by hand
   * after the engine's cache was read) was not checked, and the write replaced its holder. The
   * ledger read now carries them as foreign holdings, which no commit may record.
   */
  @Test
  void aCommitDoesNotTakeAnAddressThatStatusAllocatedGivesToAnotherHolder() {
    IPPool live =
        pool(
            """
            metadata:
              name: p
              resourceVersion: "10"
            spec:
              ranges:
              - subnet: 10.0.0.0/24
            status:
              total: 253
              available: 252
              lastAllocated: 10.0.0.9
              allocated: {"10.0.0.9": default/upstream-lb}
            """);
    LedgerStore store =
        new LedgerStore() {
          @Override
          public Ledger read() {
            return PoolLedger.ledgerOf(live);
          }

          @Override
          public Ledger write(Ledger base, List<LedgerEntry> entries) {
            PoolLedger.apply(live.getStatus(), base.entries(), entries, 253);
            live.getMetadata().setResourceVersion("11");
            return read();
          }
        };
    Map<String, CommitOutcome> outcomes =
        LedgerCommits.record(
            HarvesterRecords.poolKey("p"),
            store,
            List.of(
                new LedgerCommits.Pending(
                    new ClaimId("LoadBalancer", "default", "mine", "u9"),
                    IpRange.single(Ip.parse("10.0.0.9")))));
    assertThat(outcomes.get("u9")).isNotInstanceOf(CommitOutcome.Committed.class);
    assertThat(live.getStatus().getAllocated()).containsEntry("10.0.0.9", "default/upstream-lb");
  }

  /**
   * A round-robin pool's segments are rotated after lastAllocated; PoolRules reports overlaps by
   * the index of the rotated segment, naming a spec.ranges[1] that does not exist and a value that
   * is not the user's.
   */
  @Test
  void anOverlapOfARoundRobinPoolNamesItsRealRange() {
    IPPool rr =
        pool(
            """
            metadata:
              name: rr
              annotations: {ipam.org/allocation-order: round-robin}
            spec:
              ranges:
              - subnet: 10.0.0.0/24
            status:
              total: 253
              available: 253
              lastAllocated: 10.0.0.5
            """);
    IPPool other =
        pool(
            """
            metadata:
              name: other
            spec:
              ranges:
              - subnet: 10.0.0.0/25
            """);
    List<String> problems = PoolRules.check(rr, null, List.of(other));
    assertThat(problems).isNotEmpty();
    assertThat(String.join("\n", problems))
        .doesNotContain("spec.ranges[1]")
        .contains("\"10.0.0.1-10.0.0.254\"");
  }

  /**
   * A Service held by two pools for a while (it moved: the pool it left releases its entry only
   * once it no longer shows that address) keeps the pool seen holding it first, however often the
   * two ledgers are seen in turn.
   */
  @Test
  void aClaimHeldInTwoPoolsIsNotRoutedToAndFro() {
    ClaimRoutes routes = new ClaimRoutes(engine, new PoolWakeups());
    routes.seed(List.of(pool(NS_POOL), pool(GLOBAL_POOL)), p -> false);
    routes.ledgerSeen("global", Set.of("u1"));
    routes.ledgerSeen("ns-pool", Set.of("u1"));
    routes.ledgerSeen("global", Set.of("u1"));
    assertThat(routes.holderOf("u1")).contains("global");

    routes.ledgerSeen("global", Set.of());
    assertThat(routes.holderOf("u1"))
        .as("global let go; ns-pool still holds it")
        .contains("ns-pool");
  }

  /** With webhooks off, a pool's first pass after a start knows what the others hold. */
  @Test
  void theRulesKnowEveryListedPoolBeforeItsReconcilerRan() {
    KnownPools known = new KnownPools();
    IPPool newer =
        pool(
            """
            metadata:
              name: newer
              creationTimestamp: "2026-01-02T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/28
            status:
              allocations:
              - {ip: 10.0.0.5, namespace: a, name: lb, uid: u1}
            """);
    IPPool older =
        pool(
            """
            metadata:
              name: older
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.0.0.0/24
            """);
    known.seenAll(List.of(newer, older));
    assertThat(known.judged(older, PoolRanges.of(older)).usable()).isFalse();
  }

  /**
   * Cold review: the ledger's cap counted entries (8,000, sized for ~160 bytes each), while a
   * Harvester pool keeps each allocation twice with names of any length, and its history grew
   * without bound: a pool passed etcd's 1.5 MiB request limit before the cap, and every later write
   * failed. Now the pool's store counts bytes and the history is bounded. Tried: the longest names
   * Kubernetes allows (63-character namespaces, 253-character names), a full history of them.
   */
  @Test
  void aPoolAtItsLedgersCapacityStaysUnderEtcdsRequestLimit() {
    IPPool full =
        pool(
            """
            metadata:
              name: big
            spec:
              ranges:
              - subnet: 10.0.0.0/16
            """);
    PoolLedger store = new PoolLedger(null, full, 65533, ledger -> {});
    String namespace = "n".repeat(63);
    List<LedgerEntry> entries = new java.util.ArrayList<>();
    long used = 0;
    for (int i = 0; ; i++) {
      LedgerEntry entry =
          new LedgerEntry(
              IpRange.single(Ip.parse("10.0." + (i / 250) + "." + (i % 250 + 2))),
              "LoadBalancer",
              namespace,
              "%05d".formatted(i) + "x".repeat(248),
              java.util
                  .UUID
                  .nameUUIDFromBytes(("u" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .toString());
      if (used + store.cost(entry) > store.capacity()) {
        break;
      }
      used += store.cost(entry);
      entries.add(entry);
    }
    IPPoolStatus status = new IPPoolStatus();
    java.util.Map<String, String> history = new java.util.TreeMap<>();
    for (int i = 0; i < 3 * PoolLedger.MAX_HISTORY; i++) {
      history.put("10.1." + (i / 250) + "." + (i % 250 + 2), namespace + "/" + "h".repeat(253));
    }
    status.setAllocatedHistory(history);
    PoolLedger.apply(status, List.of(), entries, 65533);
    full.setStatus(status);

    assertThat(status.getAllocatedHistory()).hasSize(PoolLedger.MAX_HISTORY);
    int bytes = Serialization.asJson(full).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(bytes).as("JSON bytes of the pool at capacity").isLessThan(1_572_864);
  }
}
