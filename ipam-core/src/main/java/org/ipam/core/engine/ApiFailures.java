package org.ipam.core.engine;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an API failure says about trying again. */
public final class ApiFailures {
  private ApiFailures() {}

  /**
   * No answer (fabric8 gives -1 or 0), 429 or a 5xx: the API server unreachable, overloaded or
   * failing, a failure that passes; the same request is worth sending again while it lasts.
   */
  public static boolean passing(KubernetesClientException e) {
    return e.getCode() <= 0 || e.getCode() == 429 || e.getCode() >= 500;
  }
}
