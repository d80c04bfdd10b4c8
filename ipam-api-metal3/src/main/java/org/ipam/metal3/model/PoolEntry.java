package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** One range of a pool ({@code spec.pools[i]}), with its own overrides. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolEntry extends NetworkSettings {
  @JsonPropertyDescription("First address (index 0).")
  @Pattern(Metal3Patterns.ADDRESS)
  private String start;

  @JsonPropertyDescription("Last address, inclusive.")
  @Pattern(Metal3Patterns.ADDRESS)
  private String end;

  @JsonPropertyDescription(
      "Bounds of the range; without start, the range begins after the written address.")
  @Pattern(Metal3Patterns.SUBNET)
  private String subnet;

  public String getStart() {
    return start;
  }

  public void setStart(String start) {
    this.start = start;
  }

  public String getEnd() {
    return end;
  }

  public void setEnd(String end) {
    this.end = end;
  }

  public String getSubnet() {
    return subnet;
  }

  public void setSubnet(String subnet) {
    this.subnet = subnet;
  }
}
