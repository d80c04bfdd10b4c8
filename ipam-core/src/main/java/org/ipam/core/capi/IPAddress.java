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
 * A Cluster API address allocation. It has no status: everything a consumer needs is in the spec,
 * which never changes once written.
 */
@Group(IPAddressClaim.GROUP)
@Version(IPAddressClaim.VERSION)
@Plural("ipaddresses")
// Beyond Cluster API's own CRD: a short name (Metal3's IPAddress has "ipa"), category "ipam" and
// the Claim column (docs/compat/metal3.md).
@ShortNames("capiipa")
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.address")
@AdditionalPrinterColumn(name = "Pool Name", jsonPath = ".spec.poolRef.name")
@AdditionalPrinterColumn(name = "Pool Kind", jsonPath = ".spec.poolRef.kind")
@AdditionalPrinterColumn(name = "Claim", jsonPath = ".spec.claimRef.name")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IPAddress extends CustomResource<IPAddressSpec, Void> implements Namespaced {

  @Override
  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec is immutable")
  public IPAddressSpec getSpec() {
    return super.getSpec();
  }
}
