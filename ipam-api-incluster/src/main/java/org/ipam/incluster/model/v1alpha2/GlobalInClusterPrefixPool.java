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
 * A cluster-wide pool of prefixes: each Cluster API IPAddressClaim of any namespace gets a child
 * prefix of allocationPrefixLength. Counts are in child prefixes.
 */
@Group(InClusterApi.GROUP)
@Version(value = InClusterApi.V1ALPHA2, storage = true)
@Plural("globalinclusterprefixpools")
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(
    name = "Prefixes",
    jsonPath = PrinterColumnPaths.PREFIXES,
    getDescription = "List of prefixes, to allocate from")
@AdditionalPrinterColumn(
    name = "Total",
    jsonPath = PrinterColumnPaths.TOTAL,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of prefixes configured for the pool")
@AdditionalPrinterColumn(
    name = "Free",
    jsonPath = PrinterColumnPaths.FREE,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of unallocated prefixes in the pool")
@AdditionalPrinterColumn(
    name = "Used",
    jsonPath = PrinterColumnPaths.USED,
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Count of allocated prefixes in the pool")
public class GlobalInClusterPrefixPool extends CustomResource<InClusterPrefixPoolSpec, PoolStatus> {
  public static final String KIND = InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL;

  @Override
  @Required
  public InClusterPrefixPoolSpec getSpec() {
    return super.getSpec();
  }
}
