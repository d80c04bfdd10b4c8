package org.ipam.controller;

import io.javaoperatorsdk.operator.Operator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The two readiness answers of the health port, kept apart on purpose.
 *
 * <p>{@code /readyz} is the Deployment's readiness probe, so it decides whether the webhook Service
 * routes admission reviews to this pod. With {@code failurePolicy: Fail}, a pod taken out of the
 * Service refuses every write of the dialects' kinds in the whole cluster; the webhooks check one
 * object at a time and need no informer, so {@code /readyz} says only whether this process has
 * started and serves them.
 *
 * <p>{@code /readyz/controllers} says whether the reconcilers can work: 503, naming what is wrong,
 * while an enabled dialect's CRDs are missing or an informer is unhealthy (an IPAddressClaim CRD
 * without v1beta2, RBAC that refuses a watch). It is for people and monitoring, not for a probe.
 */
final class Readiness {
  private final Map<String, String> notServed = new LinkedHashMap<>();
  private volatile Set<String> dialects;
  private volatile Operator operator;

  /** A dialect that is not reconciled, and why; recorded before {@link #started}. */
  synchronized void notServed(String dialect, String reason) {
    notServed.put(dialect, reason);
  }

  /** Each dialect not reconciled, and why; empty when all are. */
  synchronized Map<String, String> notServedReasons() {
    return Map.copyOf(notServed);
  }

  /** The webhooks (if any) are served: {@code /readyz} turns 200. */
  void serving(Set<String> dialects) {
    this.dialects = Set.copyOf(dialects);
  }

  /**
   * The operator's start returned (its informers synced, or JOSDK's cache sync timeout passed):
   * from now on its runtime information can be asked without JOSDK warning on every probe.
   */
  void operatorStarted(Operator operator) {
    this.operator = operator;
  }

  /** {@code /readyz}: whether this process answers; never about informers. */
  HttpEndpoints.Probe serving() {
    Set<String> dialects = this.dialects;
    if (dialects == null) {
      return new HttpEndpoints.Probe(false, "not ready: starting");
    }
    return new HttpEndpoints.Probe(
        true, "ready: " + String.join(",", dialects) + " (reconcilers: /readyz/controllers)");
  }

  /** {@code /readyz/controllers}: whether every enabled dialect is reconciled. */
  synchronized HttpEndpoints.Probe controllers() {
    if (!notServed.isEmpty()) {
      return new HttpEndpoints.Probe(false, "not ready: " + notServed);
    }
    Operator running = operator;
    if (running == null) {
      return new HttpEndpoints.Probe(false, "not ready: informers starting");
    }
    if (!running.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return new HttpEndpoints.Probe(
          false,
          "not ready: unhealthy informers "
              + running.getRuntimeInfo().unhealthyEventSources().keySet());
    }
    return new HttpEndpoints.Probe(true, "ready: " + String.join(",", dialects));
  }
}
