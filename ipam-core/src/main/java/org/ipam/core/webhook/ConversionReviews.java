package org.ipam.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * Answers an {@code apiextensions.k8s.io/v1} ConversionReview with the handlers of every enabled
 * dialect: each object goes to the handler of its group and kind, and comes back in {@code
 * request.desiredAPIVersion}, in the order given. An object already in that version is returned as
 * it is. If one object cannot be converted the review fails ({@code result.status: Failure}) with a
 * message naming it, and nothing is converted: the API server then fails the request that needed
 * the conversion, rather than answer with part of a list.
 */
public final class ConversionReviews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConversionReviews() {}

  /**
   * The ConversionReview answering {@code body}.
   *
   * @throws IOException when the body is not JSON (the server answers 400)
   */
  public static byte[] answer(List<? extends ConversionHandler> handlers, byte[] body)
      throws IOException {
    JsonNode review = JSON.readTree(body);
    JsonNode request = review.path("request");
    ObjectNode response = JSON.createObjectNode();
    response.put("uid", request.path("uid").asText(""));
    String desired = request.path("desiredAPIVersion").asText("");
    String problem = null;
    ArrayNode converted = JSON.createArrayNode();
    if (desired.isEmpty()) {
      problem = "the review names no desiredAPIVersion";
    } else if (!request.path("objects").isArray()) {
      problem = "the review carries no objects";
    } else {
      for (JsonNode object : request.path("objects")) {
        try {
          converted.add(convert(handlers, object, desired));
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
          break;
        }
      }
    }
    ObjectNode result = response.putObject("result");
    if (problem == null) {
      response.set("convertedObjects", converted);
      result.put("status", "Success");
    } else {
      result.put("status", "Failure");
      result.put("message", problem);
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("apiVersion", review.path("apiVersion").asText("apiextensions.k8s.io/v1"));
    answer.put("kind", "ConversionReview");
    answer.set("response", response);
    return JSON.writeValueAsBytes(answer);
  }

  private static JsonNode convert(
      List<? extends ConversionHandler> handlers, JsonNode object, String desired) {
    if (!(object instanceof ObjectNode node)) {
      throw new IllegalArgumentException("an object of the review is not a JSON object: " + object);
    }
    String apiVersion = node.path("apiVersion").asText("");
    String kind = node.path("kind").asText("");
    if (apiVersion.equals(desired)) {
      return node;
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String desiredGroup = desired.contains("/") ? desired.substring(0, desired.indexOf('/')) : "";
    String name = describe(node);
    if (!group.equals(desiredGroup)) {
      throw new IllegalArgumentException(
          name + ": cannot convert from " + apiVersion + " to another group's " + desired);
    }
    for (ConversionHandler handler : handlers) {
      if (handler.group().equals(group) && handler.kinds().contains(kind)) {
        return handler.convert(node.deepCopy(), desired);
      }
    }
    throw new IllegalArgumentException(
        name + ": no conversion is served for kind " + kind + " of " + apiVersion);
  }

  private static String describe(ObjectNode object) {
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    return object.path("kind").asText("object")
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + metadata.path("name").asText("");
  }
}
