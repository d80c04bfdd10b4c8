package org.ipam.harvester.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Harvester's LoadBalancer, the claim side of an IPPool: {@code spec.ipam: pool} (or no ipam) asks
 * for an address, from {@code spec.ipPool} or from the pool the selector picks; the answer is
 * {@code status.allocatedAddress}. Only the fields IPAM reads and writes are modelled; the others
 * are kept as written (the schema preserves unknown fields of spec and status), so that this CRD
 * loses nothing Harvester's own LoadBalancer controller or the cloud provider writes. No status
 * subresource, as upstream: the cloud provider writes the status with a plain update.
 */
@Group(HarvesterApi.LOADBALANCER_GROUP)
@Version(value = HarvesterApi.V1BETA1, storage = true)
@Plural("loadbalancers")
@ShortNames({"lb", "lbs"})
@Categories({"ipam"})
@AdditionalPrinterColumn(name = "DESCRIPTION", jsonPath = ".spec.description")
@AdditionalPrinterColumn(name = "WORKLOADTYPE", jsonPath = ".spec.workloadType")
@AdditionalPrinterColumn(name = "IPAM", jsonPath = ".spec.ipam")
@AdditionalPrinterColumn(name = "ADDRESS", jsonPath = ".status.address")
public class LoadBalancer extends CustomResource<LoadBalancerSpec, LoadBalancerStatus>
    implements Namespaced {

  /** {@code namespace/name}, how upstream's pool status names a LoadBalancer. */
  public String id() {
    return getMetadata().getNamespace() + "/" + getMetadata().getName();
  }

  /** Whether the LoadBalancer asks a pool for its address ({@code spec.ipam} not {@code dhcp}). */
  public boolean wantsPool() {
    return getSpec() == null || !HarvesterApi.IPAM_DHCP.equals(getSpec().getIpam());
  }

  /** The pool it names in {@code spec.ipPool}; empty for automatic selection. */
  public String namedPool() {
    return getSpec() == null || getSpec().getIpPool() == null ? "" : getSpec().getIpPool();
  }

  /** The pool {@code status.allocatedAddress} names; empty while nothing is allocated. */
  public String allocatedPool() {
    AllocatedAddress address = getStatus() == null ? null : getStatus().getAllocatedAddress();
    return address == null || address.getIpPool() == null ? "" : address.getIpPool();
  }

  /** Whether the cloud provider made it for a guest cluster's Service. */
  public boolean forGuestCluster() {
    return getSpec() != null && HarvesterApi.WORKLOAD_CLUSTER.equals(getSpec().getWorkloadType());
  }
}
