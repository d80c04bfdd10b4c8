package org.ipam.core.capi;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference by name to an object in the same namespace (a claim's address, an address's claim).
 */
public class LocalReference {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(CapiPatterns.DNS1123_SUBDOMAIN)
  private String name;

  public LocalReference() {}

  public LocalReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
