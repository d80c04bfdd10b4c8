package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimId;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.select.ClaimAsk;
import org.ipam.harvester.select.Selection;

/**
 * A claim on a Harvester pool: a Harvester LoadBalancer ({@link LoadBalancerClaim}) or a core
 * Service of type LoadBalancer and our class ({@link ServiceClaim}). Both draw from the same pool
 * ledger, known by uid; what differs by kind (what it asks, how it is answered, when it lets go)
 * lives on the two variants, so that routes, binding and notices treat both alike.
 */
sealed interface HarvesterClaim permits LoadBalancerClaim, ServiceClaim {
  HasMetadata object();

  /** The claim kind the engine and the ledger know it by. */
  String kind();

  /** Whether this controller looks at it at all: a Service of another class is none of ours. */
  boolean concerned();

  /** Whether what it holds is to be released: it is being deleted, or no longer asks. */
  boolean releasing();

  /** What selection needs of it. */
  ClaimAsk ask();

  /** Where it names its pool, for the message when that pool does not exist. */
  String namingField();

  /** What it asks of its pool: any address, or one it names. */
  AllocationRequest request();

  /**
   * The object, field and value that ask for a specific address ({@code Service ns/name:
   * spec.loadBalancerIP "10.0.0.5"}), for the message when that address cannot be had; empty when
   * it asks for any address.
   */
  default String askedAddress() {
    return "";
  }

  /** Whether it already shows this allocation of this pool (finalizer, status). */
  boolean shows(String pool, Allocation allocation);

  /** Shows its address: finalizer, status, an event when it had waited. */
  void reportAllocated(ClaimWriters writers, AllocatedAddress address, String from);

  /** Tells it why it got nothing, when that changed. */
  void reportFailed(ClaimWriters writers, String message);

  /** No pool's pass sees it: tells it why (no pool serves it, or it takes none). */
  void tellUnrouted(ClaimWriters writers, Selection selection);

  /** Nothing of it is held any more: its finalizer goes (and what its status showed). */
  void letGo(ClaimWriters writers);

  default String uid() {
    return object().getMetadata().getUid();
  }

  /** How the pool's status names it ({@link HarvesterRecords#idOf}). */
  default String id() {
    return HarvesterRecords.idOf(
        kind(), object().getMetadata().getNamespace(), object().getMetadata().getName());
  }

  default String describe() {
    return kind()
        + " "
        + object().getMetadata().getNamespace()
        + "/"
        + object().getMetadata().getName();
  }

  default ClaimFacts facts() {
    return new ClaimFacts(
        new ClaimId(
            kind(), object().getMetadata().getNamespace(), object().getMetadata().getName(), uid()),
        null,
        Instant.parse(object().getMetadata().getCreationTimestamp()),
        releasing());
  }

  /** The live object of a ledger entry's claim, by kind, or null when there is none. */
  static HasMetadata live(KubernetesClient client, String kind, String namespace, String name) {
    if (HarvesterApi.SERVICE.equals(kind)) {
      return client.services().inNamespace(namespace).withName(name).get();
    }
    return client.resources(LoadBalancer.class).inNamespace(namespace).withName(name).get();
  }
}
