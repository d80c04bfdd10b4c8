package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.AnyType;

/**
 * Which LoadBalancers an IPPool serves when they name no pool (reference 2): those on {@link
 * #network} whose project, namespace and guest cluster fall in {@link #scope}; of several, the one
 * of the highest {@link #priority}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Selector {
  @Min(0)
  @JsonPropertyDescription(
      "Larger is preferred; 0 is the default. Lets a new pool take over a scope from an old one.")
  private Integer priority;

  @JsonPropertyDescription(
      "<namespace>/<NetworkAttachmentDefinition name> of the VM network; empty: no network. A hard"
          + " condition.")
  private String network;

  // No type: a structural schema cannot say "list or map" (every node has one type; anyOf may
  // not set types; a CEL rule cannot be declared on a node without a type). The shape is checked
  // by ScopeJson: a bad value makes the pool's Ready condition name it.
  @SchemaFrom(type = AnyType.class)
  @JsonPropertyDescription(
      "The projects, namespaces and guest clusters served: a list of {project, namespace,"
          + " guestCluster}, or one {project, namespace, cluster} map. * (a wildcard) matches anything; an"
          + " absent field matches only an empty requirement. One entry of three wildcards makes the"
          + " global pool.")
  private Scope scope;

  public Selector() {}

  public Selector(Integer priority, String network, Scope scope) {
    this.priority = priority;
    this.network = network;
    this.scope = scope;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }

  public String getNetwork() {
    return network;
  }

  public void setNetwork(String network) {
    this.network = network;
  }

  public Scope getScope() {
    return scope;
  }

  public void setScope(Scope scope) {
    this.scope = scope;
  }
}
