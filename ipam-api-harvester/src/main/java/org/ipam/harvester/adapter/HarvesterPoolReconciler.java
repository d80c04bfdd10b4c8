package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolPasses;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.pool.PoolRanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the IPPools of one group: each pass serves the LoadBalancers {@link ClaimRoutes} and
 * Services routed to the pool, through the engine, committed in the pool's ledger (docs/engine.md,
 * "The versioned ledger"). The {@code loadbalancer.harvesterhci.io} reconciler also runs the one
 * LoadBalancer informer and the one Service informer.
 */
abstract class HarvesterPoolReconciler<P extends HarvesterIPPool> implements Reconciler<P> {
  private static final Logger LOG = LoggerFactory.getLogger(HarvesterPoolReconciler.class);

  /** Every pool is reconciled at least this often (seconds): waiting claims are looked at again. */
  static final long RESYNC_SECONDS = 30;

  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);

  private final AllocationEngine engine;
  private final Clock clock;
  private final ClaimRoutes routes;
  private final PoolWakeups wakeups;
  private final ClaimWriters writers;
  private final Class<P> poolType;
  private final String group;
  private final boolean feedsLoadBalancers;
  private final LedgerFeed ledgers;
  private final KnownPools known;
  private final PoolLabels labels;
  private final ManualRelease manualRelease;
  private final Map<PoolKey, Set<ObjectKey>> foreign = new ConcurrentHashMap<>();

  HarvesterPoolReconciler(
      HarvesterDialectParts parts, Class<P> poolType, String group, boolean feedsLoadBalancers) {
    this.engine = parts.engine();
    this.clock = parts.clock();
    this.routes = parts.routes();
    this.wakeups = parts.wakeups();
    this.writers = parts.writers();
    this.ledgers = parts.ledgers();
    this.known = parts.known();
    this.labels = new PoolLabels(parts.writers().client(), parts.clock());
    this.manualRelease = new ManualRelease(parts.writers().client(), parts.clock());
    this.poolType = poolType;
    this.group = group;
    this.feedsLoadBalancers = feedsLoadBalancers;
  }

  @Override
  public List<EventSource<?, P>> prepareEventSources(EventSourceContext<P> context) {
    List<EventSource<?, P>> sources = new ArrayList<>();
    SimpleInboundEventSource<P> wakeup =
        new SimpleInboundEventSource<>("harvester-wakeup-" + group);
    wakeups.register(group, wakeup);
    sources.add(wakeup);
    if (feedsLoadBalancers) {
      sources.add(
          new ClaimFeed<>(
              LoadBalancer.class, poolType, context, routes, known, LoadBalancerClaim::new));
      sources.add(
          new ClaimFeed<>(Service.class, poolType, context, routes, known, ServiceClaim::new));
    }
    return sources;
  }

  @Override
  public UpdateControl<P> reconcile(P pool, Context<P> context) {
    return PoolPasses.guarded(pool, () -> reconcilePool(pool, context));
  }

  private UpdateControl<P> reconcilePool(P pool, Context<P> context) {
    if (engine.isFenced()) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    PoolKey key = HarvesterRecords.poolKey(pool.getMetadata().getName());
    if (context.isPrimaryResourceDeleted()) {
      // Gone (its finalizer removed by hand, or a shadowed pool that never had ours): forgotten
      // before anything routes a claim to it again; unless a new pool has taken its name since
      // (a late delete), whose routes, ledger and engine pool are known by that name too.
      if (!nameTakenAgain(pool, context)) {
        forget(pool, key);
      }
      return UpdateControl.noUpdate();
    }
    // Known to the pools' rules before selection hears of it: the refused pools it wakes are
    // judged against it as it is now.
    known.seen(pool);
    if (routes.shadowed(pool)) {
      // Its name is served by the loadbalancer.harvesterhci.io pool: this one hands out nothing,
      // and what its status held went with the name (the engine's pool is the other one's). Being
      // deleted, it goes at once.
      routes.poolSeen(pool, true);
      if (pool.getMetadata().getDeletionTimestamp() != null) {
        known.gone(pool); // first: the refused pools poolGone wakes are judged without it
        routes.poolGone(pool);
        ObjectWrites.removeFinalizer(client, pool, HarvesterApi.IP_POOL_FINALIZER);
      }
      return UpdateControl.noUpdate();
    }
    routes.poolSeen(pool);
    // Judged, and selection told: a pool that hands out nothing new is passed over (PoolSelector).
    known.listOnceFor(pool, () -> PoolListing.all(client));
    PoolRanges ranges = known.judged(pool, PoolRanges.of(pool));
    routes.poolSeen(pool, !ranges.usable());
    boolean deleting = pool.getMetadata().getDeletionTimestamp() != null;
    if (!deleting && !ObjectWrites.addFinalizer(client, pool, HarvesterApi.IP_POOL_FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    if (!deleting) {
      keepMetadata(pool);
    }
    List<LedgerEntry> entries = HarvesterRecords.entriesOf(pool);
    ledgers.deliver(key, pool.getMetadata().getResourceVersion(), entries, clock.instant());
    Set<String> holders = new HashSet<>();
    entries.forEach(e -> holders.add(e.claimUid()));
    routes.ledgerSeen(pool.getMetadata().getName(), holders);
    deliverForeign(key, pool);
    PoolSpec spec = ranges.allocator().withPreferred(history(pool));
    PassReport report =
        engine.run(new HarvesterPoolBinding(client, pool, ranges, spec, ledgers, routes, writers));
    if (deleting) {
      return finishDeletion(client, pool, key);
    }
    return report.control();
  }

  /**
   * The pool's labels and its manual-release annotation, before the pass (no pool lock held). A
   * failure here (a webhook not answering the label patch) is logged and tried on the next pass: it
   * must not keep the pool from serving.
   */
  private void keepMetadata(P pool) {
    try {
      labels.keep(pool);
      manualRelease.handle(pool);
    } catch (KubernetesClientException e) {
      LOG.warn("{}: labels or manuallyReleaseIP not kept yet: {}", pool.describe(), e.getMessage());
    }
  }

  /**
   * Allocation history first (reference 3.2): a claim routed here that holds nothing yet, whose
   * name ({@code namespace/name}, a Service's {@code Service/namespace/name}) the pool's {@code
   * allocatedHistory} remembers, prefers that address (if several, the lowest). Advisory: an
   * address someone holds is not taken from them.
   */
  private Map<String, Ip> history(HarvesterIPPool pool) {
    Map<String, String> remembered =
        pool.getStatus() == null || pool.getStatus().getAllocatedHistory() == null
            ? Map.of()
            : pool.getStatus().getAllocatedHistory();
    if (remembered.isEmpty()) {
      return Map.of();
    }
    Map<String, Ip> byId = new HashMap<>();
    remembered.forEach(
        (text, id) -> {
          if (IpParser.parseAddress(text) instanceof Parsed.Valid<Ip> ip) {
            byId.merge(id, ip.value(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          }
        });
    Set<String> holding = new HashSet<>();
    HarvesterRecords.entriesOf(pool).forEach(e -> holding.add(e.claimUid()));
    Map<String, Ip> preferred = new HashMap<>();
    routes
        .claimsIn(pool.getMetadata().getName())
        .forEach(
            (uid, id) -> {
              Ip ip = byId.get(id);
              if (ip != null && !holding.contains(uid)) {
                preferred.put(uid, ip);
              }
            });
    return preferred;
  }

  /** Addresses upstream's controller left in {@code allocated}: occupied, by no claim. */
  private void deliverForeign(PoolKey key, HarvesterIPPool pool) {
    Set<ObjectKey> now = new HashSet<>();
    for (Holding holding : HarvesterRecords.foreignOf(pool)) {
      now.add(holding.object());
      engine.holdingSeen(key, holding);
    }
    Set<ObjectKey> before = foreign.put(key, now);
    if (before != null) {
      before.stream().filter(k -> !now.contains(k)).forEach(k -> engine.holdingGone(key, k));
    }
  }

  /** Whether the informer holds a pool of this name with another uid: it was created again. */
  private boolean nameTakenAgain(P pool, Context<P> context) {
    return context
        .getPrimaryCache()
        .get(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(pool))
        .filter(
            current ->
                !java.util.Objects.equals(
                    current.getMetadata().getUid(), pool.getMetadata().getUid()))
        .isPresent();
  }

  /** The pool's finalizer stays until nothing of it is held. */
  private UpdateControl<P> finishDeletion(KubernetesClient client, P pool, PoolKey key) {
    if (engine.holdsAnything(key)) {
      return UpdateControl.<P>noUpdate().rescheduleAfter(DELETION_RECHECK);
    }
    forget(pool, key);
    ObjectWrites.removeFinalizer(client, pool, HarvesterApi.IP_POOL_FINALIZER);
    return UpdateControl.noUpdate();
  }

  /**
   * The pool is no more: its routes, its rules' view and, unless the pool of its name in the other
   * group serves on (whose engine pool this is too), the engine's view of it.
   */
  private void forget(P pool, PoolKey key) {
    boolean otherGroupServes = routes.shadowed(pool);
    known.gone(pool); // first: the refused pools poolGone wakes are judged without it
    routes.poolGone(pool);
    if (otherGroupServes) {
      return;
    }
    ledgers.forget(key);
    engine.forget(key);
    foreign.remove(key);
  }
}
