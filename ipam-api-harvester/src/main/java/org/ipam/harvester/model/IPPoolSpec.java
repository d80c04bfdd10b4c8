package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The spec of an IPPool, in either group (reference 1.2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPPoolSpec {
  @JsonPropertyDescription("Free text.")
  private String description;

  @Required
  @JsonPropertyDescription("The ranges handed out, in this order.")
  private List<PoolRange> ranges;

  @JsonPropertyDescription("Which LoadBalancers the pool serves when they name no pool.")
  private Selector selector;

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public List<PoolRange> getRanges() {
    return ranges;
  }

  public void setRanges(List<PoolRange> ranges) {
    this.ranges = ranges;
  }

  public Selector getSelector() {
    return selector;
  }

  public void setSelector(Selector selector) {
    this.selector = selector;
  }
}
