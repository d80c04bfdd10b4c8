package org.ipam.incluster.webhook;

import java.util.List;
import org.ipam.core.webhook.AdmissionValidator;

/** The in-cluster dialect's validating webhooks, for the controller to serve. */
public final class InClusterValidators {
  private InClusterValidators() {}

  /**
   * The four pool validators (CREATE, UPDATE and DELETE of v1alpha2), judging updates and deletes
   * against the addresses the lookup says are in use.
   */
  public static List<AdmissionValidator<?>> all(InUseAddresses inUse) {
    return List.of(
        IPPoolValidator.namespaced(inUse),
        IPPoolValidator.global(inUse),
        PrefixPoolValidator.namespaced(inUse),
        PrefixPoolValidator.global(inUse));
  }
}
