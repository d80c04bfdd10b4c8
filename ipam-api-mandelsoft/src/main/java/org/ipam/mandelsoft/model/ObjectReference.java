package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** {@code spec.ipam}: the IPAMRange a request draws from; no namespace means the request's own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectReference {
  @Required
  @JsonPropertyDescription("Name of the IPAMRange.")
  private String name;

  @JsonPropertyDescription("Namespace of the IPAMRange; the request's namespace when empty.")
  private String namespace;

  public ObjectReference() {}

  public ObjectReference(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectReference other
        && Objects.equals(name, other.name)
        && Objects.equals(namespace, other.namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, namespace);
  }
}
