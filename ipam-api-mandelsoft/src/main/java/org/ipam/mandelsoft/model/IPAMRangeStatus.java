package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A range's status: upstream's state, message and round-robin pointers, and the allocation ledger
 * (our addition: the record allocations are committed to).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAMRangeStatus {
  @JsonPropertyDescription("Ready, Invalid or Deleting.")
  private String state;

  @JsonPropertyDescription("Why the range is not Ready.")
  private String message;

  @JsonPropertyDescription(
      "RoundRobin pointers, one per prefix length: <next address>/<prefix length>.")
  private List<String> roundRobin;

  @JsonPropertyDescription(
      "The allocations of the range (block and request uid), written by the controller in one"
          + " guarded write per pass: the record two controllers cannot both win. Not an input.")
  private List<AllocationRecord> allocations;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<String> getRoundRobin() {
    return roundRobin;
  }

  public void setRoundRobin(List<String> roundRobin) {
    this.roundRobin = roundRobin;
  }

  public List<AllocationRecord> getAllocations() {
    return allocations;
  }

  public void setAllocations(List<AllocationRecord> allocations) {
    this.allocations = allocations;
  }
}
