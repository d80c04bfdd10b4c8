package org.ipam.core.engine;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.ipam.core.net.Ip;

/**
 * An address object (an IPAddress) as the in-memory API server stores it: its name, the address it
 * holds and the claim it names. {@code ownerUid} is the uid of its owner reference; null for an
 * object made by hand that names its claim only by kind and name.
 */
record AddressObject(
    String name,
    String namespace,
    Ip address,
    String claimKind,
    String claimName,
    String ownerUid,
    Instant created,
    boolean deleting,
    Set<String> finalizers,
    long resourceVersion) {

  AddressObject {
    finalizers = Set.copyOf(finalizers);
  }

  AddressObject withOwnerUid(String uid) {
    return new AddressObject(
        name, namespace, address, claimKind, claimName, uid, created, deleting, finalizers, 0);
  }

  AddressObject withFinalizer(String finalizer) {
    Set<String> more = new TreeSet<>(finalizers);
    more.add(finalizer);
    return new AddressObject(
        name, namespace, address, claimKind, claimName, ownerUid, created, deleting, more, 0);
  }

  AddressObject withoutFinalizer(String finalizer) {
    Set<String> fewer = new TreeSet<>(finalizers);
    fewer.remove(finalizer);
    return new AddressObject(
        name, namespace, address, claimKind, claimName, ownerUid, created, deleting, fewer, 0);
  }

  AddressObject asDeleting() {
    return new AddressObject(
        name, namespace, address, claimKind, claimName, ownerUid, created, true, finalizers, 0);
  }

  AddressObject withResourceVersion(long version) {
    return new AddressObject(
        name,
        namespace,
        address,
        claimKind,
        claimName,
        ownerUid,
        created,
        deleting,
        finalizers,
        version);
  }
}
