package org.ipam.incluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One entry of a pool's allocation ledger ({@code status.allocations}): an address and the claim,
 * by uid, that holds it. Written by the controller only, one guarded write per pass: the commit
 * point two controllers cannot both win (docs/engine.md, "The versioned ledger").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllocationRecord {
  @JsonPropertyDescription(
      "The address allocated: an IP, or for a prefix pool the child prefix as a CIDR.")
  private String address;

  @JsonPropertyDescription(
      "Namespace of the IPAddressClaim that holds it; only in a Global pool (a namespaced pool's"
          + " claims are of its namespace).")
  private String namespace;

  @JsonPropertyDescription("Name of the IPAddressClaim that holds it.")
  private String name;

  @JsonPropertyDescription("UID of the IPAddressClaim that holds it.")
  private String uid;

  public AllocationRecord() {}

  public AllocationRecord(String address, String namespace, String name, String uid) {
    this.address = address;
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
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
