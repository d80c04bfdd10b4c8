package org.ipam.incluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * {@code status.ipAddresses}: how many addresses (child prefixes, for a prefix pool) the pool
 * holds. Each count is capped at 2^63-1 (Go's {@code math.MaxInt}, as upstream), so an IPv6 /64
 * pool shows 9223372036854775807.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAddressCounts {
  @JsonPropertyDescription(
      "Allocatable addresses (child prefixes of a prefix pool): excluded, reserved and gateway"
          + " addresses are not counted.")
  @Required
  private Long total;

  @JsonPropertyDescription("Addresses held by IPAddresses, out-of-range ones included.")
  @Required
  private Long used;

  @JsonPropertyDescription("total - used, never below 0.")
  @Required
  private Long free;

  @JsonPropertyDescription("Addresses held by IPAddresses but no longer allocatable from the spec.")
  @Required
  private Long outOfRange;

  public IPAddressCounts() {}

  public IPAddressCounts(long total, long used, long free, long outOfRange) {
    this.total = total;
    this.used = used;
    this.free = free;
    this.outOfRange = outOfRange;
  }

  public Long getTotal() {
    return total;
  }

  public void setTotal(Long total) {
    this.total = total;
  }

  public Long getUsed() {
    return used;
  }

  public void setUsed(Long used) {
    this.used = used;
  }

  public Long getFree() {
    return free;
  }

  public void setFree(Long free) {
    this.free = free;
  }

  public Long getOutOfRange() {
    return outOfRange;
  }

  public void setOutOfRange(Long outOfRange) {
    this.outOfRange = outOfRange;
  }
}
