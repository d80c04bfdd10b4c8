package org.ipam.core.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A mutating webhook that puts a dialect's finalizer on a claim as it is created, so that serving
 * the claim costs the controller no write of its own for it: without it, the finalizer is a patch
 * of the claim's metadata, and the claim's status (a status subresource) cannot carry it. The
 * controller still adds the finalizer when a claim lacks it (webhooks off, the controller down when
 * the claim was made: the webhook's failurePolicy is Ignore, it is never a rule), and removes it as
 * before, so nothing depends on the webhook.
 *
 * <p>Only a claim whose pool this process serves at that moment gets it ({@code serves}: the pool
 * the claim names has had a pass of this process's engine, and the claim is one the dialect's
 * reconcilers admit), in a namespace the controller watches: a finalizer on a claim that no
 * reconciler of this process looks at would never be removed. A claim made before its pool, or
 * while the pool is not served, gets its finalizer from the controller once it serves it.
 *
 * @param dialect the dialect's name, part of the webhook's name and path
 * @param target the claim resource, in the version the webhook is registered for (objects of other
 *     versions arrive converted, matchPolicy Equivalent)
 * @param finalizer the finalizer the dialect's controller adds to a claim it serves
 * @param serves whether a claim (the review's namespace, and its {@code object} as JSON) is one
 *     this process serves now
 */
public record ClaimFinalizerWebhook(
    String dialect,
    AdmissionValidator.Target target,
    String finalizer,
    BiPredicate<String, JsonNode> serves) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** {@code finalize.<dialect>.<plural>.<group>}: unique per dialect and resource. */
  public String name() {
    return "finalize." + dialect + "." + target.plural() + "." + target.group();
  }

  /** {@code /mutate-<dialect>-<group with dashes>-<version>-<kind in lower case>}. */
  public String path() {
    return "/mutate-" + dialect + "-" + target.pathSuffix();
  }

  /**
   * The text at a path of the object ("" when absent), e.g. {@code text(claim, "spec", "pool")}.
   */
  public static String text(JsonNode object, String... path) {
    JsonNode node = object;
    for (String field : path) {
      node = node.path(field);
    }
    return node.isTextual() ? node.asText() : "";
  }

  /** The object's labels (empty when it has none). */
  public static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new HashMap<>();
    object
        .path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
    return labels;
  }

  /**
   * The claim as its typed class, in the review's namespace (a create's object may carry none), so
   * that a dialect asks the questions its reconcilers ask; empty when it does not read as one (the
   * webhook then adds nothing, and the API server's own checks judge the object).
   */
  public static <T extends HasMetadata> Optional<T> typed(
      JsonNode object, String namespace, Class<T> type) {
    try {
      T typed = JSON.treeToValue(object, type);
      if (typed == null || typed.getMetadata() == null) {
        return Optional.empty();
      }
      typed.getMetadata().setNamespace(namespace);
      return Optional.of(typed);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
