package org.ipam.core.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.ipam.core.net.Ip;

/**
 * An API server in memory: address objects by name and claims by (kind, namespace, name), with
 * uids, resourceVersions, finalizers and deletion the way Kubernetes does them. Creating an object
 * whose name exists fails with {@link AlreadyExists}: that is the named-reservation commit point.
 * Every change is told to the watchers (the fake informers), which queue it until their test
 * flushes them. Thread-safe: the engine writes from its writer threads.
 */
final class InMemoryApi {
  static final String NAMESPACE = "default";

  enum EventType {
    ADDED,
    MODIFIED,
    DELETED
  }

  interface Watcher {
    void claimEvent(EventType type, FakeClaim claim);

    void objectEvent(EventType type, AddressObject object);

    /** The pool's ledger was written (its whole content, as a pool informer sees it). */
    default void ledgerEvent(List<LedgerEntry> entries) {}
  }

  record ClaimKey(String kind, String namespace, String name) {}

  static final class AlreadyExists extends RuntimeException {
    AlreadyExists(String name) {
      super("address object " + name + " already exists");
    }
  }

  static final class NotFound extends RuntimeException {
    NotFound(String what) {
      super(what + " not found");
    }
  }

  /** A 409, as the Kubernetes client reports it. */
  static final class Conflict extends KubernetesClientException {
    Conflict(String what) {
      super("conflict: " + what, 409, null);
    }
  }

  static final class Forbidden extends RuntimeException {
    Forbidden(String what) {
      super("forbidden: " + what);
    }
  }

  private final Clock clock;
  private final Map<String, AddressObject> objects = new TreeMap<>();
  private final Map<ClaimKey, FakeClaim> claims = new LinkedHashMap<>();
  private final List<Watcher> watchers = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private long resourceVersion;
  private List<LedgerEntry> ledger = List.of();
  private String ledgerVersion = "0";
  private long uids;
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong ledgerWrites = new AtomicLong();

  InMemoryApi(Clock clock) {
    this.clock = clock;
  }

  /** Registers a watcher; it first gets every existing object as ADDED (an informer's list). */
  synchronized void watch(Watcher watcher) {
    watchers.add(watcher);
    claims.values().forEach(claim -> watcher.claimEvent(EventType.ADDED, claim));
    objects.values().forEach(object -> watcher.objectEvent(EventType.ADDED, object));
    watcher.ledgerEvent(ledger);
  }

  /** How many writes the API has accepted. */
  long writes() {
    return writes.get();
  }

  /** How many of those writes were writes of the pool's ledger. */
  long ledgerWrites() {
    return ledgerWrites.get();
  }

  /** Claims that were shown an address object not their own, as they were written. */
  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  // ---------------------------------------------------------------- claims

  synchronized FakeClaim createClaim(String kind, String name) {
    ClaimKey key = new ClaimKey(kind, NAMESPACE, name);
    if (claims.containsKey(key)) {
      throw new AlreadyExists(kind + " " + name);
    }
    FakeClaim claim =
        new FakeClaim(
                kind,
                NAMESPACE,
                name,
                "uid-" + (++uids),
                clock.instant(),
                null,
                null,
                Set.of(),
                null,
                0)
            .withResourceVersion(++resourceVersion);
    claims.put(key, claim);
    writes.incrementAndGet();
    watchers.forEach(w -> w.claimEvent(EventType.ADDED, claim));
    return claim;
  }

  synchronized Optional<FakeClaim> claim(String kind, String name) {
    return Optional.ofNullable(claims.get(new ClaimKey(kind, NAMESPACE, name)));
  }

  synchronized Optional<FakeClaim> claimByUid(String uid) {
    return claims.values().stream().filter(c -> c.uid().equals(uid)).findFirst();
  }

  synchronized List<FakeClaim> claims() {
    return List.copyOf(claims.values());
  }

  /** A delete: the claim goes at once if it has no finalizer, else it is marked deleting. */
  synchronized void deleteClaim(String kind, String name) {
    ClaimKey key = new ClaimKey(kind, NAMESPACE, name);
    FakeClaim claim = claims.get(key);
    if (claim == null) {
      throw new NotFound(kind + " " + name);
    }
    writes.incrementAndGet();
    if (claim.finalizers().isEmpty()) {
      claims.remove(key);
      watchers.forEach(w -> w.claimEvent(EventType.DELETED, claim));
      return;
    }
    if (!claim.deleting()) {
      put(key, claim.withDeletion(clock.instant()));
    }
  }

