package org.ipam.incluster.model.v1alpha2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import org.ipam.incluster.model.InClusterApi;

/**
 * The spec of InClusterPrefixPool and GlobalInClusterPrefixPool v1alpha2 (reference/incluster.md
 * 1.4). Unlike upstream, IPv4 prefixes are accepted too (docs/compat/incluster.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InClusterPrefixPoolSpec {
  @JsonPropertyDescription(
      "Network-aligned CIDRs to carve child prefixes from; overlaps allowed; one IP family.")
  @Required
  private List<String> prefixes;

  @JsonPropertyDescription(
      "Length of every child prefix handed out (64 when unset; set it for an IPv4 pool);"
          + " immutable.")
  @Default("64")
  @Min(1)
  @Max(128)
  private Integer allocationPrefixLength;

  @JsonPropertyDescription(
      "Gateway written into every IPAddress; informational, it blocks no prefix.")
  private String gateway;

  @JsonPropertyDescription(
      "IPs, a-b ranges or CIDRs: a child prefix overlapping any of them is never handed out.")
  private List<String> excludedPrefixes;

  /** {@code allocationPrefixLength}, where null and 0 mean 64 (as upstream's webhook compares). */
  public int effectiveAllocationPrefixLength() {
    return allocationPrefixLength == null || allocationPrefixLength == 0
        ? InClusterApi.DEFAULT_ALLOCATION_PREFIX_LENGTH
        : allocationPrefixLength;
  }

  public List<String> getPrefixes() {
    return prefixes;
  }

  public void setPrefixes(List<String> prefixes) {
    this.prefixes = prefixes;
  }

  public Integer getAllocationPrefixLength() {
    return allocationPrefixLength;
  }

  public void setAllocationPrefixLength(Integer allocationPrefixLength) {
    this.allocationPrefixLength = allocationPrefixLength;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  public List<String> getExcludedPrefixes() {
    return excludedPrefixes;
  }

  public void setExcludedPrefixes(List<String> excludedPrefixes) {
    this.excludedPrefixes = excludedPrefixes;
  }
}
