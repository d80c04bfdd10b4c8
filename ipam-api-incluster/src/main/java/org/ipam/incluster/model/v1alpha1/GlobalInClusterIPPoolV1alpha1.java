package org.ipam.incluster.model.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.PrinterColumnPaths;

/**
 * GlobalInClusterIPPool v1alpha1: served and deprecated, stored as v1alpha2 through the conversion
 * webhook. Its printer columns are Subnet, Addresses, Total, Free, Used (upstream's First and Last
 * columns name fields that do not exist and are always empty).
 */
@Group(InClusterApi.GROUP)
@Version(value = InClusterApi.V1ALPHA1, storage = false, deprecated = true)
@Kind(InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL)
@Plural("globalinclusterippools")
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(
    name = "Subnet",
    jsonPath = PrinterColumnPaths.SUBNET,
    getDescription = "Subnet to allocate IPs from")
@AdditionalPrinterColumn(
    name = "Addresses",
    jsonPath = PrinterColumnPaths.ADDRESSES_AFTER_SUBNET,
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
public class GlobalInClusterIPPoolV1alpha1
    extends CustomResource<InClusterIPPoolSpecV1alpha1, PoolStatus> {}
