package org.ipam.incluster.model.v1alpha2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.PrinterColumnPaths;

/**
 * A cluster-wide pool of addresses, served to Cluster API IPAddressClaims of every namespace.
 * v1alpha2: the storage version, and the hub that v1alpha1 converts to and from.
 */
@Group(InClusterApi.GROUP)
@Version(value = InClusterApi.V1ALPHA2, storage = true)
@Plural("globalinclusterippools")
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(
    name = "Addresses",
    jsonPath = PrinterColumnPaths.ADDRESSES,
    getDescription = "List of addresses, to allocate from")
@AdditionalPrinterColumn(
    name = "Total",
    jsonPath = PrinterColumnPaths.TOTAL,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of IPs configured for the pool")
@AdditionalPrinterColumn(
    name = "Free",
    jsonPath = PrinterColumnPaths.FREE,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of unallocated IPs in the pool")
@AdditionalPrinterColumn(
    name = "Used",
    jsonPath = PrinterColumnPaths.USED,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of allocated IPs in the pool")
public class GlobalInClusterIPPool extends CustomResource<InClusterIPPoolSpec, PoolStatus> {
  public static final String KIND = InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL;

  @Override
  @Required
  public InClusterIPPoolSpec getSpec() {
    return super.getSpec();
  }
}
