package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * Cluster API's {@code --watch-filter}: with a value, a dialect that honours it (the in-cluster
 * one, as its upstream does) serves only pools and claims labelled {@code
 * cluster.x-k8s.io/watch-filter=<value>}, so that several controllers can split one cluster.
 * Address objects are never filtered: whatever holds an address keeps it occupied.
 *
 * @param value null for no filter
 */
public record WatchFilter(String value) {
  public static final String LABEL = "cluster.x-k8s.io/watch-filter";

  /** No filter: every object is served. */
  public static final WatchFilter NONE = new WatchFilter(null);

  public WatchFilter {
    if (value != null && value.isEmpty()) {
      value = null;
    }
  }

  /** Whether the object is to be served. */
  public boolean admits(HasMetadata object) {
    return admits(object.getMetadata().getLabels());
  }

  /** Whether an object of these labels (null for none) is to be served. */
  public boolean admits(Map<String, String> labels) {
    if (value == null) {
      return true;
    }
    return labels != null && value.equals(labels.get(LABEL));
  }
}
