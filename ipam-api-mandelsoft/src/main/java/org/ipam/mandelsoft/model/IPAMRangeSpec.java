package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** What a range manages (reference/mandelsoft.md 1.2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAMRangeSpec {
  @Required
  @JsonPropertyDescription(
      "The managed addresses: CIDRs (10.0.0.0/16), ranges (10.0.0.10-10.0.0.20) and single IPs,"
          + " all of one family.")
  private List<String> ranges;

  @JsonPropertyDescription(
      "Default prefix length of a request that gives no size; 0 or unset: one address.")
  private Integer chunkSize;

  @JsonPropertyDescription("FirstMatch (the default) or RoundRobin.")
  private String mode;

  public List<String> getRanges() {
    return ranges;
  }

  public void setRanges(List<String> ranges) {
    this.ranges = ranges;
  }

  public Integer getChunkSize() {
    return chunkSize;
  }

  public void setChunkSize(Integer chunkSize) {
    this.chunkSize = chunkSize;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }
}
