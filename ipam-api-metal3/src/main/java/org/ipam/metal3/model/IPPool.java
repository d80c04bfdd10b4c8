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

/** A Metal3 pool: ranges of addresses handed out to IPClaims and Cluster API IPAddressClaims. */
@Group(IPPool.GROUP)
@Version(IPPool.VERSION)
@Plural("ippools")
@ShortNames({
  "ipp",
  "ippool",
  "m3ipp",
  "m3ippool",
  "m3ippools",
  "metal3ipp",
  "metal3ippool",
  "metal3ippools"
})
// "ipam": kubectl get ipam lists every kind this controller serves; the columns after Cluster are
// ours (docs/compat/metal3.md): whether the pool serves, and why not.
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.labels.cluster\\.x-k8s\\.io/cluster-name")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IPPool extends CustomResource<IPPoolSpec, IPPoolStatus> implements Namespaced {
  public static final String GROUP = "ipam.metal3.io";
  public static final String VERSION = "v1alpha1";
  public static final String FINALIZER = "ippool.ipam.metal3.io";

  @Override
  @Required
  public IPPoolSpec getSpec() {
    return super.getSpec();
  }
}
