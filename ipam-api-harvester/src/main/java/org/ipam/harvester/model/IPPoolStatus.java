package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * An IPPool's status as upstream writes it (reference 1.2), plus our ledger ({@code allocations}).
 * {@code total}, {@code available} and {@code lastAllocated} are always written, as upstream's
 * schema requires them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolStatus {
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyDescription("Addresses the ranges hand out (gateways left out).")
  private long total;

  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyDescription("total minus the addresses allocated.")
  private long available;

  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyDescription("The address handed out last; round robin continues after it.")
  private String lastAllocated = "";

  @JsonPropertyDescription("Address to <namespace>/<name> of the LoadBalancer that holds it.")
  private Map<String, String> allocated;

  @JsonPropertyDescription(
      "Address to <namespace>/<name> of the LoadBalancer that held it last: a LoadBalancer of that"
          + " name gets it back first.")
  private Map<String, String> allocatedHistory;

  @JsonPropertyDescription("Ready: whether the pool can serve; the message says what is wrong.")
  private List<HarvesterCondition> conditions;

  @JsonPropertyDescription(
      "The controller's ledger (address and LoadBalancer uid), one guarded write per pass: the"
          + " record two controllers cannot both win. Not an input.")
  private List<AllocationRecord> allocations;

  public long getTotal() {
    return total;
  }

  public void setTotal(long total) {
    this.total = total;
  }

  public long getAvailable() {
    return available;
  }

  public void setAvailable(long available) {
    this.available = available;
  }

  public String getLastAllocated() {
    return lastAllocated;
  }

  public void setLastAllocated(String lastAllocated) {
    this.lastAllocated = lastAllocated;
  }

  public Map<String, String> getAllocated() {
    return allocated;
  }

  public void setAllocated(Map<String, String> allocated) {
    this.allocated = allocated;
  }

  public Map<String, String> getAllocatedHistory() {
    return allocatedHistory;
  }

  public void setAllocatedHistory(Map<String, String> allocatedHistory) {
    this.allocatedHistory = allocatedHistory;
  }

  public List<HarvesterCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<HarvesterCondition> conditions) {
    this.conditions = conditions;
  }

  public List<AllocationRecord> getAllocations() {
    return allocations;
  }

  public void setAllocations(List<AllocationRecord> allocations) {
    this.allocations = allocations;
  }
}
