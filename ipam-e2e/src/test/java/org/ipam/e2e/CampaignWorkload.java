package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claims of one run of the reliability campaign: {@code claims} created by {@value #WORKERS}
 * workers at an even pace over {@code spread} (so that the faults land while claims come; zero: all
 * at once), and every {@code claims / deletes}-th of them deleted as soon as it is created (often
 * before it is served, which is the harder case). Each create and delete is tried again while the
 * API server does not answer or answers 5xx or 429 (the campaign kills it); a create answered 409
 * was made by an earlier try whose answer was lost, a delete answered 404 likewise.
 */
final class CampaignWorkload {
  static final int WORKERS = 8;
  private static final Duration GIVE_UP = Duration.ofMinutes(5);

  private final CampaignDialect dialect;
  private final KubernetesClient client;
  private final String namespace;
  private final String pool;
  private final int claims;
  private final int deletes;
  private final Duration spread;
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger retries = new AtomicInteger();
  private ExecutorService workers;
  private List<Future<?>> tasks;

  CampaignWorkload(
      CampaignDialect dialect,
      KubernetesClient client,
      String namespace,
      String pool,
      int claims,
      int deletes,
      Duration spread) {
    if (deletes > claims) {
      throw new IllegalArgumentException("deletes " + deletes + " > claims " + claims);
    }
    this.dialect = dialect;
    this.client = client;
    this.namespace = namespace;
    this.pool = pool;
    this.claims = claims;
    this.deletes = deletes;
    this.spread = spread;
  }

  static String claimName(int index) {
    return "c-%05d".formatted(index);
  }

  /** Whether the claim of this index is one the workload deletes. */
  private boolean deletes(int index) {
    return deletes > 0 && index % (claims / deletes) == 0 && index / (claims / deletes) < deletes;
  }

  /** Starts the creates and deletes; {@link #await} waits for them. */
  void start() {
    workers = Executors.newFixedThreadPool(WORKERS);
    long start = System.nanoTime();
    long pace = spread.toNanos() / claims;
    tasks =
        java.util.stream.IntStream.range(0, claims)
            .<Future<?>>mapToObj(
                index ->
                    workers.submit(
                        () -> {
                          long wait = start + index * pace - System.nanoTime();
                          ControllerProcess.sleep(Duration.ofNanos(Math.max(0, wait)));
                          createAndMaybeDelete(index);
                        }))
            .toList();
  }

  private void createAndMaybeDelete(int index) {
    String name = claimName(index);
    persist("create " + name, () -> dialect.createClaim(client, namespace, pool, name, index), 409);
    created.add(name);
    if (deletes(index)) {
      persist("delete " + name, () -> dialect.deleteClaim(client, namespace, name), 404);
      deleted.add(name);
    }
  }

  /** Runs a write until it is answered, or answered {@code done}. */
  private void persist(String what, Runnable write, int done) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (true) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == done) {
          return;
        }
        boolean passing = e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
        if (!passing || System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " in " + namespace + " failed", e);
        }
        retries.incrementAndGet();
        ControllerProcess.sleep(Duration.ofMillis(250));
      }
    }
  }

  /** How many creates have been answered so far. */
  int createdSoFar() {
    return created.size();
  }

  /** Waits until every create and delete is answered; rethrows what failed. */
  void await() throws Exception {
    try {
      for (Future<?> task : tasks) {
        task.get(GIVE_UP.toMillis() * 2, TimeUnit.MILLISECONDS);
      }
    } finally {
      workers.shutdownNow();
    }
  }

  boolean done() {
    return tasks.stream().allMatch(Future::isDone);
  }

  /** The claims that must exist at the end: created and not deleted. */
  Set<String> expectedClaims() {
    Set<String> expected = new TreeSet<>(created);
    expected.removeAll(deleted);
    return Collections.unmodifiableSet(expected);
  }

  int created() {
    return created.size();
  }

  int deleted() {
    return deleted.size();
  }

  /** Writes tried again because the API server did not answer, or answered 5xx or 429. */
  int retries() {
    return retries.get();
  }
}
