package org.ipam.core.capi;

import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the provider reports on a claim: the {@code Ready} condition and, once allocated, the
 * IPAddress that holds the address.
 */
public class IPAddressClaimStatus {
  @Size(max = 32)
  private List<Condition> conditions = new ArrayList<>();

  private LocalReference addressRef;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public LocalReference getAddressRef() {
    return addressRef;
  }

  public void setAddressRef(LocalReference addressRef) {
    this.addressRef = addressRef;
  }
}
