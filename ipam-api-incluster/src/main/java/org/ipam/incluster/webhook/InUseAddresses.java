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
   * One address in use: where it was seen ({@code source}), the object's namespace and name, and
   * the address and prefix as written (the address may not parse; the prefix may be null).
   *
   * <p>Most are IPAddresses. The others are entries of the pool's ledger ({@code
   * status.allocations}, named after the claim): an allocation is committed there before its
   * IPAddress is created, so for a moment the ledger is the only trace of it, and a spec change
   * that took the address away then would strand the claim.
   */
  record AddressInUse(
      String namespace, String name, String address, Integer prefix, String source) {
    /** What the controller records: an IPAddress. */
    public static final String IP_ADDRESS = "IPAddress";

    /** What the pool's ledger records for a claim whose IPAddress may not exist yet. */
    public static final String LEDGER = "IPAddressClaim (in the pool's status.allocations)";

    /** An IPAddress of the pool. */
    public AddressInUse(String namespace, String name, String address, Integer prefix) {
      this(namespace, name, address, prefix, IP_ADDRESS);
    }

    /** {@code <address> (<source> <ns>/<name>)}, for messages. */
    public String describe() {
      return address + " (" + source + " " + namespace + "/" + name + ")";
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
