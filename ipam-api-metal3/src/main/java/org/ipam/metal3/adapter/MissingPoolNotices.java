package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Conflicts;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.LatestFirst;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a claim that names no Metal3 pool, or one that does not exist, why it waits (upstream
 * leaves it silent), and lets go of a deleting claim whose pool is gone. Only that: once the pool
 * appears, the pool's reconciler serves the claim and replaces the message. A claim may be applied
 * before its pool, so a missing pool is not an error the webhook refuses.
 *
 * <p>Fed by the pool reconciler's claim informers, so each claim kind is watched once: a second
 * informer of the same kind would deserialize every claim event twice, the controller's largest
 * cost. The checks run on a thread of their own, never on the informer's.
 *
 * <p>A deleting claim whose pool is gone (read live) is released here, since no pass of that pool
 * will ever run: its own address objects (those that carry its uid, read live) are deleted, then
 * its finalizer. Usually there are none (a pool goes only once no address object names it), but a
 * pool whose finalizer was removed by hand leaves them behind.
 *
 * <p>A notice never overwrites a newer status: its patch carries the resourceVersion of the claim
 * it was judged from, so a pool that appeared meanwhile and answered the claim wins (409), and the
 * notice is dropped.
 */
final class MissingPoolNotices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MissingPoolNotices.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final AllocationEngine engine;
  private final Predicate<PoolKey> poolCached;

  /** The checks, each of a claim's latest event (none dropped), on a thread of their own. */
  private final LatestFirst<Seen> worker =
      new LatestFirst<>(
          "metal3-missing-pools", Duration.ofSeconds(5), seen -> check(seen.claim(), seen.pool()));

  private record Seen(HasMetadata claim, Optional<PoolKey> pool) {}

  /**
   * @param poolCached whether the pool reconciler's cache holds that pool (then it serves or
   *     releases the claim, and nothing is said here)
   */
  MissingPoolNotices(
      KubernetesClient client,
      Clock clock,
      AllocationEngine engine,
      Predicate<PoolKey> poolCached) {
    this.client = client;
    this.clock = clock;
    this.engine = engine;
    this.poolCached = poolCached;
  }

  /**
   * Deleting claims with our finalizer whose pool was cached when their last event came: the pool's
   * passes release them, unless the pool goes first (its last pass can run before the claim's
   * delete event), and then {@link #poolForgotten} hands them to the worker.
   */
  private final Map<PoolKey, Map<String, HasMetadata>> parked = new ConcurrentHashMap<>();

  /** A claim's event: the pool it names (empty when it names none). */
  void claimSeen(Optional<PoolKey> pool, HasMetadata claim) {
    if (!asksMetal3(claim)) {
      return;
    }
    if (pool.isPresent() && poolCached.test(pool.get())) {
      boolean releasing =
          claim.getMetadata().getDeletionTimestamp() != null
              && claim.getMetadata().getFinalizers().contains(Metal3Claim.of(claim).finalizer());
      if (!releasing) {
        return;
      }
      Map<String, HasMetadata> claims =
          parked.computeIfAbsent(pool.get(), key -> new ConcurrentHashMap<>());
      claims.put(claim.getMetadata().getUid(), claim);
      if (poolCached.test(pool.get())) {
        return;
      }
      // The pool went while this was parked (poolForgotten may have run already): checked now.
      claims.remove(claim.getMetadata().getUid());
      parked.computeIfPresent(pool.get(), (key, left) -> left.isEmpty() ? null : left);
    }
    if (needsWord(claim, pool)) {
      worker.submit(claim.getMetadata().getUid(), new Seen(claim, pool));
    }
  }

  /** A claim is gone from the API: nothing is left to release for it. */
  void claimGone(Optional<PoolKey> pool, String uid) {
    pool.map(parked::get).ifPresent(claims -> claims.remove(uid));
  }

  /**
   * The pool is gone and forgotten: its deleting claims not released yet are checked as claims of a
   * missing pool (their finalizer would otherwise stay, no further event coming).
   */
  void poolForgotten(PoolKey pool) {
    Map<String, HasMetadata> claims = parked.remove(pool);
    if (claims != null) {
      claims.values().forEach(claim -> claimSeen(Optional.of(pool), claim));
    }
  }

  /** Whether a Cluster API claim asks a Metal3 pool (it may ask another provider's). */
  private static boolean asksMetal3(HasMetadata claim) {
    if (claim instanceof IPAddressClaim capi) {
      var ref = capi.getSpec() == null ? null : capi.getSpec().getPoolRef();
      return ref != null
          && IPPool.GROUP.equals(ref.getApiGroup())
          && "IPPool".equals(ref.getKind());
    }
    return claim instanceof IPClaim;
  }

  /** Whether there is something to say or to let go, judged from the event's object. */
  private boolean needsWord(HasMetadata claim, Optional<PoolKey> pool) {
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return claim.getMetadata().getFinalizers().contains(Metal3Claim.of(claim).finalizer());
    }
    return !served(claim) && !shows(claim, message(claim, pool));
  }

  /** Runs on the worker thread (package-private for tests, which run it in their own). */
  void check(HasMetadata claim, Optional<PoolKey> pool) {
    if (engine.isFenced()) {
      return;
    }
    // Only the pool's existence counts, not what the engine still knows of it: objects left by a
    // pool that is gone are exactly what the release deletes, and what a new claim cannot use.
    if (poolExists(pool)) {
      return;
    }
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      release(claim);
      return;
    }
    String reason = pool.isEmpty() ? "PoolNotSet" : "PoolNotFound";
    String message = message(claim, pool);
    if (tell(claim, reason, message)) {
      Events.warning(client, clock, claim, reason, message);
    }
  }

  /**
   * Whether the pool exists: then its own reconciler answers and releases the claim. Read live: the
   * cache may lag a pool just created.
   */
  private boolean poolExists(Optional<PoolKey> pool) {
    if (pool.isEmpty()) {
      return false;
    }
    PoolKey key = pool.get();
    // Asked again first: at start the claims' informer may sync before the pools' one.
    return poolCached.test(key)
        || client.resources(IPPool.class).inNamespace(key.namespace()).withName(key.name()).get()
            != null;
  }

  /**
   * Deletes the claim's own address objects (by uid, read live), the Cluster API answer before the
   * Metal3 lock as a pass does, then removes the claim's finalizer. As in a pass, not while another
   * controller's finalizer (CAPM3's) still holds the claim: it may still use the address, and its
   * removal is an event that brings the claim back.
   */
  private void release(HasMetadata claim) {
    String finalizer = Metal3Claim.of(claim).finalizer();
    if (!claim.getMetadata().getFinalizers().stream().allMatch(finalizer::equals)) {
      return;
    }
    String namespace = claim.getMetadata().getNamespace();
    String uid = claim.getMetadata().getUid();
    if (claim instanceof IPAddressClaim) {
      for (HasMetadata answer :
          client
              .resources(org.ipam.core.capi.IPAddress.class)
              .inNamespace(namespace)
              .list()
              .getItems()) {
        releaseIfOwnedBy(answer, uid, Metal3Claim.Capi.ADDRESS_FINALIZER);
      }
    }
    for (HasMetadata lock :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      releaseIfOwnedBy(lock, uid, IPAddress.FINALIZER);
    }
    ObjectWrites.removeFinalizer(client, claim, finalizer);
  }

  private void releaseIfOwnedBy(HasMetadata address, String claimUid, String finalizer) {
    boolean owned =
        address.getMetadata().getOwnerReferences().stream()
            .anyMatch(owner -> claimUid.equals(owner.getUid()));
    if (owned) {
      ObjectWrites.releaseIfOurs(client, address, true, finalizer);
      LOG.info(
          "{} {}/{}: released with its claim, whose pool is gone",
          address.getKind(),
          address.getMetadata().getNamespace(),
          address.getMetadata().getName());
    }
  }

  private static String message(HasMetadata claim, Optional<PoolKey> pool) {
    // Upstream serves a claim only from a pool in its own namespace, whatever the reference says.
    String namespace = claim.getMetadata().getNamespace();
    return pool.isEmpty()
        ? claim.getKind()
            + " "
            + namespace
            + "/"
            + claim.getMetadata().getName()
            + " names no IPPool (the pool reference's name is empty)"
        : "IPPool " + namespace + "/" + pool.get().name() + " not found; served once it exists";
  }

  private static boolean served(HasMetadata claim) {
    if (claim instanceof IPClaim ipClaim) {
      return ipClaim.getStatus() != null && ipClaim.getStatus().getAddress() != null;
    }
    var status = ((IPAddressClaim) claim).getStatus();
    return status != null && status.getAddressRef() != null;
  }

  private static boolean shows(HasMetadata claim, String message) {
    if (claim instanceof IPClaim ipClaim) {
      return ipClaim.getStatus() != null && message.equals(ipClaim.getStatus().getErrorMessage());
    }
    return new Metal3Claim.Capi((IPAddressClaim) claim)
        .ready()
        .map(c -> "False".equals(c.getStatus()) && message.equals(c.getMessage()))
        .orElse(false);
  }

  /**
   * Writes the notice into the claim's status, guarded by the resourceVersion it was judged from.
   * Returns false, having written nothing, when the claim changed since (a pool that appeared may
   * have answered it: its answer stays) or is gone; the claim's next event brings it back if the
   * notice still applies.
   */
  private boolean tell(HasMetadata claim, String reason, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof IPClaim) {
      status.put("errorMessage", message);
    } else {
      status.put(
          "conditions",
          new Metal3Claim.Capi((IPAddressClaim) claim)
              .conditionsWithReady(false, reason, message, clock.instant()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("resourceVersion", claim.getMetadata().getResourceVersion()));
    body.put("status", status);
    try {
      client
          .resource(claim)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
      return true;
    } catch (KubernetesClientException e) {
      if (Conflicts.isConflict(e) || e.getCode() == 404) {
        LOG.debug(
            "{} {}/{}: missing-pool notice dropped, the claim changed: {}",
            claim.getKind(),
            claim.getMetadata().getNamespace(),
            claim.getMetadata().getName(),
            e.getCode());
        return false;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    worker.close();
  }
}
