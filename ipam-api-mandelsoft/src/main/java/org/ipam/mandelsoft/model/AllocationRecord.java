package org.ipam.mandelsoft.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One entry of a range's allocation ledger ({@code status.allocations}): a block and the request,
 * by uid, that holds it. Written by the controller only, one guarded write per pass: the commit
 * point two controllers cannot both win (docs/engine.md, "The versioned ledger").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllocationRecord {
  @JsonPropertyDescription("The block allocated, as a CIDR (/32 or /128 for one address).")
  private String cidr;

  @JsonPropertyDescription(
      "Namespace of the IPAMRequest that holds it; only when it is not the range's namespace.")
  private String namespace;

  @JsonPropertyDescription("Name of the IPAMRequest that holds it.")
  private String name;

  @JsonPropertyDescription("UID of the IPAMRequest that holds it.")
  private String uid;

  public AllocationRecord() {}

  public AllocationRecord(String cidr, String namespace, String name, String uid) {
    this.cidr = cidr;
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
  }

  public String getCidr() {
    return cidr;
  }

  public void setCidr(String cidr) {
    this.cidr = cidr;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }
}
