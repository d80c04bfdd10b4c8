package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolSpec extends NetworkSettings {
  @JsonPropertyDescription(
      "Name of the Cluster API Cluster this pool belongs to (labels, owner, pause).")
  private String clusterName;

  // The names are <namePrefix>-<address with dashes>: the prefix must begin an object name (a
  // DNS-1123 subdomain, whose last label may end in '-' since the address follows) and leave room
  // for the longest IPv4 address (the webhook and the controller check an IPv6 pool's room).
  @JsonPropertyDescription(
      "Prefix of the names of the IPAddress objects (<namePrefix>-<address>); lower-case letters,"
          + " digits, '-' and '.'; immutable.")
  @Required
  @Size(min = 1, max = 237)
  @Pattern(Metal3Patterns.NAME_PREFIX)
  private String namePrefix;

  @JsonPropertyDescription("Address ranges, consumed in declaration order.")
  private List<PoolEntry> pools = new ArrayList<>();

  @JsonPropertyDescription("sequential (lowest free address first) or random; immutable.")
  @Default("sequential")
  @Pattern("^(sequential|random)$")
  private String allocationStrategy;

  @JsonPropertyDescription(
      "Claim name to the address reserved for it (IPClaims and IPAddressClaims).")
  private Map<String, String> preAllocations = new LinkedHashMap<>();

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public String getNamePrefix() {
    return namePrefix;
  }

  public void setNamePrefix(String namePrefix) {
    this.namePrefix = namePrefix;
  }

  public List<PoolEntry> getPools() {
    return pools;
  }

  public void setPools(List<PoolEntry> pools) {
    this.pools = pools;
  }

  public String getAllocationStrategy() {
    return allocationStrategy;
  }

  public void setAllocationStrategy(String allocationStrategy) {
    this.allocationStrategy = allocationStrategy;
  }

  public Map<String, String> getPreAllocations() {
    return preAllocations;
  }

  public void setPreAllocations(Map<String, String> preAllocations) {
    this.preAllocations = preAllocations;
  }
}
