package org.ipam.incluster.webhook;

import java.util.Optional;
import org.ipam.core.capi.IPAddressClaim;

/**
 * The IPAddressClaim an IPAddress names, as the IPAddress webhook needs it on CREATE (its {@code
 * spec.poolRef} must be the claim's). Injected; the controller reads it live ({@link LiveLookups}),
 * within a deadline well inside the API server's webhook timeout.
 */
@FunctionalInterface
public interface ClaimLookup {
  /**
   * The claim, or empty when there is none.
   *
   * @throws RuntimeException when it cannot be read in time; the webhook then refuses the IPAddress
   *     and says to try again, rather than admit one it cannot judge (as Cluster API's webhook
   *     does)
   */
  Optional<IPAddressClaim> find(String namespace, String name);

  /** For tests and tools: no claim exists. */
  static ClaimLookup none() {
    return (namespace, name) -> Optional.empty();
  }
}
