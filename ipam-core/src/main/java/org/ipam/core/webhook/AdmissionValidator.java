package org.ipam.core.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One resource's validating webhook, as a dialect defines it. The controller serves it at {@link
 * #path()} for the {@link #operations()} of the main resource (CREATE and UPDATE unless the dialect
 * also judges deletes; not {@code /status}, which the controller itself writes), with failurePolicy
 * Fail and no side effects.
 *
 * @param <T> the resource's model class
 */
public interface AdmissionValidator<T extends HasMetadata> {
  /** What the webhook applies to. */
  record Target(String group, String version, String plural, String kind) {
    /** {@code <group with dashes>-<version>-<kind in lower case>}: a webhook path's end. */
    public String pathSuffix() {
      return group.replace('.', '-')
          + "-"
          + version
          + "-"
          + kind.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What the webhook answers: refused when there are refusals; admitted otherwise, with the
   * warnings shown to the user (kubectl prints them).
   */
  record Verdict(List<String> refusals, List<String> warnings) {}

  Class<T> type();

  Target target();

  /**
   * The problems of an object about to be stored, one line each naming the object, the field and
   * the value; empty to admit it. Must not call the API (a webhook answers within the apiserver's
   * request timeout, and an answer must not depend on a cache that may lag), except for a rule that
   * needs live state, through a lookup with a deadline well inside that timeout that refuses when
   * it cannot answer (the in-cluster pools' in-use rules).
   *
   * @param oldObject the stored object on UPDATE, null on CREATE
   */
  List<String> validate(T object, T oldObject);

  /** The refusals of {@link #validate}, and warnings for what is admitted but surprising. */
  default Verdict review(T object, T oldObject) {
    return new Verdict(validate(object, oldObject), List.of());
  }

  /**
   * The problems with deleting a stored object, one line each; empty to admit the delete. Asked
   * only when {@link #operations()} include DELETE; the same rule as {@link #validate} holds: no
   * API calls.
   */
  default List<String> validateDelete(T oldObject) {
    return List.of();
  }

  /**
   * The operations the webhook is registered for ({@code rules[].operations}): CREATE and UPDATE,
   * and DELETE for a validator that overrides {@link #validateDelete}.
   */
  default List<String> operations() {
    return List.of("CREATE", "UPDATE");
  }

  /**
   * {@code /validate-<group with dashes>-<version>-<kind in lower case>}, as kubebuilder names it.
   */
  default String path() {
    return "/validate-" + target().pathSuffix();
  }
}
