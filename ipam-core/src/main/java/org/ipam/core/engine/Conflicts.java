package org.ipam.core.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Whether a failure is the routine 409 of an optimistic write that someone else got in first. */
public final class Conflicts {
  private Conflicts() {}

  public static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }
}
