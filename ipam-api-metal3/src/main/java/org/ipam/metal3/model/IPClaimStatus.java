package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectReference;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPClaimStatus {
  @JsonPropertyDescription("The IPAddress allocated for this claim.")
  private ObjectReference address;

  @JsonPropertyDescription("Why no address could be allocated; cleared once one is.")
  private String errorMessage;

  public ObjectReference getAddress() {
    return address;
  }

  public void setAddress(ObjectReference address) {
    this.address = address;
  }

  public String getErrorMessage() {
    return errorMessage;
  }

  public void setErrorMessage(String errorMessage) {
    this.errorMessage = errorMessage;
  }
}
