package org.ipam.mandelsoft.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A request for a block (or one address) of an IPAMRange; the answer is {@code status.cidr}. */
@Group(MandelsoftApi.GROUP)
@Version(MandelsoftApi.VERSION)
@Plural("ipamrequests")
@Singular("ipamrequest")
@ShortNames("ipreq")
@Categories({"ipam"})
@AdditionalPrinterColumn(name = "IPAM", jsonPath = ".spec.ipam.name")
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".spec.size",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
// ['cidr']: the generator sorts columns by path; this spelling keeps upstream's order (STATE,
// CIDR).
@AdditionalPrinterColumn(name = "CIDR", jsonPath = ".status['cidr']")
public class IPAMRequest extends CustomResource<IPAMRequestSpec, IPAMRequestStatus>
    implements Namespaced {
  @Override
  @Required
  public IPAMRequestSpec getSpec() {
    return super.getSpec();
  }
}
