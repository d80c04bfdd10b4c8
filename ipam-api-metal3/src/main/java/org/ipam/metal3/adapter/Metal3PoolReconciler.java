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
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ClusterPause;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.IpFamily;
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
@ControllerConfiguration(name = "metal3-ippool", triggerReconcilerOnAllEvents = true)
public final class Metal3PoolReconciler implements Reconciler<IPPool> {
  private static final Logger LOG = LoggerFactory.getLogger(Metal3PoolReconciler.class);
  static final String PROVIDER_LABEL = "cluster.x-k8s.io/provider";
  static final String PROVIDER = "ipam-metal3";
  private static final Duration PAUSED_RECHECK = Duration.ofSeconds(30);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);

  private final AllocationEngine engine;
  private final Clock clock;
  private final boolean servesCapiClaims;

  /**
   * @param servesCapiClaims whether the Cluster API IPAddressClaim CRD is installed: without it
   *     only IPClaims are served
   */
  @Inject
  public Metal3PoolReconciler(
      AllocationEngine engine, Clock clock, @CapiClaims boolean servesCapiClaims) {
    this.engine = engine;
    this.clock = clock;
    this.servesCapiClaims = servesCapiClaims;
  }

  @Override
  public List<EventSource<?, IPPool>> prepareEventSources(EventSourceContext<IPPool> context) {
    List<EventSource<?, IPPool>> sources = new ArrayList<>();
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IPClaim.class, IPPool.class)
                .withSecondaryToPrimaryMapper(
                    claim ->
                        poolOf(
                            claim,
                            claim.getSpec() == null || claim.getSpec().getPool() == null
                                ? null
                                : claim.getSpec().getPool().getName()))
                .build(),
            context));
    sources.add(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IPAddress.class, IPPool.class)
                .withSecondaryToPrimaryMapper(
                    address ->
                        poolOf(
                            address,
                            address.getSpec() == null || address.getSpec().getPool() == null
                                ? null
                                : address.getSpec().getPool().getName()))
                .build(),
            context));
    if (servesCapiClaims) {
      sources.add(
          new InformerEventSource<>(
              InformerEventSourceConfiguration.from(IPAddressClaim.class, IPPool.class)
                  .withSecondaryToPrimaryMapper(
                      claim ->
                          poolOf(
                              claim,
                              metal3PoolName(
                                  claim.getSpec() == null ? null : claim.getSpec().getPoolRef())))
                  .build(),
              context));
      sources.add(
          new InformerEventSource<>(
              InformerEventSourceConfiguration.from(
                      org.ipam.core.capi.IPAddress.class, IPPool.class)
                  .withSecondaryToPrimaryMapper(
                      address ->
                          poolOf(
                              address,
                              metal3PoolName(
                                  address.getSpec() == null
                                      ? null
                                      : address.getSpec().getPoolRef())))
                  .build(),
              context));
    }
    return sources;
  }

  /** A pool serves claims of its own namespace only (upstream's rule). */
  private static Set<ResourceID> poolOf(HasMetadata object, String poolName) {
    if (poolName == null || poolName.isEmpty()) {
      return Set.of();
    }
    return Set.of(new ResourceID(poolName, object.getMetadata().getNamespace()));
  }

  /**
   * The pool name of a Cluster API reference meant for us. Upstream ignores group and kind and so
   * grabs claims meant for other providers; we do not.
   */
  static String metal3PoolName(PoolReference ref) {
    return ref != null && IPPool.GROUP.equals(ref.getApiGroup()) && "IPPool".equals(ref.getKind())
        ? ref.getName()
        : null;
  }

  @Override
  public UpdateControl<IPPool> reconcile(IPPool pool, Context<IPPool> context) {
    KubernetesClient client = context.getClient();
    if (context.isPrimaryResourceDeleted()) {
      engine.forget(
          new PoolKey(
              Metal3PoolBinding.DIALECT,
              pool.getMetadata().getNamespace(),
              pool.getMetadata().getName()));
      return UpdateControl.noUpdate();
    }
    if (isPaused(client, pool)) {
      LOG.info(
          "IPPool {}/{} is paused",
          pool.getMetadata().getNamespace(),
          pool.getMetadata().getName());
      return UpdateControl.<IPPool>noUpdate().rescheduleAfter(PAUSED_RECHECK);
    }
    boolean deleting = pool.getMetadata().getDeletionTimestamp() != null;
    if (!deleting && !ObjectWrites.addFinalizer(client, pool, IPPool.FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    PassReport report = engine.run(binding(pool, context));
    if (deleting) {
      return finishDeletion(client, pool, context);
    }
    return report.retrySoon()
        ? UpdateControl.<IPPool>noUpdate().rescheduleAfter(RETRY)
        : UpdateControl.noUpdate();
  }

  /** The pool finalizer stays until no address object of either kind refers to the pool. */
  private UpdateControl<IPPool> finishDeletion(
      KubernetesClient client, IPPool pool, Context<IPPool> context) {
    boolean addressesLeft =
        !secondaries(context, IPAddress.class, pool).isEmpty()
            || (servesCapiClaims
                && !secondaries(context, org.ipam.core.capi.IPAddress.class, pool).isEmpty());
    if (addressesLeft) {
      return UpdateControl.<IPPool>noUpdate().rescheduleAfter(DELETION_RECHECK);
    }
    ObjectWrites.removeFinalizer(client, pool, IPPool.FINALIZER);
    return UpdateControl.noUpdate();
  }

  private Metal3PoolBinding binding(IPPool pool, Context<IPPool> context) {
    Metal3PoolTranslation translation = Metal3PoolTranslation.of(pool);
    if (!translation.usable()) {
      // Nothing can be allocated, but releases must still go through, so the pass runs on an empty
      // IPv4 pool: pending claims get "Exhausted IP Pools", the pool's Ready condition carries the
      // errors, and releases delete the address objects the cache shows (an IPv6 pool's addresses
      // are logged as rebuild conflicts but released all the same).
      translation =
          new Metal3PoolTranslation(PoolSpec.of(IpFamily.IPV4, List.of()), translation.errors());
    }
    List<Metal3Claim> claims = new ArrayList<>();
    for (IPClaim claim : secondaries(context, IPClaim.class, pool)) {
      claims.add(new Metal3Claim.Metal3(claim));
    }
    List<org.ipam.core.capi.IPAddress> capiAddresses = List.of();
    if (servesCapiClaims) {
      for (IPAddressClaim claim : secondaries(context, IPAddressClaim.class, pool)) {
        claims.add(new Metal3Claim.Capi(claim));
      }
      capiAddresses = secondaries(context, org.ipam.core.capi.IPAddress.class, pool);
    }
    return new Metal3PoolBinding(
        context.getClient(),
        pool,
        translation,
        claims,
        secondaries(context, IPAddress.class, pool),
        capiAddresses,
        clock);
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
  private boolean isPaused(KubernetesClient client, IPPool pool) {
    if (ClusterPause.hasPausedAnnotation(pool)) {
      return true;
    }
    String clusterName = pool.getSpec() == null ? null : pool.getSpec().getClusterName();
    if (clusterName == null || clusterName.isEmpty()) {
      return false;
    }
    Optional<GenericKubernetesResource> cluster =
        ClusterPause.findCluster(client, pool.getMetadata().getNamespace(), clusterName);
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
