package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ipam.core.engine.ApiFailures;
import org.ipam.core.engine.Backoff;
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
    List<HarvesterIPPool> pools = listPoolsAtStart();
    known.seenAll(pools);
    routes.seed(pools, known::refuses);
    super.start();
    list(object -> true).forEach(object -> routes.claimSeen(asClaim.apply(object)));
  }

  /** How long a start waits for the API server to answer the list of pools. */
  private static final java.time.Duration START_LIST_PATIENCE = java.time.Duration.ofSeconds(60);

  /** Between two tries of that list: 1 s, doubling to 8 s. */
  private static final Backoff START_LIST_BACKOFF =
      new Backoff(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(8));

  /**
   * The pools, tried again ({@link #START_LIST_BACKOFF}, for {@link #START_LIST_PATIENCE}) while
   * the failure passes ({@link ApiFailures#passing}): one dropped connection at start must not stop
   * the controller (it did, under load, in a full test run).
   */
  private List<HarvesterIPPool> listPoolsAtStart() {
    long deadline = System.nanoTime() + START_LIST_PATIENCE.toNanos();
    for (int failures = 1; ; failures++) {
      try {
        return PoolListing.all(client);
      } catch (KubernetesClientException e) {
        long delayNanos = START_LIST_BACKOFF.delay(failures).toNanos();
        if (!ApiFailures.passing(e) || System.nanoTime() + delayNanos > deadline) {
          throw e;
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(delayNanos);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
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
