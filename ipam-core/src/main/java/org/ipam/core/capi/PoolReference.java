package org.ipam.core.capi;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * Names the pool a claim asks for, or the pool an address came from: {@code {apiGroup, kind,
 * name}}, all three required in v1beta2.
 */
public class PoolReference {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(CapiPatterns.DNS1123_SUBDOMAIN)
  private String apiGroup;

  @Required
  @Size(min = 1, max = 63)
  @Pattern(CapiPatterns.KIND)
  private String kind;

  @Required
  @Size(min = 1, max = 253)
  @Pattern(CapiPatterns.DNS1123_SUBDOMAIN)
  private String name;

  public PoolReference() {}

  public PoolReference(String apiGroup, String kind, String name) {
    this.apiGroup = apiGroup;
    this.kind = kind;
    this.name = name;
  }

  public String getApiGroup() {
    return apiGroup;
  }

  public void setApiGroup(String apiGroup) {
    this.apiGroup = apiGroup;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolReference other
        && Objects.equals(apiGroup, other.apiGroup)
        && Objects.equals(kind, other.kind)
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiGroup, kind, name);
  }

  @Override
  public String toString() {
    return apiGroup + "/" + kind + "/" + name;
  }
}
