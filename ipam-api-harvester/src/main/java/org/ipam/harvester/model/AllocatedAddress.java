package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code status.allocatedAddress} of a LoadBalancer: the pool, the address, the mask of its range's
 * subnet (dotted for IPv4, as upstream) and the range's gateway.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class AllocatedAddress {
  private String ipPool;
  private String ip;
  private String mask;
  private String gateway;

  public AllocatedAddress() {}

  public AllocatedAddress(String ipPool, String ip, String mask, String gateway) {
    this.ipPool = ipPool;
    this.ip = ip;
    this.mask = mask;
    this.gateway = gateway;
  }

  public String getIpPool() {
    return ipPool;
  }

  public void setIpPool(String ipPool) {
    this.ipPool = ipPool;
  }

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  public String getMask() {
    return mask;
  }

  public void setMask(String mask) {
    this.mask = mask;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }
}
