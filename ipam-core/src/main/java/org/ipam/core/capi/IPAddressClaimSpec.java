package org.ipam.core.capi;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * What a claim asks for: an address from the pool {@code poolRef}, for the cluster {@code
 * clusterName}.
 */
public class IPAddressClaimSpec {
  @Size(min = 1, max = 63)
  private String clusterName;

  @Required private PoolReference poolRef;

  public IPAddressClaimSpec() {}

  public IPAddressClaimSpec(PoolReference poolRef) {
    this.poolRef = poolRef;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public PoolReference getPoolRef() {
    return poolRef;
  }

  public void setPoolRef(PoolReference poolRef) {
    this.poolRef = poolRef;
  }
}
