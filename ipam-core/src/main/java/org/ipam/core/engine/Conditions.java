package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes conditions as the API conventions want them: one per type, and lastTransitionTime
 * moves only when the status does.
 */
public final class Conditions {
  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Sets the condition of this type in place; returns whether anything changed (callers skip the
   * status write otherwise).
   */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    String statusText = status ? "True" : "False";
    Optional<Condition> existing = find(conditions, type);
    if (existing.isPresent()) {
      Condition c = existing.get();
      if (statusText.equals(c.getStatus())
          && Objects.equals(reason, c.getReason())
          && Objects.equals(message, c.getMessage())
          && Objects.equals(observedGeneration, c.getObservedGeneration())) {
        return false;
      }
      if (!statusText.equals(c.getStatus())) {
        c.setLastTransitionTime(timestamp(now));
      }
      c.setStatus(statusText);
      c.setReason(reason);
      c.setMessage(message);
      c.setObservedGeneration(observedGeneration);
      return true;
    }
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(timestamp(now))
            .build());
    return true;
  }

  /** RFC 3339 in whole seconds, the form metav1.Time has on the wire. */
  public static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
