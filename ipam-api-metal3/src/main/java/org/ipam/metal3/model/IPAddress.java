package org.ipam.metal3.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One allocated address. Its name is derived from the pool's namePrefix and the address, so the API
 * server refuses a second object for the same address: that refusal is the allocation lock.
 */
@Group(IPPool.GROUP)
@Version(IPPool.VERSION)
@Plural("ipaddresses")
@ShortNames({
  "ipa",
  "ipaddress",
  "m3ipa",
  "m3ipaddress",
  "m3ipaddresses",
  "metal3ipa",
  "metal3ipaddress",
  "metal3ipaddresses"
})
// Columns beyond upstream's Age (docs/compat/metal3.md).
@Categories({"metal3", "ipam"})
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.address")
@AdditionalPrinterColumn(
    name = "Prefix",
    jsonPath = ".spec.prefix",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool.name")
@AdditionalPrinterColumn(name = "Claim", jsonPath = ".spec.claim.name")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IPAddress extends CustomResource<IPAddressSpec, Void> implements Namespaced {
  public static final String FINALIZER = "ipaddress.ipam.metal3.io";

  @Override
  @Required
  public IPAddressSpec getSpec() {
    return super.getSpec();
  }
}
