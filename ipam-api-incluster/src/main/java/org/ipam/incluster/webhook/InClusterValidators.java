package org.ipam.incluster.webhook;

import java.util.ArrayList;
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

  /**
   * The four pool validators and those of Cluster API's IPAddressClaim and IPAddress (CREATE and
   * UPDATE of v1beta2, for objects of in-cluster pools only), as the controller serves them.
   */
  public static List<AdmissionValidator<?>> all(InUseAddresses inUse, ClaimLookup claims) {
    List<AdmissionValidator<?>> validators = new ArrayList<>(all(inUse));
    validators.add(new CapiClaimValidator());
    validators.add(new CapiAddressValidator(claims));
    return List.copyOf(validators);
  }
}
