package org.ipam.metal3.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ObjectReference;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IPClaimSpec {
  @JsonPropertyDescription(
      "The IPPool to allocate from; only its name is used, in the claim's namespace.")
  @Required
  private ObjectReference pool;

  public ObjectReference getPool() {
    return pool;
  }

  public void setPool(ObjectReference pool) {
    this.pool = pool;
  }
}
