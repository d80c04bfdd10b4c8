package org.ipam.core.capi;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Cluster API address allocation. It has no status: everything a consumer needs is in the spec,
 * which never changes once written.
 */
@Group(IPAddressClaim.GROUP)
@Version(IPAddressClaim.VERSION)
@Plural("ipaddresses")
@Categories("cluster-api")
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.address")
@AdditionalPrinterColumn(name = "Pool Name", jsonPath = ".spec.poolRef.name")
@AdditionalPrinterColumn(name = "Pool Kind", jsonPath = ".spec.poolRef.kind")
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
