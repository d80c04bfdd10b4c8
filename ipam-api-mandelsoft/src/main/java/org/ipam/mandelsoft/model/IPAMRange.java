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

/** A pool of managed addresses that IPAMRequests draw CIDRs from. */
@Group(MandelsoftApi.GROUP)
@Version(MandelsoftApi.VERSION)
@Plural("ipamranges")
@Singular("ipamrange")
@ShortNames("iprange")
@Categories({"ipam"})
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.state")
public class IPAMRange extends CustomResource<IPAMRangeSpec, IPAMRangeStatus>
    implements Namespaced {
  @Override
  @Required
  public IPAMRangeSpec getSpec() {
    return super.getSpec();
  }
}
