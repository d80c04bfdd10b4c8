package org.ipam.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionReviewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Refuses a ConfigMap whose data.address is "bad"; on update, also a changed address. */
  private static final AdmissionValidator<ConfigMap> VALIDATOR =
      new AdmissionValidator<>() {
        @Override
        public Class<ConfigMap> type() {
          return ConfigMap.class;
        }

        @Override
        public Target target() {
          return new Target("", "v1", "configmaps", "ConfigMap");
        }

        @Override
        public List<String> validate(ConfigMap object, ConfigMap old) {
          String address = object.getData() == null ? null : object.getData().get("address");
          if ("bad".equals(address)) {
            return List.of("data.address \"bad\" is not an address", "and a second problem");
          }
          if (old != null && !old.getData().get("address").equals(address)) {
            return List.of("data.address \"" + address + "\" cannot be modified");
          }
          return List.of();
        }

        @Override
        public Verdict review(ConfigMap object, ConfigMap old) {
          String address = object.getData() == null ? null : object.getData().get("address");
          return new Verdict(
              validate(object, old),
              "0.0.0.0".equals(address)
                  ? List.of("data.address \"0.0.0.0\" is admitted but serves nothing")
                  : List.of());
        }
      };

  /** Refuses deleting a ConfigMap whose data.inUse is "true". */
  private static final AdmissionValidator<ConfigMap> DELETE_VALIDATOR =
      new AdmissionValidator<>() {
        @Override
        public Class<ConfigMap> type() {
          return ConfigMap.class;
        }

        @Override
        public Target target() {
          return new Target("", "v1", "configmaps", "ConfigMap");
        }

        @Override
        public List<String> validate(ConfigMap object, ConfigMap old) {
          return List.of();
        }

        @Override
        public List<String> validateDelete(ConfigMap old) {
          return "true".equals(old.getData().get("inUse"))
              ? List.of("ConfigMap " + old.getMetadata().getName() + " is in use")
              : List.of();
        }

        @Override
        public List<String> operations() {
          return List.of("CREATE", "UPDATE", "DELETE");
        }
      };

  private static JsonNode answer(String request) throws Exception {
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
            + request
            + "}";
    byte[] body = AdmissionReviews.answer(VALIDATOR, review.getBytes(StandardCharsets.UTF_8));
    return JSON.readTree(body);
  }

  private static String object(String address) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
        + "\"data\":{\"address\":\""
        + address
        + "\"}}";
  }

  @Test
  void admitsAValidObjectAndEchoesTheUid() throws Exception {
    JsonNode answer = answer("{\"uid\":\"u-1\",\"object\":" + object("10.0.0.1") + "}");
    assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(answer.path("response").path("uid").asText()).isEqualTo("u-1");
    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void refusesWith422AndEveryProblem() throws Exception {
    JsonNode response =
        answer("{\"uid\":\"u-2\",\"object\":" + object("bad") + "}").path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(422);
    assertThat(response.path("status").path("reason").asText()).isEqualTo("Invalid");
    assertThat(response.path("status").path("message").asText())
        .isEqualTo("data.address \"bad\" is not an address; and a second problem");
  }

  @Test
  void passesTheOldObjectOnUpdate() throws Exception {
    JsonNode response =
        answer(
                "{\"uid\":\"u-3\",\"operation\":\"UPDATE\",\"object\":"
                    + object("10.0.0.2")
                    + ",\"oldObject\":"
                    + object("10.0.0.1")
                    + "}")
            .path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText()).contains("cannot be modified");
  }

  @Test
  void refusesAReviewWithoutAnObjectOrWithAnUnreadableOne() throws Exception {
    JsonNode missing = answer("{\"uid\":\"u-4\"}").path("response");
    assertThat(missing.path("allowed").asBoolean()).isFalse();
    assertThat(missing.path("status").path("code").asInt()).isEqualTo(400);
    assertThat(missing.path("status").path("message").asText()).contains("no object");

    JsonNode unreadable =
        answer("{\"uid\":\"u-5\",\"object\":{\"metadata\":\"not an object\"}}").path("response");
    assertThat(unreadable.path("allowed").asBoolean()).isFalse();
    assertThat(unreadable.path("status").path("code").asInt()).isEqualTo(400);
    assertThat(unreadable.path("status").path("message").asText())
        .contains("cannot read the object as ConfigMap");
  }

  @Test
  void pathFollowsTheKubebuilderConvention() {
    assertThat(VALIDATOR.path()).isEqualTo("/validate--v1-configmap");
  }

  @Test
  void admitsWithTheWarningsOfTheVerdict() throws Exception {
    JsonNode answer = answer("{\"uid\":\"u-9\",\"object\":" + object("0.0.0.0") + "}");
    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(answer.path("response").path("warnings").get(0).asText())
        .isEqualTo("data.address \"0.0.0.0\" is admitted but serves nothing");
    JsonNode plain = answer("{\"uid\":\"u-10\",\"object\":" + object("10.0.0.1") + "}");
    assertThat(plain.path("response").has("warnings")).isFalse();
  }

  private static JsonNode answerDelete(AdmissionValidator<ConfigMap> validator, String request)
      throws Exception {
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
            + request
            + "}";
    return JSON.readTree(
        AdmissionReviews.answer(validator, review.getBytes(StandardCharsets.UTF_8)));
  }

  private static String inUse(boolean inUse) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
        + "\"data\":{\"inUse\":\""
        + inUse
        + "\"}}";
  }

  @Test
  void judgesADeleteOnTheStoredObject() throws Exception {
    JsonNode refused =
        answerDelete(
                DELETE_VALIDATOR,
                "{\"uid\":\"d-1\",\"operation\":\"DELETE\",\"object\":null,\"oldObject\":"
                    + inUse(true)
                    + "}")
            .path("response");
    assertThat(refused.path("uid").asText()).isEqualTo("d-1");
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("code").asInt()).isEqualTo(422);
    assertThat(refused.path("status").path("message").asText()).isEqualTo("ConfigMap a is in use");

    JsonNode admitted =
        answerDelete(
                DELETE_VALIDATOR,
                "{\"uid\":\"d-2\",\"operation\":\"DELETE\",\"oldObject\":" + inUse(false) + "}")
            .path("response");
    assertThat(admitted.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void aValidatorThatDoesNotJudgeDeletesAdmitsThem() throws Exception {
    assertThat(VALIDATOR.operations()).containsExactly("CREATE", "UPDATE");
    assertThat(VALIDATOR.validateDelete(null)).isEmpty();
    JsonNode admitted =
        answerDelete(
                VALIDATOR,
                "{\"uid\":\"d-3\",\"operation\":\"DELETE\",\"oldObject\":" + object("bad") + "}")
            .path("response");
    assertThat(admitted.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void refusesADeleteReviewWithoutTheStoredObject() throws Exception {
    JsonNode refused =
        answerDelete(DELETE_VALIDATOR, "{\"uid\":\"d-4\",\"operation\":\"DELETE\"}")
            .path("response");
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("code").asInt()).isEqualTo(400);
    assertThat(refused.path("status").path("message").asText()).contains("no oldObject");
  }
}
