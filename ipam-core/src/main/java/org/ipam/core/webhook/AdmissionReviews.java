package org.ipam.core.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.List;

/**
 * Answers an {@code admission.k8s.io/v1} AdmissionReview with one validator: allowed, or denied
 * with status 422 (Invalid) and a message that lists every problem. A DELETE is judged by {@link
 * AdmissionValidator#validateDelete} on the stored object ({@code oldObject}); anything else by
 * {@link AdmissionValidator#review}. A review that cannot be read is denied with 400 and says why,
 * so that nothing is admitted unchecked.
 */
public final class AdmissionReviews {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private AdmissionReviews() {}

  public static <T extends HasMetadata> byte[] answer(AdmissionValidator<T> validator, byte[] body)
      throws IOException {
    JsonNode review = JSON.readTree(body);
    JsonNode request = review.path("request");
    String uid = request.path("uid").asText("");
    ObjectNode response = JSON.createObjectNode();
    response.put("uid", uid);
    String problem = null;
    List<String> problems = List.of();
    List<String> warnings = List.of();
    try {
      T object = read(validator.type(), request.path("object"));
      T oldObject = read(validator.type(), request.path("oldObject"));
      if ("DELETE".equals(request.path("operation").asText())) {
        if (oldObject == null) {
          problem = "the DELETE review carries no oldObject";
        } else {
          problems = validator.validateDelete(oldObject);
        }
      } else if (object == null) {
        problem = "the review carries no object";
      } else {
        AdmissionValidator.Verdict verdict = validator.review(object, oldObject);
        problems = verdict.refusals();
        warnings = verdict.warnings();
      }
    } catch (IOException | IllegalArgumentException e) {
      problem = "cannot read the object as " + validator.target().kind() + ": " + e.getMessage();
    }
    if (problem != null) {
      deny(response, 400, "BadRequest", problem);
    } else if (!problems.isEmpty()) {
      deny(response, 422, "Invalid", String.join("; ", problems));
    } else {
      response.put("allowed", true);
    }
    if (problem == null && !warnings.isEmpty()) {
      warnings.forEach(response.putArray("warnings")::add);
    }
    return envelope(review, response);
  }

  /**
   * Answers a claim's CREATE review for a {@link ClaimFinalizerWebhook}: always allowed (the
   * webhook is never a rule), with a JSON Patch that appends the finalizer when the claim is one
   * this process serves, in a namespace the controller watches, and lacks it; with no patch
   * otherwise (a dry run included), and a 400 the API server ignores when the review is not JSON.
   */
  public static byte[] answerFinalizer(
      ClaimFinalizerWebhook webhook,
      java.util.function.Predicate<String> watchedNamespace,
      byte[] body)
      throws IOException {
    JsonNode review = JSON.readTree(body);
    JsonNode request = review.path("request");
    ObjectNode response = JSON.createObjectNode();
    response.put("uid", request.path("uid").asText(""));
    response.put("allowed", true);
    JsonNode object = request.path("object");
    JsonNode finalizers = object.path("metadata").path("finalizers");
    String namespace = request.path("namespace").asText("");
    boolean wanted =
        "CREATE".equals(request.path("operation").asText())
            && object.isObject()
            && !request.path("dryRun").asBoolean(false)
            && watchedNamespace.test(namespace)
            && !contains(finalizers, webhook.finalizer())
            && webhook.serves().test(namespace, object);
    if (wanted) {
      ArrayNode patch = JSON.createArrayNode();
      ObjectNode add = patch.addObject();
      add.put("op", "add");
      if (finalizers.isArray()) {
        add.put("path", "/metadata/finalizers/-");
        add.put("value", webhook.finalizer());
      } else {
        add.put("path", "/metadata/finalizers");
        add.putArray("value").add(webhook.finalizer());
      }
      response.put("patchType", "JSONPatch");
      response.put(
          "patch", java.util.Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(patch)));
    }
    return envelope(review, response);
  }

  /**
   * Answers a review sent to a webhook path no enabled dialect serves: allowed, with {@code
   * warning} (which the API server passes to the client). Such a review is of a dialect this
   * controller does not run ({@code --adapters}), so nothing of its own is at stake, and a refusal
   * would stop the writes of whatever serves that dialect instead.
   */
  public static byte[] answerUnserved(byte[] body, String warning) throws IOException {
    JsonNode review = JSON.readTree(body);
    ObjectNode response = JSON.createObjectNode();
    response.put("uid", review.path("request").path("uid").asText(""));
    response.put("allowed", true);
    response.putArray("warnings").add(warning);
    return envelope(review, response);
  }

  /** The AdmissionReview that carries a response, in the version the review came in. */
  private static byte[] envelope(JsonNode review, ObjectNode response) throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("apiVersion", review.path("apiVersion").asText("admission.k8s.io/v1"));
    answer.put("kind", "AdmissionReview");
    answer.set("response", response);
    return JSON.writeValueAsBytes(answer);
  }

  private static boolean contains(JsonNode array, String text) {
    for (JsonNode item : array) {
      if (text.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }

  private static void deny(ObjectNode response, int code, String reason, String message) {
    response.put("allowed", false);
    ObjectNode status = response.putObject("status");
    status.put("code", code);
    status.put("reason", reason);
    status.put("message", message);
  }

  private static <T> T read(Class<T> type, JsonNode node) throws IOException {
    return node.isMissingNode() || node.isNull() ? null : JSON.treeToValue(node, type);
  }
}
