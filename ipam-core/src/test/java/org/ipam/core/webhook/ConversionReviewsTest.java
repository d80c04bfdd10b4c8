package org.ipam.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversionReviewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * example.org Widgets: v1 has {@code spec.size} in inches, v2 {@code spec.sizeMm}; a size of -1
   * cannot be converted.
   */
  private static final ConversionHandler WIDGETS =
      new ConversionHandler() {
        @Override
        public String group() {
          return "example.org";
        }

        @Override
        public Set<String> kinds() {
          return Set.of("Widget");
        }

        @Override
        public ObjectNode convert(ObjectNode object, String desiredApiVersion) {
          ObjectNode spec = (ObjectNode) object.path("spec");
          if (desiredApiVersion.equals("example.org/v2")) {
            int inches = spec.remove("size").asInt();
            if (inches < 0) {
              throw new IllegalArgumentException(
                  "Widget "
                      + object.path("metadata").path("name").asText()
                      + ": spec.size \"-1\" is negative");
            }
            spec.put("sizeMm", inches * 25);
          } else {
            spec.put("size", spec.remove("sizeMm").asInt() / 25);
          }
          object.put("apiVersion", desiredApiVersion);
          return object;
        }
      };

  private static JsonNode answer(String request) throws Exception {
    String review =
        "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":"
            + request
            + "}";
    return JSON.readTree(
        ConversionReviews.answer(List.of(WIDGETS), review.getBytes(StandardCharsets.UTF_8)));
  }

  private static String widget(String apiVersion, String spec) {
    return "{\"apiVersion\":\""
        + apiVersion
        + "\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"ns\",\"uid\":\"u\"},"
        + "\"spec\":"
        + spec
        + "}";
  }

  @Test
  void convertsEveryObjectInOrderAndEchoesTheUid() throws Exception {
    JsonNode answer =
        answer(
            "{\"uid\":\"c-1\",\"desiredAPIVersion\":\"example.org/v2\",\"objects\":["
                + widget("example.org/v1", "{\"size\":2}")
                + ","
                + widget("example.org/v2", "{\"sizeMm\":75}")
                + "]}");
    assertThat(answer.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(answer.path("kind").asText()).isEqualTo("ConversionReview");
    JsonNode response = answer.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("c-1");
    assertThat(response.path("result").path("status").asText()).isEqualTo("Success");
    JsonNode objects = response.path("convertedObjects");
    assertThat(objects).hasSize(2);
    assertThat(objects.get(0).path("apiVersion").asText()).isEqualTo("example.org/v2");
    assertThat(objects.get(0).path("spec").path("sizeMm").asInt()).isEqualTo(50);
    assertThat(objects.get(0).path("metadata").path("uid").asText()).isEqualTo("u");
    // Already in the desired version: returned as it is.
    assertThat(objects.get(1).path("spec").path("sizeMm").asInt()).isEqualTo(75);
  }

  @Test
  void oneObjectThatCannotBeConvertedFailsTheReviewWithItsMessage() throws Exception {
    JsonNode response =
        answer(
                "{\"uid\":\"c-2\",\"desiredAPIVersion\":\"example.org/v2\",\"objects\":["
                    + widget("example.org/v1", "{\"size\":2}")
                    + ","
                    + widget("example.org/v1", "{\"size\":-1}")
                    + "]}")
            .path("response");
    assertThat(response.path("uid").asText()).isEqualTo("c-2");
    assertThat(response.path("result").path("status").asText()).isEqualTo("Failure");
    assertThat(response.path("result").path("message").asText())
        .isEqualTo("Widget w: spec.size \"-1\" is negative");
    assertThat(response.has("convertedObjects")).isFalse();
  }

  @Test
  void kindsAndGroupsWithoutAHandlerAreRefusedByName() throws Exception {
    JsonNode unknownKind =
        answer(
                "{\"uid\":\"c-3\",\"desiredAPIVersion\":\"example.org/v2\",\"objects\":["
                    + widget("example.org/v1", "{}").replace("Widget", "Gadget")
                    + "]}")
            .path("response");
    assertThat(unknownKind.path("result").path("message").asText())
        .isEqualTo("Gadget ns/w: no conversion is served for kind Gadget of example.org/v1");

    JsonNode otherGroup =
        answer(
                "{\"uid\":\"c-4\",\"desiredAPIVersion\":\"other.org/v2\",\"objects\":["
                    + widget("example.org/v1", "{}")
                    + "]}")
            .path("response");
    assertThat(otherGroup.path("result").path("status").asText()).isEqualTo("Failure");
    assertThat(otherGroup.path("result").path("message").asText())
        .contains("cannot convert from example.org/v1 to another group's other.org/v2");
  }

  @Test
  void aReviewWithoutDesiredVersionOrObjectsFails() throws Exception {
    assertThat(
            answer("{\"uid\":\"c-5\",\"objects\":[]}")
                .path("response")
                .path("result")
                .path("message")
                .asText())
        .contains("no desiredAPIVersion");
    assertThat(
            answer("{\"uid\":\"c-6\",\"desiredAPIVersion\":\"example.org/v2\"}")
                .path("response")
                .path("result")
                .path("message")
                .asText())
        .contains("no objects");
    JsonNode empty =
        answer("{\"uid\":\"c-7\",\"desiredAPIVersion\":\"example.org/v2\",\"objects\":[]}")
            .path("response");
    assertThat(empty.path("result").path("status").asText()).isEqualTo("Success");
    assertThat(empty.path("convertedObjects")).isEmpty();
  }

  @Test
  void theDefaultPathIsConvert() {
    assertThat(WIDGETS.path()).isEqualTo("/convert");
  }
}
