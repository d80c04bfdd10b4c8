package org.ipam.incluster.webhook;

import java.util.List;
import java.util.Optional;

/**
 * The Cluster API IPAddresses a pool has handed out, as the webhooks need them: on UPDATE, to
 * refuse a spec that would leave an address in use unallocatable; on DELETE, to refuse deleting a
 * pool in use. Injected into the validators; the controller reads them live ({@link LiveLookups}).
 *
 * <p>Contract: answers well within the API server's webhook timeout (from memory, or by a read with
 * a deadline), never by waiting on a cache that may lag behind an IPAddress just created. It lists
 * every IPAddress whose {@code spec.poolRef} names the pool ({@code apiGroup} {@code
 * ipam.cluster.x-k8s.io}, or empty), in the pool's namespace for a namespaced pool and in every
 * namespace for a Global one, whatever its state (terminating ones included, as upstream counts
 * them). Empty (not an empty list) when the answer is not known, because the IPAddresses could not
 * be read in time: the validators then refuse what depends on it and say to try again, rather than
 * admit a delete or an update they cannot judge.
 */
@FunctionalInterface
public interface InUseAddresses {
  /** A pool: its kind, its namespace (null for the Global kinds) and its name. */
  record PoolRef(String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
  }

  /**
   * One IPAddress of the pool: where it is, and its {@code spec.address} and {@code spec.prefix} as
   * written (the address may not parse; the prefix may be null).
   */
  record AddressInUse(String namespace, String name, String address, Integer prefix) {
    /** {@code <address> (IPAddress <ns>/<name>)}, for messages. */
    public String describe() {
      return address + " (IPAddress " + namespace + "/" + name + ")";
    }
  }

  /** The IPAddresses of the pool, or empty when that is not known. */
  Optional<List<AddressInUse>> of(PoolRef pool);

  /** For tests and for a controller that does not know yet: never known. */
  static InUseAddresses unknown() {
    return pool -> Optional.empty();
  }

  /** For tests and tools: no pool has any IPAddress. */
  static InUseAddresses none() {
    return pool -> Optional.of(List.of());
  }
}
