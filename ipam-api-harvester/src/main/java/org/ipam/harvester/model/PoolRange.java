package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One range of an IPPool, as CNI host-local's range (reference 1.2): a subnet, optionally narrowed
 * to {@code rangeStart..rangeEnd}, with a gateway that is never handed out. The defaults (second
 * address to second-last, gateway the second address) are applied by {@code PoolRanges}, not here:
 * the object keeps what the user wrote.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PoolRange {
  @Required
  @JsonPropertyDescription(
      "CIDR of the range; host bits allowed (172.19.111.10/27 is 172.19.111.0/27).")
  private String subnet;

  @JsonPropertyDescription(
      "First address handed out (inclusive); default: the subnet's second address.")
  private String rangeStart;

  @JsonPropertyDescription(
      "Last address handed out (inclusive); default: the address before IPv4 broadcast, the last"
          + " address for IPv6.")
  private String rangeEnd;

  @JsonPropertyDescription(
      "Gateway of the range, never handed out; default: the subnet's second address (none for an"
          + " IPv4 /32).")
  private String gateway;

  public PoolRange() {}

  public PoolRange(String subnet, String rangeStart, String rangeEnd, String gateway) {
    this.subnet = subnet;
    this.rangeStart = rangeStart;
    this.rangeEnd = rangeEnd;
    this.gateway = gateway;
  }

  public String getSubnet() {
    return subnet;
  }

  public void setSubnet(String subnet) {
    this.subnet = subnet;
  }

  public String getRangeStart() {
    return rangeStart;
  }

  public void setRangeStart(String rangeStart) {
    this.rangeStart = rangeStart;
  }

  public String getRangeEnd() {
    return rangeEnd;
  }

  public void setRangeEnd(String rangeEnd) {
    this.rangeEnd = rangeEnd;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }
}
