package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Optional;

/**
 * What one pass over a pool did. {@code retryAfter}: when the pool should run again although no
 * event may come (a backoff ending, a write of ours the cache has not shown yet, an orphan's grace
 * period, a status report held back); empty when only events need to wake it.
 */
public record PassReport(int allocated, int failed, int released, Optional<Duration> retryAfter) {
  /** The shortest reschedule: JOSDK wants a positive delay, and a claim due now runs after it. */
  static final Duration MIN_RESCHEDULE = Duration.ofMillis(50);

  public static PassReport idle() {
    return new PassReport(0, 0, 0, Optional.empty());
  }

  /** What the pool's reconcile returns after this pass: run again when due, else on events. */
  public <P extends HasMetadata> UpdateControl<P> control() {
    return retryAfter
        .map(
            after ->
                UpdateControl.<P>noUpdate()
                    .rescheduleAfter(after.compareTo(MIN_RESCHEDULE) < 0 ? MIN_RESCHEDULE : after))
        .orElseGet(UpdateControl::noUpdate);
  }
}
