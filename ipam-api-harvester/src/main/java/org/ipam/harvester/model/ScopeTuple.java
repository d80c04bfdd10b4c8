package org.ipam.harvester.model;

import java.util.Objects;

/**
 * One entry of {@code selector.scope}: a project, a namespace and a guest cluster. {@code *} is the
 * wildcard; an absent field is the empty string, which matches only an empty requirement (reference
 * 2.2).
 */
public record ScopeTuple(String project, String namespace, String guestCluster) {
  public ScopeTuple {
    project = project == null ? "" : project;
    namespace = namespace == null ? "" : namespace;
    guestCluster = guestCluster == null ? "" : guestCluster;
  }

  /** The tuple of a global pool: every project, namespace and guest cluster. */
  public static final ScopeTuple EVERYTHING =
      new ScopeTuple(HarvesterApi.ANY, HarvesterApi.ANY, HarvesterApi.ANY);

  public boolean isEverything() {
    return equals(EVERYTHING);
  }

  @Override
  public String toString() {
    return "{project: \""
        + project
        + "\", namespace: \""
        + namespace
        + "\", guestCluster: \""
        + guestCluster
        + "\"}";
  }

  /** Equal fields, for callers that compare against a tuple read from elsewhere. */
  public boolean sameAs(String otherProject, String otherNamespace, String otherCluster) {
    return Objects.equals(project, otherProject)
        && Objects.equals(namespace, otherNamespace)
        && Objects.equals(guestCluster, otherCluster);
  }
}
