package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One entry of a pool's allocation ledger ({@code status.allocations}, our addition): an address
 * and the claim, by uid, that holds it: a LoadBalancer ({@code kind} absent) or a core Service
 * ({@code kind: Service}). Upstream's {@code status.allocated} names the holder by {@code
 * namespace/name} only, which cannot tell a LoadBalancer from a later one of the same name; this
 * record can (docs/engine.md, "The versioned ledger").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AllocationRecord {
  @JsonPropertyDescription("The address.")
  private String ip;

  @JsonPropertyDescription("Service for a core Service; absent for a LoadBalancer.")
  private String kind;

  @JsonPropertyDescription("Namespace of the LoadBalancer that holds it.")
  private String namespace;

  @JsonPropertyDescription("Name of the LoadBalancer that holds it.")
  private String name;

  @JsonPropertyDescription("UID of the LoadBalancer that holds it.")
  private String uid;

  public AllocationRecord() {}

  public AllocationRecord(String ip, String namespace, String name, String uid) {
    this(ip, null, namespace, name, uid);
  }

  public AllocationRecord(String ip, String kind, String namespace, String name, String uid) {
    this.kind = kind;
    this.ip = ip;
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
  }

  public String getIp() {
    return ip;
  }

  public void setIp(String ip) {
    this.ip = ip;
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

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }
}
