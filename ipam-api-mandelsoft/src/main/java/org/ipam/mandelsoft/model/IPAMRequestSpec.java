package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What a request asks of its range (reference/mandelsoft.md 1.3). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPAMRequestSpec {
  @Required
  @JsonPropertyDescription("The IPAMRange to allocate from.")
  private ObjectReference ipam;

  @JsonPropertyDescription(
      "Prefix length of the block (32 is one IPv4 address); unset: the range's chunkSize, else"
          + " one address.")
  private Integer size;

  @JsonPropertyDescription("Free text.")
  private String description;

  @JsonPropertyDescription("A specific block (aligned CIDR) or IP to reserve.")
  private String request;

  public ObjectReference getIpam() {
    return ipam;
  }

  public void setIpam(ObjectReference ipam) {
    this.ipam = ipam;
  }

  public Integer getSize() {
    return size;
  }

  public void setSize(Integer size) {
    this.size = size;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getRequest() {
    return request;
  }

  public void setRequest(String request) {
    this.request = request;
  }
}
