package org.ipam.metal3.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.metal3.model.IPClaim;

/** The {@code ipAddress} annotation (a specific-address request): when present, an address. */
final class AddressAnnotation {
  private AddressAnnotation() {}

  static void check(FieldProblems problems, HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(IPClaim.IP_ADDRESS_ANNOTATION);
    problems.address("metadata.annotations." + IPClaim.IP_ADDRESS_ANNOTATION, value);
  }
}