  /**
   * A write guarded by the claim's uid (the precondition a binding sends): a claim deleted and
   * created again under the same name is another claim, and the write fails with a conflict.
   */
  synchronized FakeClaim updateClaim(
      String kind, String name, String expectedUid, UnaryOperator<FakeClaim> change) {
    ClaimKey key = new ClaimKey(kind, NAMESPACE, name);
    FakeClaim claim = claims.get(key);
    if (claim == null) {
      throw new NotFound(kind + " " + name);
    }
    if (!claim.uid().equals(expectedUid)) {
      throw new Conflict(kind + " " + name + " has uid " + claim.uid() + ", not " + expectedUid);
    }
    FakeClaim changed = change.apply(claim);
    if (claim.deleting() && !claim.finalizers().containsAll(changed.finalizers())) {
      throw new Forbidden("no new finalizers can be added to " + name + ": it is being deleted");
    }
    if (changed.status() != null && !changed.status().equals(claim.status())) {
      AddressObject shown = objects.get(changed.status());
      if (shown != null && !claim.uid().equals(shown.ownerUid())) {
        violations.add(
            kind
                + " "
                + name
                + " (uid "
                + claim.uid()
                + ") shown "
                + shown.name()
                + " owned by uid "
                + shown.ownerUid());
      }
    }
    writes.incrementAndGet();
    if (changed.deleting() && changed.finalizers().isEmpty()) {
      claims.remove(key);
      watchers.forEach(w -> w.claimEvent(EventType.DELETED, changed));
      return changed;
    }
    return put(key, changed);
  }

  private FakeClaim put(ClaimKey key, FakeClaim claim) {
    FakeClaim stored = claim.withResourceVersion(++resourceVersion);
    claims.put(key, stored);
    watchers.forEach(w -> w.claimEvent(EventType.MODIFIED, stored));
    return stored;
  }

  // ---------------------------------------------------------------- the pool's ledger

  synchronized Ledger ledger() {
    return new Ledger(ledgerVersion, ledger);
  }

  /** The versioned-ledger commit point: a write guarded by the ledger's resourceVersion. */
  synchronized Ledger writeLedger(String expectedVersion, List<LedgerEntry> entries) {
    if (!ledgerVersion.equals(expectedVersion)) {
      throw new Conflict("the ledger changed since version " + expectedVersion);
    }
    ledger = List.copyOf(entries);
    ledgerVersion = String.valueOf(++resourceVersion);
    writes.incrementAndGet();
    ledgerWrites.incrementAndGet();
    List<LedgerEntry> written = ledger;
    watchers.forEach(w -> w.ledgerEvent(written));
    return new Ledger(ledgerVersion, written);
  }

  // ---------------------------------------------------------------- address objects

  /** The commit point: fails with {@link AlreadyExists} when the name is taken. */
  synchronized AddressObject createObject(AddressObject object) {
    if (objects.containsKey(object.name())) {
      throw new AlreadyExists(object.name());
    }
    AddressObject stored = object.withResourceVersion(++resourceVersion);
    objects.put(object.name(), stored);
    writes.incrementAndGet();
    watchers.forEach(w -> w.objectEvent(EventType.ADDED, stored));
    return stored;
  }

  /** An object made by hand (or by another controller): no owner uid unless given. */
  synchronized AddressObject createObject(
      String name, Ip address, String claimKind, String claimName, String ownerUid) {
    return createObject(
        new AddressObject(
            name,
            NAMESPACE,
            address,
            claimKind,
            claimName,
            ownerUid,
            clock.instant(),
            false,
            Set.of(),
            0));
  }

  synchronized Optional<AddressObject> object(String name) {
    return Optional.ofNullable(objects.get(name));
  }

  synchronized List<AddressObject> objects() {
    return List.copyOf(objects.values());
  }

  /** A write guarded by the object's resourceVersion. */
  synchronized AddressObject updateObject(
      String name, long expectedVersion, UnaryOperator<AddressObject> change) {
    AddressObject object = objects.get(name);
    if (object == null) {
      throw new NotFound("address object " + name);
    }
    if (object.resourceVersion() != expectedVersion) {
      throw new Conflict("address object " + name + " changed");
    }
    AddressObject changed = change.apply(object);
    writes.incrementAndGet();
    if (changed.deleting() && changed.finalizers().isEmpty()) {
      objects.remove(name);
      watchers.forEach(w -> w.objectEvent(EventType.DELETED, changed));
      return changed;
    }
    AddressObject stored = changed.withResourceVersion(++resourceVersion);
    objects.put(name, stored);
    watchers.forEach(w -> w.objectEvent(EventType.MODIFIED, stored));
    return stored;
  }

  /** A delete: the object goes at once without finalizers, else it is marked deleting. */
  synchronized void deleteObject(String name) {
    AddressObject object = objects.get(name);
    if (object == null) {
      throw new NotFound("address object " + name);
    }
    writes.incrementAndGet();
    if (object.finalizers().isEmpty()) {
      objects.remove(name);
      watchers.forEach(w -> w.objectEvent(EventType.DELETED, object));
      return;
    }
    if (!object.deleting()) {
      AddressObject stored = object.asDeleting().withResourceVersion(++resourceVersion);
      objects.put(name, stored);
      watchers.forEach(w -> w.objectEvent(EventType.MODIFIED, stored));
    }
  }
}
