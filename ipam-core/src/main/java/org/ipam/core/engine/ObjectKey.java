package org.ipam.core.engine;

/** An API object by kind, namespace and name: how the engine tells address objects apart. */
public record ObjectKey(String kind, String namespace, String name) {
  @Override
  public String toString() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
