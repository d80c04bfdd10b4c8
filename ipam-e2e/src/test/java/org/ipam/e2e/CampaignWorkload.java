package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The claims of one run of the reliability campaign: {@code claims} created by {@value #WORKERS}
 * workers at an even pace over {@code spread} (so that the faults land while claims come; zero: all
 * at once), and every {@code claims / deletes}-th of them deleted: every other one of those as soon
 * as its create is answered (often before it is served), the others {@link #LATE_DELETE} later
 * (mostly served by then: a served address released and handed out again). Each create and delete
 * is tried again while the API server does not answer, answers 5xx or 429, or answers that etcd is
 * unavailable (the campaign kills them); a create answered 409 was made by an earlier try whose
 * answer was lost, a delete answered 404 likewise.
 */
final class CampaignWorkload {
  static final int WORKERS = 8;

  /** How long after its create a claim deleted late is deleted. */
  static final Duration LATE_DELETE = Duration.ofSeconds(5);

  private static final Duration GIVE_UP = Duration.ofMinutes(5);

  private final CampaignDialect dialect;
  private final KubernetesClient client;
  private final String namespace;
  private final String pool;
  private final int claims;
  private final int deletes;
  private final Duration spread;
  private final java.util.function.Consumer<String> creating;
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private ScheduledExecutorService workers;

  CampaignWorkload(
      CampaignDialect dialect,
      KubernetesClient client,
      String namespace,
      String pool,
      int claims,
      int deletes,
      Duration spread,
      java.util.function.Consumer<String> creating) {
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
    this.creating = creating;
  }

  static String claimName(int index) {
    return "c-%05d".formatted(index);
  }

  /** Whether the claim of this index is one the workload deletes. */
  private boolean deletes(int index) {
    return deletes > 0 && index % (claims / deletes) == 0 && index / (claims / deletes) < deletes;
  }

  /**
   * Whether a deleted claim is deleted {@link #LATE_DELETE} after its create (most are served by
   * then: the release and reuse of a served address) rather than at once; every other one.
   */
  private boolean deletedLate(int index) {
    return (index / (claims / deletes)) % 2 == 1;
  }

  /** Starts the creates and deletes; {@link #await} waits for them. */
  void start() {
    workers = Executors.newScheduledThreadPool(WORKERS);
    long pace = spread.toNanos() / claims;
    pending.set(claims);
    for (int i = 0; i < claims; i++) {
      int index = i;
      schedule(() -> createAndMaybeDelete(index), index * pace);
    }
  }

  private void schedule(Runnable task, long delayNanos) {
    workers.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            finished.countDown();
          } finally {
            if (pending.decrementAndGet() == 0) {
              finished.countDown();
            }
          }
        },
        delayNanos,
        TimeUnit.NANOSECONDS);
  }

  private void createAndMaybeDelete(int index) {
    String name = claimName(index);
    creating.accept(name);
    persist("create " + name, () -> dialect.createClaim(client, namespace, pool, name, index), 409);
    created.add(name);
    if (!deletes(index)) {
      return;
    }
    if (deletedLate(index)) {
      pending.incrementAndGet();
      schedule(() -> delete(name), LATE_DELETE.toNanos());
    } else {
      delete(name);
    }
  }

  private void delete(String name) {
    persist("delete " + name, () -> dialect.deleteClaim(client, namespace, name), 404);
    deleted.add(name);
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
        boolean passing =
            org.ipam.core.engine.ApiFailures.passing(e)
                // A Service's ClusterIP is allocated in etcd: while etcd is away the API server
                // answers its create 422, "failed to allocate IP: rpc error: code = Unavailable".
                || (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("Unavailable"));
        if (!passing || System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " in " + namespace + " failed", e);
        }
        retries.incrementAndGet();
        ControllerProcess.sleep(Duration.ofMillis(250));
      }
    }
  }

  /**
   * One claim name deleted and created again {@code times} times while the others come: each
   * incarnation lives 0 to 1 s (served or not), is deleted, and the next is created once it is
   * gone. The last one stays, and must end served by its own uid's address. Returns the
   * incarnations made.
   */
  int recreate(String name, int times) {
    int index = claims; // past the others: kubipam's size of it is the next in turn
    int made = 0;
    for (int i = 0; i < times; i++) {
      creating.accept(name);
      persist(
          "create " + name, () -> dialect.createClaim(client, namespace, pool, name, index), 409);
      made++;
      if (i == times - 1) {
        created.add(name);
        break;
      }
      ControllerProcess.sleep(
          Duration.ofMillis(java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000)));
      String uid = dialect.uidOf(client, namespace, name);
      persist("delete " + name, () -> dialect.deleteClaim(client, namespace, name), 404);
      awaitGone(name, uid);
    }
    return made;
  }

  /** Waits until no claim of that name and uid exists (its finalizer removed). */
  private void awaitGone(String name, String uid) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (uid != null && uid.equals(uidOrNullWhileAway(name))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + " (uid "
                + uid
                + ") in "
                + namespace
                + " still there "
                + GIVE_UP
                + " after its delete");
      }
      ControllerProcess.sleep(Duration.ofMillis(100));
    }
  }

  private String uidOrNullWhileAway(String name) {
    try {
      return dialect.uidOf(client, namespace, name);
    } catch (KubernetesClientException away) {
      return "";
    }
  }

  /** How many creates have been answered so far. */
  int createdSoFar() {
    return created.size();
  }

  /**
   * Waits until every create and delete is answered, or one failed (the others are then stopped);
   * rethrows what failed.
   */
  void await() throws Exception {
    try {
      if (!finished.await(GIVE_UP.toMillis() * 2, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the creates and deletes did not end within " + GIVE_UP);
      }
    } finally {
      workers.shutdownNow();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a create or delete failed", failure.get());
    }
  }

  /** Whether every create and delete is answered, or one failed. */
  boolean done() {
    return finished.getCount() == 0;
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
