package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * Rebuilt from the address objects on every pass: a cache for readers, never an input. {@code
 * indexes} is the field upstream writes; {@code allocations} carries the same map under the name
 * the Metal3 documentation shows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolStatus {
  @JsonPropertyDescription("When the allocations last changed.")
  private String lastUpdated;

  @JsonPropertyDescription("Claim name to allocated address.")
  private Map<String, String> indexes;

  @JsonPropertyDescription("Claim name to allocated address (same as indexes).")
  private Map<String, String> allocations;

  @JsonPropertyDescription(
      "Ready: whether the pool's spec is usable; the message says what is wrong.")
  private List<Condition> conditions;

  public String getLastUpdated() {
    return lastUpdated;
  }

  public void setLastUpdated(String lastUpdated) {
    this.lastUpdated = lastUpdated;
  }

  public Map<String, String> getIndexes() {
    return indexes;
  }

  public void setIndexes(Map<String, String> indexes) {
    this.indexes = indexes;
  }

  public Map<String, String> getAllocations() {
    return allocations;
  }

  public void setAllocations(Map<String, String> allocations) {
    this.allocations = allocations;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
