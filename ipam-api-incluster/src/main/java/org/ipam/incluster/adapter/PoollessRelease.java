package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.LatestFirst;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.incluster.model.InClusterApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases a deleting claim whose pool is gone, as upstream does: no pool means no pass would ever
 * run for it, and its {@code ReleaseAddress} finalizer would stay for good. Its IPAddress (named
 * after it, if it carries its uid) goes first, then the finalizer; there is no ledger left to
 * update. One worker thread that takes each claim's latest event (none dropped, a release that
 * failed for a passing reason tried again: {@link LatestFirst}); every step is checked against a
 * live read, never the cache.
 */
final class PoollessRelease {
  private static final Logger LOG = LoggerFactory.getLogger(PoollessRelease.class);

  private final KubernetesClient client;
  private final Predicate<IPAddressClaim> paused;
  private final Predicate<PoolKey> poolCached;
  private final Predicate<IPAddressClaim> poolExists;

  /** The releases, each of a claim's latest event (none dropped), on a thread of their own. */
  private final LatestFirst<IPAddressClaim> worker =
      new LatestFirst<>("incluster-poolless-release", Duration.ofSeconds(5), this::release);

  /**
   * @param paused the pause contract: a paused claim is left alone, release included
   * @param poolCached whether the pool is in the reconciler's cache (then its passes release)
   * @param poolExists a live read of the claim's pool
   */
  PoollessRelease(
      KubernetesClient client,
      Predicate<IPAddressClaim> paused,
      Predicate<PoolKey> poolCached,
      Predicate<IPAddressClaim> poolExists) {
    this.client = client;
    this.paused = paused;
    this.poolCached = poolCached;
    this.poolExists = poolExists;
  }

  /** A claim event: a deleting claim whose pool is gone is released. */
  void seen(PoolKey pool, IPAddressClaim claim) {
    if (claim.getMetadata().getDeletionTimestamp() == null
        || !claim.getMetadata().getFinalizers().contains(InClusterApi.RELEASE_ADDRESS_FINALIZER)
        || poolCached.test(pool)
        || paused.test(claim)) {
      return;
    }
    worker.submit(claim.getMetadata().getUid(), claim);
  }

  private void release(IPAddressClaim seen) {
    IPAddressClaim claim =
        client
            .resources(IPAddressClaim.class)
            .inNamespace(seen.getMetadata().getNamespace())
            .withName(seen.getMetadata().getName())
            .get();
    if (claim == null
        || !Objects.equals(claim.getMetadata().getUid(), seen.getMetadata().getUid())
        || poolExists.test(claim)) {
      return;
    }
    IPAddress address =
        client
            .resources(IPAddress.class)
            .inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .get();
    ObjectWrites.releaseIfOurs(
        client,
        address,
        address != null && claim.getMetadata().getUid().equals(InClusterRecords.claimUid(address)),
        InClusterApi.PROTECT_ADDRESS_FINALIZER);
    ObjectWrites.removeFinalizer(client, claim, InClusterApi.RELEASE_ADDRESS_FINALIZER);
    LOG.info("{}: released without its pool (the pool is gone)", describe(claim));
  }

  private static String describe(IPAddressClaim claim) {
    return "IPAddressClaim "
        + claim.getMetadata().getNamespace()
        + "/"
        + claim.getMetadata().getName();
  }
}
