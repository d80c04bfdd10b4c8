package org.ipam.incluster.model.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * The spec of InClusterIPPool and GlobalInClusterIPPool v1alpha2 (reference/incluster.md 1.2).
 * Lists are null when absent, so that what was written is what is read back (and converted).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InClusterIPPoolSpec {
  @JsonPropertyDescription(
      "Addresses to hand out: single IPs, a-b ranges and CIDRs (host bits are ignored), in any"
          + " order, overlaps allowed; one IP family.")
  @Required
  private List<String> addresses;

  @JsonPropertyDescription(
      "Prefix length of the network, written into every IPAddress; with the lowest address it"
          + " gives the subnet whose network (and IPv4 broadcast) address is reserved.")
  @Required
  @Min(0)
  @Max(128)
  private Integer prefix;

  @JsonPropertyDescription(
      "Gateway written into every IPAddress; never handed out. Need not lie in the pool.")
  private String gateway;

  @JsonPropertyDescription(
      "Hand out the subnet's network and broadcast addresses (IPv6: the subnet-router anycast"
          + " address) too.")
  private Boolean allocateReservedIPAddresses;

  @JsonPropertyDescription(
      "Addresses never handed out: single IPs, a-b ranges and CIDRs; may lie outside the pool.")
  private List<String> excludedAddresses;

  @JsonPropertyDescription(
      "Seconds an address stays held after its claim is deleted before it is handed out again; 0"
          + " or unset: at once.")
  @Min(0)
  private Integer addressReuseGracePeriodSeconds;

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
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

  public Boolean getAllocateReservedIPAddresses() {
    return allocateReservedIPAddresses;
  }

  public void setAllocateReservedIPAddresses(Boolean allocateReservedIPAddresses) {
    this.allocateReservedIPAddresses = allocateReservedIPAddresses;
  }

  public List<String> getExcludedAddresses() {
    return excludedAddresses;
  }

  public void setExcludedAddresses(List<String> excludedAddresses) {
    this.excludedAddresses = excludedAddresses;
  }

  public Integer getAddressReuseGracePeriodSeconds() {
    return addressReuseGracePeriodSeconds;
  }

  public void setAddressReuseGracePeriodSeconds(Integer addressReuseGracePeriodSeconds) {
    this.addressReuseGracePeriodSeconds = addressReuseGracePeriodSeconds;
  }
}
