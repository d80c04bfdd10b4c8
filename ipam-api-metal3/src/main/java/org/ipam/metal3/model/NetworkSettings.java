package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * Prefix, gateway and DNS servers: what an address carries, set on a pool, overridden per range,
 * and written to each IPAddress. One class, so the three places cannot drift apart.
 */
public abstract class NetworkSettings {
  @JsonPropertyDescription("Prefix length; on a range, 0 means the pool's.")
  @Max(128)
  private Integer prefix;

  @JsonPropertyDescription("Gateway address.")
  @Pattern(Metal3Patterns.ADDRESS)
  private String gateway;

  @JsonPropertyDescription("DNS server addresses.")
  private List<@Pattern(Metal3Patterns.ADDRESS) String> dnsServers;

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

  public List<String> getDnsServers() {
    return dnsServers;
  }

  public void setDnsServers(List<String> dnsServers) {
    this.dnsServers = dnsServers;
  }
}
