package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ipam.harvester.model.HarvesterIPPool;

/**
 * The informer of one claim kind (LoadBalancers, or core Services): each change goes to {@link
 * ClaimRoutes} before anything else, which hands the claim to the engine as a claim of its pool and
 * wakes that pool (of either group: the mapping to a primary is left to the routes, so it is empty
 * here). One informer per kind for both groups' reconcilers.
 *
 * @param <R> the kind's resource
 * @param <P> the pool kind of the reconciler that runs it
 */
final class ClaimFeed<R extends HasMetadata, P extends HasMetadata>
    extends InformerEventSource<R, P> {
  private final ClaimRoutes routes;
  private final KnownPools known;
  private final Function<R, HarvesterClaim> asClaim;
  private final KubernetesClient client;

  ClaimFeed(
      Class<R> kind,
      Class<P> poolType,
      EventSourceContext<P> context,
      ClaimRoutes routes,
      KnownPools known,
      Function<R, HarvesterClaim> asClaim) {
    super(
        InformerEventSourceConfiguration.from(kind, poolType)
            .withName("harvester-" + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT))
            .withSecondaryToPrimaryMapper(object -> Set.<ResourceID>of())
            .build(),
        context);
    this.routes = routes;
    this.known = known;
    this.asClaim = asClaim;
    this.client = context.getClient();
  }

  /**
   * The pools first (for the routes, {@link ClaimRoutes#seed}, and for the pools' rules with
   * webhooks off, {@link KnownPools}: a pool's first pass after a start must know what the others
   * hold), then everything in the cache once synced (the informer's own adds may still be queued).
   */
  @Override
  public synchronized void start() {
    List<HarvesterIPPool> pools = PoolListing.all(client);
    known.seenAll(pools);
    routes.seed(pools, known::refuses);
    super.start();
    list(object -> true).forEach(object -> routes.claimSeen(asClaim.apply(object)));
  }

  @Override
  public void onAdd(R object) {
    routes.claimSeen(asClaim.apply(object));
    super.onAdd(object);
  }

  @Override
  public void onUpdate(R old, R object) {
    routes.claimSeen(asClaim.apply(object));
    super.onUpdate(old, object);
  }

  @Override
  public void onDelete(R object, boolean deletedFinalStateUnknown) {
    routes.claimGone(asClaim.apply(object));
    super.onDelete(object, deletedFinalStateUnknown);
  }
}
