package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A condition as Harvester writes them (wrangler's generic condition): {@code lastUpdateTime} as
 * well as {@code lastTransitionTime}, no {@code observedGeneration}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HarvesterCondition {
  private String type;
  private String status;
  private String lastUpdateTime;
  private String lastTransitionTime;
  private String reason;
  private String message;

  public HarvesterCondition() {}

  public HarvesterCondition(
      String type, String status, String reason, String message, String timestamp) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastUpdateTime = timestamp;
    this.lastTransitionTime = timestamp;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getLastUpdateTime() {
    return lastUpdateTime;
  }

  public void setLastUpdateTime(String lastUpdateTime) {
    this.lastUpdateTime = lastUpdateTime;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
