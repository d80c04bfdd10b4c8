package org.ipam.core.capi;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Cluster API request for one address from the pool named by {@code spec.poolRef}. The provider
 * answers with an {@link IPAddress} of the same name and the {@code Ready} condition.
 */
@Group(IPAddressClaim.GROUP)
@Version(IPAddressClaim.VERSION)
@Plural("ipaddressclaims")
// Beyond Cluster API's own CRD: short name, category "ipam" and the Ready and IPAddress columns
// (docs/compat/metal3.md). The claim's status carries no address text: the IPAddress of the same
// name does (kubectl get ipam shows both).
@ShortNames("ipac")
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(name = "Pool Name", jsonPath = ".spec.poolRef.name")
@AdditionalPrinterColumn(name = "Pool Kind", jsonPath = ".spec.poolRef.kind")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "IPAddress", jsonPath = ".status.addressRef.name")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IPAddressClaim extends CustomResource<IPAddressClaimSpec, IPAddressClaimStatus>
    implements Namespaced {
  public static final String GROUP = "ipam.cluster.x-k8s.io";
  public static final String VERSION = "v1beta2";

  /** The resource as admission webhooks name it (the validating one and the claim finalizers). */
  public static final org.ipam.core.webhook.AdmissionValidator.Target ADMISSION_TARGET =
      new org.ipam.core.webhook.AdmissionValidator.Target(
          GROUP, VERSION, "ipaddressclaims", "IPAddressClaim");

  /**
   * The spec is immutable, as Cluster API's own webhook enforces; here the API server checks it
   * with CEL.
   */
  @Override
  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec is immutable")
  public IPAddressClaimSpec getSpec() {
    return super.getSpec();
  }
}
