package org.ipam.core.capi;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An allocated address: the address, its prefix and gateway, the claim it answers and the pool it
 * came from.
 */
public class IPAddressSpec {
  @Required private LocalReference claimRef;

  @Required private PoolReference poolRef;

  @Required
  @Size(min = 1, max = 39)
  private String address;

  @Required
  @Min(0)
  @Max(128)
  private Integer prefix;

  @Size(min = 1, max = 39)
  private String gateway;

  public LocalReference getClaimRef() {
    return claimRef;
  }

  public void setClaimRef(LocalReference claimRef) {
    this.claimRef = claimRef;
  }

  public PoolReference getPoolRef() {
    return poolRef;
  }

  public void setPoolRef(PoolReference poolRef) {
    this.poolRef = poolRef;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
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
