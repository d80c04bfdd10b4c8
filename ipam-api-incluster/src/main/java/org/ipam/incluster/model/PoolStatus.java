package org.ipam.incluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The status of all four pool kinds, in both versions: the counts upstream writes, and a {@code
 * Ready} condition (our addition, as the Cluster API contract recommends for pools). Rebuilt from
 * the spec and the IPAddresses: a cache for readers, never an input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolStatus {
  @JsonPropertyDescription("Address counts of the pool.")
  private IPAddressCounts ipAddresses;

  @JsonPropertyDescription(
      "Ready: whether the pool's spec can serve claims; the message says what is wrong.")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "The allocations of the pool (address and claim uid), written by the controller in one"
          + " guarded write per pass: the record two controllers cannot both win. Not an input;"
          + " rebuilt from the IPAddresses when missing (after clusterctl move).")
  private List<AllocationRecord> allocations;

  public List<AllocationRecord> getAllocations() {
    return allocations;
  }

  public void setAllocations(List<AllocationRecord> allocations) {
    this.allocations = allocations;
  }

  public IPAddressCounts getIpAddresses() {
    return ipAddresses;
  }

  public void setIpAddresses(IPAddressCounts ipAddresses) {
    this.ipAddresses = ipAddresses;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
