package org.ipam.core.engine;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A claim as the in-memory API server stores it and as a cache shows it (an immutable snapshot).
 *
 * @param status the name of the address object the claim shows, or null
 * @param failure the last reason reported for not serving it, or null
 */
record FakeClaim(
    String kind,
    String namespace,
    String name,
    String uid,
    Instant created,
    String status,
    String failure,
    Set<String> finalizers,
    Instant deletionTimestamp,
    long resourceVersion) {

  FakeClaim {
    finalizers = Set.copyOf(finalizers);
  }

  ClaimId id() {
    return new ClaimId(kind, namespace, name, uid);
  }

  boolean deleting() {
    return deletionTimestamp != null;
  }

  FakeClaim withStatus(String newStatus) {
    return new FakeClaim(
        kind, namespace, name, uid, created, newStatus, failure, finalizers, deletionTimestamp, 0);
  }

  FakeClaim withFailure(String newFailure) {
    return new FakeClaim(
        kind, namespace, name, uid, created, status, newFailure, finalizers, deletionTimestamp, 0);
  }

  FakeClaim withFinalizer(String finalizer) {
    Set<String> more = new TreeSet<>(finalizers);
    more.add(finalizer);
    return new FakeClaim(
        kind, namespace, name, uid, created, status, failure, more, deletionTimestamp, 0);
  }

  FakeClaim withoutFinalizer(String finalizer) {
    Set<String> fewer = new TreeSet<>(finalizers);
    fewer.remove(finalizer);
    return new FakeClaim(
        kind, namespace, name, uid, created, status, failure, fewer, deletionTimestamp, 0);
  }

  FakeClaim withDeletion(Instant at) {
    return new FakeClaim(kind, namespace, name, uid, created, status, failure, finalizers, at, 0);
  }

  FakeClaim withResourceVersion(long version) {
    return new FakeClaim(
        kind,
        namespace,
        name,
        uid,
        created,
        status,
        failure,
        finalizers,
        deletionTimestamp,
        version);
  }
}
