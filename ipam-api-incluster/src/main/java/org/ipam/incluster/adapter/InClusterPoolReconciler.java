package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ClusterPause;
import org.ipam.core.engine.EngineFeed;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PerVersion;
import org.ipam.core.engine.PoolEvents;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolPasses;
import org.ipam.core.engine.SharedFeed;
import org.ipam.core.engine.SharedWatches;
import org.ipam.core.engine.WatchFilter;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one in-cluster pool of one kind (IP or prefix pool) at a time: the Cluster API
 * IPAddressClaims whose {@code poolRef} names it are served in one pass through the engine,
 * committed in the pool's ledger (docs/engine.md, "The versioned ledger"). Claims and IPAddresses
 * map to their pool; a burst of claims coalesces into one pass and one ledger write.
 */
abstract class InClusterPoolReconciler<P extends CustomResource<?, PoolStatus>>
    implements Reconciler<P> {
  private static final Logger LOG = LoggerFactory.getLogger(InClusterPoolReconciler.class);
  private static final Duration PAUSED_RECHECK = Duration.ofSeconds(30);

  /**
   * Every pool is reconciled at least this often (seconds), whatever events came: claims waiting
   * for room are looked at again ({@code AllocationEngine.WAITING_RECHECK}) even if a freed address
   * was never seen as an event. A pass that finds nothing to do writes nothing.
   */
  static final long RESYNC_SECONDS = 30;

  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);

  private final AllocationEngine engine;
  private final Clock clock;
  private final LedgerFeed ledgers;
  private final PoolEvents poolEvents = new PoolEvents();
  private final PerVersion<PoolKey, InClusterPoolSpec> specs = new PerVersion<>();
  private final Class<P> poolType;
  private final String poolKind;
  private final Function<P, InClusterPoolSpec> translation;
  private final WatchFilter watchFilter;
  private final SharedWatches watches;
  private final ClusterView clusterView;

  /** Cluster API's Clusters, for the pause contract; null where Cluster API is not installed. */
  private volatile InformerEventSource<GenericKubernetesResource, P> clusters;

  /** The claims that name each Cluster, so that a Cluster's change wakes them. */
  private final ClaimsOfClusters claimsOfClusters = new ClaimsOfClusters();

  /**
   * @param translation the pool's spec as the engine serves it ({@link InClusterPoolSpec#of} for IP
   *     pools, {@link InClusterPoolSpec#ofPrefixPool} for prefix pools)
   */
  InClusterPoolReconciler(
      AllocationEngine engine,
      Clock clock,
      Class<P> poolType,
      String poolKind,
      Function<P, InClusterPoolSpec> translation,
      WatchFilter watchFilter,
      SharedWatches watches,
      ClusterView clusterView) {
    this.engine = engine;
    this.watches = watches;
    this.clusterView = clusterView;
    this.clock = clock;
    this.ledgers = new LedgerFeed(engine);
    this.poolType = poolType;
    this.poolKind = poolKind;
    this.translation = translation;
    this.watchFilter = watchFilter;
  }

  /** The pool a claim or an IPAddress of this kind's pools names, as JOSDK keys the pool. */
  private ResourceID resourceIdOf(PoolKey key) {
    return new ResourceID(key.name(), key.namespace());
  }

  private PoolKey keyOf(P pool) {
    return InClusterRecords.poolKey(
        poolKind, pool.getMetadata().getNamespace(), pool.getMetadata().getName());
  }

  @Override
  public List<EventSource<?, P>> prepareEventSources(EventSourceContext<P> context) {
    List<EventSource<?, P>> sources =
        new ArrayList<>(List.of(claimFeed(context), addressFeed(context)));
    ClusterPause.servedVersion(context.getClient())
        .ifPresent(
            version -> {
              clusters =
                  new InformerEventSource<>(
                      InformerEventSourceConfiguration.from(
                              new GroupVersionKind(ClusterPause.GROUP, version, "Cluster"),
                              poolType)
                          .withPrimaryToSecondaryMapper((P pool) -> Set.<ResourceID>of())
                          .withSecondaryToPrimaryMapper(
                              cluster -> wakeClaimsOf(ResourceID.fromResource(cluster)))
                          .build(),
                      context);
              sources.add(clusters);
            });
    clusterView.known(clusters());
    return sources;
  }

  /**
   * A Cluster changed (paused, unpaused, created, deleted): its claims are handed to the engine
   * again, so that the next pass of their pools looks at them; returns those pools.
   */
  private Set<ResourceID> wakeClaimsOf(ResourceID cluster) {
    Set<ResourceID> pools = new java.util.HashSet<>();
    claimsOfClusters
        .of(cluster)
        .forEach(
            (uid, pool) -> {
              engine.claimTouched(pool, uid);
              pools.add(resourceIdOf(pool));
            });
    return pools;
  }

  /**
   * Clusters from the cache, for the pause contract; empty where Cluster API is not installed (a
   * Cluster link then pauses nothing).
   */
  private Optional<Function<ResourceID, Optional<GenericKubernetesResource>>> clusters() {
    InformerEventSource<GenericKubernetesResource, P> source = clusters;
    return source == null ? Optional.empty() : Optional.of(source::get);
  }

  private boolean paused(IPAddressClaim claim) {
    return ClaimsOfClusters.paused(claim, clusters());
  }

  /** The pool of this kind an object names, as JOSDK keys the pool; none for other kinds. */
  private <R extends HasMetadata> Set<ResourceID> poolsNamedBy(R object) {
    return InClusterRecords.poolOf(object, poolKind)
        .map(key -> Set.of(resourceIdOf(key)))
        .orElse(Set.<ResourceID>of());
  }

  private EventSource<IPAddressClaim, P> claimFeed(EventSourceContext<P> context) {
    PoollessRelease poolless =
        new PoollessRelease(
            context.getClient(),
            this::paused,
            key -> context.getPrimaryCache().get(resourceIdOf(key)).isPresent(),
            claim -> {
              String name = claim.getSpec().getPoolRef().getName();
              var pools = context.getClient().resources(poolType);
              return (InClusterApi.isGlobal(poolKind)
                          ? pools.withName(name)
                          : pools.inNamespace(claim.getMetadata().getNamespace()).withName(name))
                      .get()
                  != null;
            });
    return new SharedFeed<>(
        IPAddressClaim.class,
        watches,
        context,
        new EngineFeed.Listener<IPAddressClaim>() {
          @Override
          public Optional<PoolKey> poolOf(IPAddressClaim claim) {
            // --watch-filter: a claim without the label is not this controller's to serve.
            return watchFilter.admits(claim)
                ? InClusterRecords.poolOf(claim, poolKind)
                : Optional.empty();
          }

          @Override
          public void seen(PoolKey pool, IPAddressClaim claim) {
            claimsOfClusters.seen(pool, claim);
            engine.claimSeen(pool, claim, InClusterRecords.facts(claim));
            poolless.seen(pool, claim);
          }

          @Override
          public void gone(PoolKey pool, IPAddressClaim claim) {
            claimsOfClusters.gone(claim);
            engine.claimGone(pool, claim.getMetadata().getUid());
          }
        },
        this::poolsNamedBy);
  }

  private EventSource<IPAddress, P> addressFeed(EventSourceContext<P> context) {
    return new SharedFeed<>(
        IPAddress.class,
        watches,
        context,
        EngineFeed.holdings(
            engine,
            (IPAddress address) -> InClusterRecords.poolOf(address, poolKind),
            InClusterRecords::holding,
            InClusterRecords::keyOf),
        this::poolsNamedBy);
  }

  @Override
  public UpdateControl<P> reconcile(P pool, Context<P> context) {
    return PoolPasses.guarded(pool, () -> reconcilePool(pool, context));
  }

  private UpdateControl<P> reconcilePool(P pool, Context<P> context) {
    if (engine.isFenced()) {
      return UpdateControl.noUpdate(); // this process lost its Lease
    }
    if (!watchFilter.admits(pool)) {
      // --watch-filter leaves it to another: no longer served, so the claim finalizer webhook adds
      // no finalizer that no pass of this process would remove.
      engine.forget(keyOf(pool));
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    PoolKey key = keyOf(pool);
    if (context.isPrimaryResourceDeleted()) {
      ledgers.forget(key);
      engine.forget(key);
      poolEvents.forget(key);
      specs.forget(key);
      return UpdateControl.noUpdate();
    }
    if (ClusterPause.hasPausedAnnotation(pool)) {
      LOG.info("{} {} is paused", poolKind, pool.getMetadata().getName());
      return UpdateControl.<P>noUpdate().rescheduleAfter(PAUSED_RECHECK);
    }
    boolean deleting = pool.getMetadata().getDeletionTimestamp() != null;
    if (deleting) {
      engine.closing(key); // the claim finalizer webhook adds none for it from now on
    }
    if (!deleting
        && !ObjectWrites.addFinalizer(client, pool, InClusterApi.PROTECT_POOL_FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    // The ledger as the cache shows the pool: what changed since the last pass goes to the engine
    // before it decides (the commit checks a live read of it anyway).
    ledgers.deliver(
        key, pool.getMetadata().getResourceVersion(), PoolLedger.entriesOf(pool), clock.instant());
    PassReport report =
        engine.run(
            new InClusterPoolBinding(
                client, pool, key, spec(key, pool), poolEvents, ledgers, this::paused, clock));
    if (deleting) {
      return finishDeletion(client, pool, key, context);
    }
    return report.control();
  }

  /** The pool's spec read once per generation, not on every pass. */
  private InClusterPoolSpec spec(PoolKey key, P pool) {
    return specs.get(
        key,
        pool.getMetadata().getUid() + "/" + pool.getMetadata().getGeneration(),
        () -> translation.apply(pool));
  }

  /** The pool's finalizer stays until no IPAddress names the pool and nothing is held. */
  private UpdateControl<P> finishDeletion(
      KubernetesClient client, P pool, PoolKey key, Context<P> context) {
    boolean addressesLeft =
        !context.getSecondaryResources(IPAddress.class).isEmpty() || engine.holdsAnything(key);
    if (addressesLeft) {
      return UpdateControl.<P>noUpdate().rescheduleAfter(DELETION_RECHECK);
    }
    ObjectWrites.removeFinalizer(client, pool, InClusterApi.PROTECT_POOL_FINALIZER);
    return UpdateControl.noUpdate();
  }
}
