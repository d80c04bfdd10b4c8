package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EngineListener;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.NetworkingIPPool;
import org.ipam.harvester.pool.PoolRanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Findings of the second cold review of the Harvester dialect (webhooks off and pools that go),
 * each a test that failed before its fix. Bad inputs tried: two overlapping pools created at once,
 * a pool name taken in the other group, a scope of neither form.
 */
class HarvesterSecondReviewTest {
  private final AllocationEngine engine = new AllocationEngine(1, EngineListener.NONE);

  @AfterEach
  void stop() {
    engine.close();
  }

  private static IPPool pool(String name, String created, String spec) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n  name: "
            + name
            + "\n  uid: uid-"
            + name
            + "\n  generation: 1\n  creationTimestamp: \""
            + created
            + "\"\nspec:\n"
            + spec.indent(2),
        IPPool.class);
  }

  /** The LoadBalancer default/lb (uid u1) showing {@code ip} of {@code pool}. */
  static LoadBalancer lb(String pool, String ip, boolean deleting) {
    return Serialization.unmarshal(
        """
        apiVersion: loadbalancer.harvesterhci.io/v1beta1
        kind: LoadBalancer
        metadata:
          name: lb
          namespace: default
          uid: u1
          creationTimestamp: "2026-01-01T00:00:00Z"
          %s
          finalizers: [wrangler.cattle.io/harvester-lb-controller]
        spec:
          ipam: pool
        status:
          allocatedAddress: {ipPool: %s, ip: %s}
        """
            .formatted(
                deleting ? "deletionTimestamp: \"2026-01-02T00:00:00Z\"" : "generation: 1",
                pool,
                ip),
        LoadBalancer.class);
  }

  /**
   * Two overlapping pools created in the same second, webhooks off: b's first pass ran before a was
   * known, so b served; a's pass found no older pool (b is newer) and b holding nothing yet, so it
   * served too, and both handed out 10.5.0.2. The older pool now hands out nothing of a newer
   * overlapping pool's ranges, and a pool lists every pool live before its first pass.
   */
  @Test
  void anOlderPoolHandsOutNothingOfANewerOverlappingPoolsRanges() {
    IPPool a = pool("a", "2026-01-01T00:00:00Z", "ranges:\n- subnet: 10.5.0.0/24");
    IPPool b = pool("b", "2026-01-01T00:00:00Z", "ranges:\n- subnet: 10.5.0.0/28");
    KnownPools known = new KnownPools();
    known.seen(a);
    known.listOnceFor(a, () -> List.of(a, b)); // b's own pass has not run here

    PoolRanges judged = known.judged(a, PoolRanges.of(a));

    assertThat(judged.usable()).isTrue();
    Allocation first = (Allocation) new PoolAllocator(judged.allocator()).allocate("claim");
    boolean inB =
        PoolRanges.of(b).allocator().segments().stream()
            .anyMatch(segment -> segment.range().contains(first.block().address()));
    assertThat(inB).as("a handed out " + first.block() + ", which IPPool b hands out").isFalse();
  }

  /** The live list is taken once per spec generation, not on every pass. */
  @Test
  void theLiveListIsTakenOncePerGeneration() {
    IPPool a = pool("a", "2026-01-01T00:00:00Z", "ranges:\n- subnet: 10.5.0.0/24");
    KnownPools known = new KnownPools();
    int[] lists = {0};
    for (int pass = 0; pass < 3; pass++) {
      known.listOnceFor(
          a,
          () -> {
            lists[0]++;
            return List.of(a);
          });
    }
    assertThat(lists[0]).isEqualTo(1);
  }

  /**
   * A pool of a name taken in the other group, webhooks off: the name rule (a webhook's, on create)
   * ran on every pass, so the loadbalancer.harvesterhci.io pool that should serve was refused too.
   */
  @Test
  void aPoolOfANameTakenInTheOtherGroupServesAsTheDocsSay() {
    NetworkingIPPool older =
        Serialization.unmarshal(
            """
            apiVersion: networking.harvesterhci.io/v1beta1
            kind: IPPool
            metadata:
              name: x
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec:
              ranges:
              - subnet: 10.6.0.0/24
            """,
            NetworkingIPPool.class);
    IPPool newer = pool("x", "2026-01-02T00:00:00Z", "ranges:\n- subnet: 10.6.0.0/24");
    KnownPools known = new KnownPools();
    known.seen(older);
    known.seen(newer);

    PoolRanges judged = known.judged(newer, PoolRanges.of(newer));

    assertThat(judged.problem()).isNull();
  }

  /**
   * A scope of neither form (webhooks off) matched nothing, so every claim the pool held was routed
   * away (to the global pool: a new address) and the pool released theirs after the grace.
   */
  @Test
  void aPoolWhoseScopeDoesNotParseKeepsTheClaimsItHolds() {
    IPPool typo =
        pool(
            "typo",
            "2026-01-01T00:00:00Z",
            "ranges:\n- subnet: 10.7.0.0/24\nselector:\n  scope: 42");
    IPPool global =
        pool(
            "global",
            "2026-01-01T00:00:00Z",
            "ranges:\n- subnet: 10.8.0.0/24\nselector:\n  scope:\n  - project: \"*\"\n"
                + "    namespace: \"*\"\n    guestCluster: \"*\"");
    ClaimRoutes routes = new ClaimRoutes(engine, new PoolWakeups());
    routes.seed(List.<HarvesterIPPool>of(typo, global), p -> false);
    routes.ledgerSeen("typo", Set.of("u1"));
    routes.claimSeen(new LoadBalancerClaim(lb("typo", "10.7.0.2", false)));

    assertThat(routes.routeOf("u1")).contains("typo");
  }

  /**
   * A LoadBalancer on its way out whose pool finished deletion (a finalizer patch that met a 409
   * first): it kept its route to the pool that no longer existed, nothing woke a pass for it, and
   * its finalizer stayed. It now has no route, and is let go.
   */
  @Test
  void aClaimOnItsWayOutWhosePoolIsGoneHasNoRouteLeft() {
    IPPool x =
        pool(
            "x",
            "2026-01-01T00:00:00Z",
            "ranges:\n- subnet: 10.9.0.0/24\nselector:\n  scope:\n  - namespace: default");
    ClaimRoutes routes = new ClaimRoutes(engine, new PoolWakeups());
    routes.seed(List.<HarvesterIPPool>of(x), p -> false);
    routes.claimSeen(new LoadBalancerClaim(lb("x", "10.9.0.2", false)));
    routes.claimSeen(new LoadBalancerClaim(lb("x", "10.9.0.2", true)));
    assertThat(routes.routeOf("u1")).contains("x");

    routes.poolGone(x);

    assertThat(routes.routeOf("u1")).isEqualTo(Optional.empty());
  }
}
