package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ClusterPause;
import org.ipam.core.engine.EngineFeed;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PerVersion;
import org.ipam.core.engine.PoolEvents;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolPasses;
import org.ipam.core.engine.SharedFeed;
import org.ipam.core.engine.SharedWatches;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one Metal3 IPPool at a time: its IPClaims and the Cluster API IPAddressClaims that
 * name it are served in one pass through the engine, so the two claim kinds can never race for an
 * address (upstream runs two controllers on the pool). Events of claims and addresses of both kinds
 * map to their pool; a burst of claims coalesces into one pass.
 */
// Upstream's pool finalizer has no "/", which JOSDK's own finalizer handling refuses; the
// reconciler therefore sees every event, deletions included, and keeps the finalizer itself.
// Not generation-aware: removing the pause annotation is a metadata change that must wake the pool.
@ControllerConfiguration(
    name = "metal3-ippool",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    // A pass at least every 30 s, whatever events came: claims waiting for room are looked at again
    // (AllocationEngine.WAITING_RECHECK) even if a freed address was never seen as an event.
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 30))
public final class Metal3PoolReconciler implements Reconciler<IPPool> {
  private static final Logger LOG = LoggerFactory.getLogger(Metal3PoolReconciler.class);
  static final String PROVIDER_LABEL = "cluster.x-k8s.io/provider";
  static final String PROVIDER = "ipam-metal3";
  private static final Duration PAUSED_RECHECK = Duration.ofSeconds(30);
  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);

  private final AllocationEngine engine;
  private final SharedWatches watches;
  private final Clock clock;
  private final boolean servesCapiClaims;
  private final Optional<String> clusterApiVersion;

  /** The pools that name each Cluster, so that a Cluster's change (unpause) wakes them at once. */
  private final Map<ResourceID, Set<ResourceID>> poolsOfCluster = new ConcurrentHashMap<>();

  private final NamePrefixClashes clashes = new NamePrefixClashes();
  private final PoolEvents poolEvents = new PoolEvents();
  private final PerVersion<PoolKey, Metal3PoolTranslation> translations = new PerVersion<>();

  /**
   * @param servesCapiClaims whether the Cluster API IPAddressClaim CRD is installed: without it
   *     only IPClaims are served
   */
  @Inject
  public Metal3PoolReconciler(
      AllocationEngine engine,
      Clock clock,
      @CapiClaims boolean servesCapiClaims,
      @ClusterApiVersion Optional<String> clusterApiVersion,
      SharedWatches watches) {
    this.engine = engine;
    this.watches = watches;
    this.clock = clock;
    this.servesCapiClaims = servesCapiClaims;
    this.clusterApiVersion = clusterApiVersion;
  }

  /** Set once the event sources are prepared (JOSDK does that before any reconcile). */
  private volatile MissingPoolNotices notices;

  @Override
  public List<EventSource<?, IPPool>> prepareEventSources(EventSourceContext<IPPool> context) {
    notices =
        new MissingPoolNotices(
            context.getClient(),
            clock,
            engine,
            key ->
                context
                    .getPrimaryCache()
                    .get(new ResourceID(key.name(), key.namespace()))
                    .isPresent());
    List<EventSource<?, IPPool>> sources = new ArrayList<>();
    sources.add(claimFeed(IPClaim.class, context, notices));
    sources.add(holdingFeed(IPAddress.class, context));
    if (servesCapiClaims) {
      // Cluster API's kinds are read by the in-cluster dialect too: one shared watch of each.
      sources.add(
          new SharedFeed<>(
              IPAddressClaim.class,
              watches,
              context,
              claimListener(notices),
              Metal3PoolReconciler::poolsNamedBy));
      sources.add(
          new SharedFeed<>(
              org.ipam.core.capi.IPAddress.class,
              watches,
              context,
              holdingListener(),
              Metal3PoolReconciler::poolsNamedBy));
    }
    // The pool's Cluster from a cache (no GET per pass), and a Cluster unpaused wakes its pools.
    clusterApiVersion.ifPresent(
        version ->
            sources.add(
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(
                            new GroupVersionKind(ClusterPause.GROUP, version, "Cluster"),
                            IPPool.class)
                        .withPrimaryToSecondaryMapper(
                            (IPPool pool) -> {
                              String cluster =
                                  pool.getSpec() == null ? null : pool.getSpec().getClusterName();
                              return cluster == null || cluster.isEmpty()
                                  ? Set.of()
                                  : Set.of(
                                      new ResourceID(cluster, pool.getMetadata().getNamespace()));
                            })
                        .withSecondaryToPrimaryMapper(
                            cluster ->
                                Set.copyOf(
                                    poolsOfCluster.getOrDefault(
                                        ResourceID.fromResource(cluster), Set.of())))
                        .build(),
                    context)));
    return sources;
  }

  private static <R extends HasMetadata> InformerEventSourceConfiguration<R> configuration(
      Class<R> type) {
    return InformerEventSourceConfiguration.from(type, IPPool.class)
        .withSecondaryToPrimaryMapper(Metal3PoolReconciler::poolsNamedBy)
        .build();
  }

  /** The Metal3 pool an object names, as JOSDK keys the pool; none for other pools. */
  private static Set<ResourceID> poolsNamedBy(HasMetadata object) {
    return Metal3Records.poolOf(object)
        .map(pool -> Set.of(new ResourceID(pool.name(), pool.namespace())))
        .orElse(Set.<ResourceID>of());
  }

  /**
   * Claims of either kind: the engine learns each change before the pool is reconciled, and a claim
   * whose pool is missing (or that names none) is told so.
   */
  private <R extends HasMetadata> EventSource<R, IPPool> claimFeed(
      Class<R> type, EventSourceContext<IPPool> context, MissingPoolNotices notices) {
    return new EngineFeed<>(configuration(type), context, claimListener(notices));
  }

  private <R extends HasMetadata> EngineFeed.Listener<R> claimListener(MissingPoolNotices notices) {
    return new EngineFeed.Listener<R>() {
      @Override
      public Optional<PoolKey> poolOf(R claim) {
        return Metal3Records.poolOf(claim);
      }

      @Override
      public void seen(PoolKey pool, R claim) {
        engine.claimSeen(pool, Metal3Claim.of(claim), Metal3Records.facts(claim));
        notices.claimSeen(Optional.of(pool), claim);
      }

      @Override
      public void unpooled(R claim) {
        notices.claimSeen(Optional.empty(), claim);
      }

      @Override
      public void gone(PoolKey pool, R claim) {
        engine.claimGone(pool, claim.getMetadata().getUid());
        notices.claimGone(Optional.of(pool), claim.getMetadata().getUid());
      }
    };
  }

  /** Address objects of either kind, read once per change. */
  private <R extends HasMetadata> EventSource<R, IPPool> holdingFeed(
      Class<R> type, EventSourceContext<IPPool> context) {
    return new EngineFeed<>(configuration(type), context, holdingListener());
  }

  private <R extends HasMetadata> EngineFeed.Listener<R> holdingListener() {
    return EngineFeed.holdings(
        engine, Metal3Records::poolOf, Metal3Records::holding, Metal3Records::keyOf);
  }

  @Override
  public UpdateControl<IPPool> reconcile(IPPool pool, Context<IPPool> context) {
    return PoolPasses.guarded(pool, () -> reconcilePool(pool, context));
  }

  private UpdateControl<IPPool> reconcilePool(IPPool pool, Context<IPPool> context) {
    if (engine.isFenced()) {
      // This process lost its Lease: it writes nothing more, not even a finalizer.
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    PoolKey key =
        Metal3Records.poolKey(pool.getMetadata().getNamespace(), pool.getMetadata().getName());
    if (context.isPrimaryResourceDeleted()) {
      engine.forget(key);
      if (notices != null) {
        notices.poolForgotten(key);
      }
      clashes.forget(key);
      poolEvents.forget(key);
      translations.forget(key);
      poolsOfCluster.values().forEach(pools -> pools.remove(ResourceID.fromResource(pool)));
      return UpdateControl.noUpdate();
    }
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      engine.closing(key); // the claim finalizer webhook adds none for it from now on
    }
    if (isPaused(client, pool, context)) {
      LOG.info(
          "IPPool {}/{} is paused",
          pool.getMetadata().getNamespace(),
          pool.getMetadata().getName());
      // Not served while paused, as upstream serves no claim then: the claim finalizer webhooks
      // put no finalizer on a claim made meanwhile (deleted before the pool is unpaused, it goes
      // at once, as there). Its state, status and metrics stay; its next pass ends the pause.
      engine.paused(key);
      return UpdateControl.<IPPool>noUpdate().rescheduleAfter(PAUSED_RECHECK);
    }
    boolean deleting = pool.getMetadata().getDeletionTimestamp() != null;
    if (!deleting && !ObjectWrites.addFinalizer(client, pool, IPPool.FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    // The pool's events come from the binding's status report, on changes of its state only
    // (PoolEvents): none per pass, so a burst of claims costs no event writes.
    PassReport report =
        engine.run(
            new Metal3PoolBinding(
                client,
                pool,
                translation(key, pool),
                servesCapiClaims,
                clashes,
                poolEvents,
                clock));
    if (deleting) {
      return finishDeletion(client, pool, context);
    }
    return report.control();
  }

  /** The pool's spec read once per generation, not on every pass. */
  private Metal3PoolTranslation translation(PoolKey key, IPPool pool) {
    return translations.get(
        key,
        pool.getMetadata().getUid()
            + "/"
            + pool.getMetadata().getGeneration()
            + "/"
            + (pool.getMetadata().getDeletionTimestamp() != null),
        () -> Metal3PoolTranslation.of(pool));
  }

  /** The pool finalizer stays until no address object of either kind refers to the pool. */
  private UpdateControl<IPPool> finishDeletion(
      KubernetesClient client, IPPool pool, Context<IPPool> context) {
    // The cache may lag behind a commit of ours: the engine's view counts too.
    boolean addressesLeft =
        engine.holdsAnything(
                Metal3Records.poolKey(
                    pool.getMetadata().getNamespace(), pool.getMetadata().getName()))
            || !secondaries(context, IPAddress.class, pool).isEmpty()
            || (servesCapiClaims
                && !secondaries(context, org.ipam.core.capi.IPAddress.class, pool).isEmpty());
    if (addressesLeft) {
      return UpdateControl.<IPPool>noUpdate().rescheduleAfter(DELETION_RECHECK);
    }
    ObjectWrites.removeFinalizer(client, pool, IPPool.FINALIZER);
    return UpdateControl.noUpdate();
  }

  private static <R extends HasMetadata> List<R> secondaries(
      Context<IPPool> context, Class<R> type, IPPool pool) {
    String namespace = pool.getMetadata().getNamespace();
    return context.getSecondaryResources(type).stream()
        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
        .toList();
  }

  /**
   * Cluster API pause: the pool's own annotation, or its Cluster paused. Also keeps the cluster
   * labels and the Cluster owner reference in place, as upstream does. A Cluster that does not
   * exist does not stop the pool (upstream silently stops serving it).
   */
  private boolean isPaused(KubernetesClient client, IPPool pool, Context<IPPool> context) {
    if (ClusterPause.hasPausedAnnotation(pool)) {
      return true;
    }
    String clusterName = pool.getSpec() == null ? null : pool.getSpec().getClusterName();
    if (clusterName == null || clusterName.isEmpty()) {
      return false;
    }
    poolsOfCluster
        .computeIfAbsent(
            new ResourceID(clusterName, pool.getMetadata().getNamespace()),
            key -> ConcurrentHashMap.newKeySet())
        .add(ResourceID.fromResource(pool));
    Optional<GenericKubernetesResource> cluster =
        clusterApiVersion.isPresent()
            ? context.getSecondaryResource(GenericKubernetesResource.class)
            : Optional.empty();
    ensureClusterMetadata(client, pool, clusterName, cluster.orElse(null));
    return cluster.isPresent() && ClusterPause.isPaused(cluster.get());
  }

  private static void ensureClusterMetadata(
      KubernetesClient client, IPPool pool, String clusterName, HasMetadata cluster) {
    Map<String, String> labels = pool.getMetadata().getLabels();
    boolean labelled =
        labels != null
            && clusterName.equals(labels.get(ClusterPause.CLUSTER_NAME_LABEL))
            && PROVIDER.equals(labels.get(PROVIDER_LABEL));
    List<OwnerReference> owners = new ArrayList<>(pool.getMetadata().getOwnerReferences());
    boolean owned =
        cluster == null
            || owners.stream()
                .anyMatch(
                    o ->
                        "Cluster".equals(o.getKind())
                            && clusterName.equals(o.getName())
                            && o.getApiVersion() != null
                            && o.getApiVersion().startsWith("cluster.x-k8s.io/"));
    if (labelled && owned) {
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(
        "labels", Map.of(ClusterPause.CLUSTER_NAME_LABEL, clusterName, PROVIDER_LABEL, PROVIDER));
    if (!owned) {
      owners.add(
          new OwnerReferenceBuilder()
              .withApiVersion(cluster.getApiVersion())
              .withKind("Cluster")
              .withName(clusterName)
              .withUid(cluster.getMetadata().getUid())
              .build());
      metadata.put("ownerReferences", owners);
      metadata.put("resourceVersion", pool.getMetadata().getResourceVersion());
    }
    client
        .resource(pool)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", metadata)));
  }
}
