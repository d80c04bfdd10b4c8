package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.webhook.DeadlineReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the in-cluster webhooks look up, read live from the API server: a pool's IPAddresses (for
 * the update and delete rules of the pools) and an IPAddress's claim (for its poolRef).
 *
 * <p>Why live and not from an informer: the lookups are rare (a pool update that takes addresses
 * away, a pool delete, an IPAddress create), every replica serves webhooks while only the leader
 * reconciles, and a cache that has not yet seen an IPAddress just created would admit the delete of
 * a pool in use. The IPAddresses are listed in pages of {@value #PAGE} and kept only as far as they
 * name the pool, so memory stays small for large clusters. Each lookup has a deadline well inside
 * the API server's webhook timeout (10 s): past it, or on any error, the answer is unknown and the
 * webhook refuses with "try again" instead of timing out with no reason given.
 *
 * <p>The reads run on a few threads of their own ({@value #READERS}), with at most {@value
 * #WAITING} more waiting for one: a burst of admission requests, or an API server that stops
 * answering, costs no more threads than that. A lookup that finds them all taken is refused at once
 * (the webhook says to try again); one that waits counts the wait against its deadline.
 */
public final class LiveLookups implements InUseAddresses, ClaimLookup {
  private static final Logger LOG = LoggerFactory.getLogger(LiveLookups.class);
  static final int PAGE = 500;
  private static final Duration DEADLINE = Duration.ofSeconds(6);

  /**
   * Reads at once. Every IPAddress create of an in-cluster pool reads its claim, so a burst of
   * claims served is a burst of lookups; each is one small GET.
   */
  static final int READERS = 16;

  /**
   * Reads waiting for a reader; more are refused. With the controller's webhook server (64 threads,
   * one lookup per request at most) none is refused for being busy.
   */
  static final int WAITING = 64;

  /** The reads, on threads of their own (see {@link DeadlineReads}). */
  private static final DeadlineReads READS =
      new DeadlineReads("incluster-webhook-lookup-", READERS, WAITING, DEADLINE);

  private final KubernetesClient client;

  public LiveLookups(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<List<AddressInUse>> of(PoolRef pool) {
    try {
      return Optional.of(withinDeadline(() -> addressesOf(pool)));
    } catch (RuntimeException e) {
      LOG.warn("webhook: the IPAddresses of {} could not be read: {}", pool, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Optional<IPAddressClaim> find(String namespace, String name) {
    return Optional.ofNullable(
        withinDeadline(
            () ->
                client
                    .resources(IPAddressClaim.class)
                    .inNamespace(namespace)
                    .withName(name)
                    .get()));
  }

  private List<AddressInUse> addressesOf(PoolRef pool) {
    List<AddressInUse> found = new ArrayList<>();
    String next = null;
    do {
      ListOptions page = new ListOptionsBuilder().withLimit((long) PAGE).withContinue(next).build();
      KubernetesResourceList<IPAddress> list =
          pool.namespace() == null
              ? client.resources(IPAddress.class).inAnyNamespace().list(page)
              : client.resources(IPAddress.class).inNamespace(pool.namespace()).list(page);
      for (IPAddress address : list.getItems()) {
        if (names(address, pool)) {
          found.add(
              new AddressInUse(
                  address.getMetadata().getNamespace(),
                  address.getMetadata().getName(),
                  address.getSpec().getAddress(),
                  address.getSpec().getPrefix()));
        }
      }
      next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return found;
  }

  private static boolean names(IPAddress address, PoolRef pool) {
    PoolReference ref = address.getSpec() == null ? null : address.getSpec().getPoolRef();
    return InClusterPoolRefs.isInCluster(ref)
        && pool.kind().equals(ref.getKind())
        && pool.name().equals(ref.getName());
  }

  private static <T> T withinDeadline(Supplier<T> read) {
    return READS.read(read);
  }
}
