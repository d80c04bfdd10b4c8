package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ObjectReference;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAddressSpec extends NetworkSettings {
  @Required private ObjectReference claim;

  @Required private ObjectReference pool;

  @Required
  @Pattern(Metal3Patterns.ADDRESS)
  private String address;

  public ObjectReference getClaim() {
    return claim;
  }

  public void setClaim(ObjectReference claim) {
    this.claim = claim;
  }

  public ObjectReference getPool() {
    return pool;
  }

  public void setPool(ObjectReference pool) {
    this.pool = pool;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }
}
