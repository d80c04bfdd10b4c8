package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A request's status, as upstream writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAMRequestStatus {
  @JsonPropertyDescription("Ready, Invalid or Busy.")
  private String state;

  @JsonPropertyDescription("Why the request is not Ready.")
  private String message;

  @JsonPropertyDescription("The allocated block.")
  private String cidr;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getCidr() {
    return cidr;
  }

  public void setCidr(String cidr) {
    this.cidr = cidr;
  }
}
