package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.PoolCounts;

/**
 * Events on pools when their state changes, never while it stays: a pool that stays exhausted or
 * invalid through a thousand passes has one event, and one more when it recovers. A dialect's
 * binding tells it, after each report of the pool's status, what the pool is now; it remembers what
 * each pool was last said to be and writes an event only for a change.
 *
 * <p>Kept by the dialect's reconciler for the life of the process, and forgotten with the pool. On
 * the first look after a start it takes the problem the pool's stored status already names as told,
 * so a restart does not repeat it; exhaustion is not stored on the object, so a pool still full
 * after a restart is told once more.
 */
public final class PoolEvents {
  /** What the pool was last said to be. */
  private record Told(String problem, boolean exhausted) {}

  /**
   * What a pool is now, as far as its events go.
   *
   * @param problem why the pool cannot serve as written (a reason such as {@code InvalidSpec} or
   *     {@code NamePrefixClash}, the one its Ready condition gives when False), or null
   * @param message the user's text for the problem (its Ready condition's message)
   * @param counts the pool's counts: a pool with addresses to hand out and none free is exhausted
   */
  public record Now(String problem, String message, PoolCounts counts) {
    boolean exhausted() {
      return counts.total().signum() > 0 && counts.free().signum() == 0;
    }
  }

  private final Map<PoolKey, Told> told = new ConcurrentHashMap<>();

  /**
   * Writes the events for what changed since the pool was last seen. Called once per status report
   * of the pool, never twice at once for one pool (a pool's passes are serialised).
   *
   * @param storedProblem the problem the pool's stored status names (its Ready reason when False),
   *     or null: what the pool counts as told on the first look after a start
   */
  public void seen(
      KubernetesClient client,
      Clock clock,
      HasMetadata pool,
      PoolKey key,
      Now now,
      String storedProblem) {
    Told before = told.getOrDefault(key, new Told(storedProblem, false));
    if (!Objects.equals(before.problem(), now.problem())) {
      if (now.problem() != null) {
        // The message already names the pool and the field (it is the Ready condition's).
        Events.warning(client, clock, pool, now.problem(), now.message());
      } else {
        recovered(client, clock, pool, before.problem() + " resolved; the pool serves as written");
      }
    }
    if (before.exhausted() != now.exhausted()) {
      BigInteger total = now.counts().total();
      if (now.exhausted()) {
        Events.warning(
            client,
            clock,
            pool,
            "Exhausted",
            named(pool)
                + ": all "
                + total
                + " addresses in use; new claims wait until one is released");
      } else {
        recovered(
            client, clock, pool, now.counts().free() + " of " + total + " addresses free again");
      }
    }
    told.put(key, new Told(now.problem(), now.exhausted()));
  }

  private static void recovered(
      KubernetesClient client, Clock clock, HasMetadata pool, String what) {
    Events.normal(client, clock, pool, "Recovered", named(pool) + ": " + what);
  }

  private static String named(HasMetadata pool) {
    return pool.getKind()
        + " "
        + pool.getMetadata().getNamespace()
        + "/"
        + pool.getMetadata().getName();
  }

  /** The pool is gone: a pool created again under its name starts afresh. */
  public void forget(PoolKey key) {
    told.remove(key);
  }
}
