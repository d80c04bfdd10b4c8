package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
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
 * <p>A claim holds an address only through an address object that names its pool, and a pool is
 * deleted only once no address object names it: so a deleting claim whose pool is gone (read live)
 * and of which the engine knows no address holds nothing, and its finalizer can go without any
 * write elsewhere.
 */
final class MissingPoolNotices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MissingPoolNotices.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final AllocationEngine engine;
  private final Predicate<PoolKey> poolCached;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "metal3-missing-pools");
            thread.setDaemon(true);
            return thread;
          });

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

  /** A claim's event: the pool it names (empty when it names none). */
  void claimSeen(Optional<PoolKey> pool, HasMetadata claim) {
    if (!asksMetal3(claim) || (pool.isPresent() && poolCached.test(pool.get()))) {
      return;
    }
    String uid = claim.getMetadata().getUid();
    if (needsWord(claim, pool) && queued.add(uid)) {
      worker.execute(
          () -> {
            try {
              check(claim, pool);
            } catch (KubernetesClientException e) {
              // The claim's next event brings it back; nothing is held meanwhile.
              LOG.debug(
                  "missing-pool check of {}: {}", claim.getMetadata().getName(), e.getMessage());
            } finally {
              queued.remove(uid);
            }
          });
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

  private void check(HasMetadata claim, Optional<PoolKey> pool) {
    if (engine.isFenced() || poolLives(pool)) {
      return;
    }
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      ObjectWrites.removeFinalizer(client, claim, Metal3Claim.of(claim).finalizer());
      return;
    }
    String reason = pool.isEmpty() ? "PoolNotSet" : "PoolNotFound";
    String message = message(claim, pool);
    tell(claim, reason, message);
    Events.warning(client, clock, claim, reason, message);
  }

  /**
   * Whether the pool exists (read live: the cache may lag a pool just created) or the engine still
   * knows an address of it: then the pool's own reconciler answers and releases the claim.
   */
  private boolean poolLives(Optional<PoolKey> pool) {
    if (pool.isEmpty()) {
      return false;
    }
    PoolKey key = pool.get();
    // Asked again first: at start the claims' informer may sync before the pools' one.
    return poolCached.test(key)
        || engine.holdsAnything(key)
        || client.resources(IPPool.class).inNamespace(key.namespace()).withName(key.name()).get()
            != null;
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

  private void tell(HasMetadata claim, String reason, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (claim instanceof IPClaim) {
      status.put("errorMessage", message);
    } else {
      status.put(
          "conditions",
          new Metal3Claim.Capi((IPAddressClaim) claim)
              .conditionsWithReady(false, reason, message, clock.instant()));
    }
    ObjectWrites.patchStatus(client, claim, status);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
