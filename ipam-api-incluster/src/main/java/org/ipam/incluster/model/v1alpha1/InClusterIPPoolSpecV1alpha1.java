package org.ipam.incluster.model.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import java.util.List;

/**
 * The spec of InClusterIPPool and GlobalInClusterIPPool v1alpha1 (reference/incluster.md 1.3): a
 * subnet with an optional start..end, or a list of addresses. Every field is optional; conversion
 * to v1alpha2 fills the gaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InClusterIPPoolSpecV1alpha1 {
  @JsonPropertyDescription("Addresses to hand out: single IPs, a-b ranges and CIDRs.")
  private List<String> addresses;

  @JsonPropertyDescription(
      "Subnet to hand out addresses from; without start and end, all but its first and last"
          + " address.")
  private String subnet;

  @JsonPropertyDescription("First address to hand out; if unset, the second address of the subnet.")
  private String start;

  @JsonPropertyDescription(
      "Last address to hand out; if unset, the second-last address of the subnet.")
  private String end;

  @JsonPropertyDescription("Prefix length of the network; if unset, the subnet's.")
  @Max(128)
  private Integer prefix;

  @JsonPropertyDescription("Gateway written into every IPAddress.")
  private String gateway;

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  public String getSubnet() {
    return subnet;
  }

  public void setSubnet(String subnet) {
    this.subnet = subnet;
  }

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  public Integer getPrefix() {
    return prefix;
  }

  public void setPrefix(Integer prefix) {
    this.prefix = prefix;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }
}
