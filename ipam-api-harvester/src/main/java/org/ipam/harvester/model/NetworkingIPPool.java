package org.ipam.harvester.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The load-balancer IPPool in the group of the Harvester documentation's examples ({@code
 * networking.harvesterhci.io/v1beta1}).
 */
@Group(HarvesterApi.NETWORKING_GROUP)
@Version(value = HarvesterApi.V1BETA1, storage = true)
@Kind(HarvesterApi.IP_POOL)
@Plural("ippools")
@ShortNames({"pool", "pools"})
@Categories({"ipam"})
@AdditionalPrinterColumn(name = "DESCRIPTION", jsonPath = ".spec.description")
@AdditionalPrinterColumn(name = "RANGES", jsonPath = ".spec.ranges")
@AdditionalPrinterColumn(name = "Priority", jsonPath = ".spec.selector.priority")
public class NetworkingIPPool extends HarvesterIPPool {}
