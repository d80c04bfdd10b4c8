package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.List;

/** What a LoadBalancer's status says about its address (reference 1.3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class LoadBalancerStatus {
  @JsonPropertyDescription("The address the LoadBalancer's Service got (kube-vip, cloud provider).")
  private String address;

  @JsonPropertyDescription("The address its pool allocated; ipPool empty while none is.")
  private AllocatedAddress allocatedAddress;

  private List<HarvesterCondition> conditions;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public AllocatedAddress getAllocatedAddress() {
    return allocatedAddress;
  }

  public void setAllocatedAddress(AllocatedAddress allocatedAddress) {
    this.allocatedAddress = allocatedAddress;
  }

  public List<HarvesterCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<HarvesterCondition> conditions) {
    this.conditions = conditions;
  }
}
