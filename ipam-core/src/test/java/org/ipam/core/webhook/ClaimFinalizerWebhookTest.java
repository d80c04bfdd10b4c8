package org.ipam.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claim finalizer webhook: a CREATE of a claim whose pool this process serves, in a watched
 * namespace, without the finalizer gets a JSON Patch that adds it; everything else is admitted
 * unchanged, and nothing is ever refused. Bad input tried: an object that is not an object, an
 * UPDATE, a dry run, a claim of a pool not served, a claim naming no pool, a namespace not watched,
 * a claim that has the finalizer already, and a review that is not JSON.
 */
class ClaimFinalizerWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ClaimFinalizerWebhook WEBHOOK =
      new ClaimFinalizerWebhook(
          "metal3",
          new AdmissionValidator.Target("ipam.metal3.io", "v1alpha1", "ipclaims", "IPClaim"),
          "ipclaim.ipam.metal3.io",
          (namespace, claim) ->
              "served".equals(ClaimFinalizerWebhook.text(claim, "spec", "pool", "name")));

  @Test
  void nameAndPathSayDialectAndResource() {
    assertThat(WEBHOOK.name()).isEqualTo("finalize.metal3.ipclaims.ipam.metal3.io");
    assertThat(WEBHOOK.path()).isEqualTo("/mutate-metal3-ipam-metal3-io-v1alpha1-ipclaim");
  }

  @Test
  void aServedClaimWithoutFinalizersGetsTheList() throws Exception {
    JsonNode response = answer("CREATE", "ns", false, claim("served", null));

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("uid").asText()).isEqualTo("review-1");
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(patch(response))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\","
                + "\"value\":[\"ipclaim.ipam.metal3.io\"]}]");
  }

  @Test
  void aServedClaimWithOtherFinalizersGetsOursAppended() throws Exception {
    JsonNode response = answer("CREATE", "ns", false, claim("served", "[\"example.com/keep\"]"));

    assertThat(patch(response))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\","
                + "\"value\":\"ipclaim.ipam.metal3.io\"}]");
  }

  @Test
  void everythingElseIsAdmittedUnchanged() throws Exception {
    String served = claim("served", null);
    assertUnchanged(answer("UPDATE", "ns", false, served));
    assertUnchanged(answer("CREATE", "ns", true, served));
    assertUnchanged(answer("CREATE", "elsewhere", false, served));
    assertUnchanged(answer("CREATE", "ns", false, claim("other", null)));
    assertUnchanged(answer("CREATE", "ns", false, "{\"metadata\":{\"name\":\"c\"},\"spec\":{}}"));
    assertUnchanged(answer("CREATE", "ns", false, claim("served", "[\"ipclaim.ipam.metal3.io\"]")));
    assertUnchanged(answer("CREATE", "ns", false, "\"not an object\""));
  }

  @Test
  void aReviewThatIsNotJsonIsAnIoError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AdmissionReviews.answerFinalizer(
                    WEBHOOK, "ns"::equals, "not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void textAndLabelsReadWhatIsThereAndNothingElse() throws Exception {
    JsonNode object =
        JSON.readTree("{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"pool\":{\"name\":7}}}");
    assertThat(ClaimFinalizerWebhook.labels(object)).isEqualTo(Map.of("a", "b"));
    assertThat(ClaimFinalizerWebhook.labels(JSON.readTree("{}"))).isEmpty();
    assertThat(ClaimFinalizerWebhook.text(object, "spec", "pool", "name")).isEmpty();
    assertThat(ClaimFinalizerWebhook.text(object, "spec", "missing")).isEmpty();
  }

  private static void assertUnchanged(JsonNode response) {
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.has("patchType")).isFalse();
  }

  private static String claim(String pool, String finalizers) {
    return "{\"apiVersion\":\"ipam.metal3.io/v1alpha1\",\"kind\":\"IPClaim\","
        + "\"metadata\":{\"name\":\"c\""
        + (finalizers == null ? "" : ",\"finalizers\":" + finalizers)
        + "},\"spec\":{\"pool\":{\"name\":\""
        + pool
        + "\"}}}";
  }

  private static JsonNode answer(String operation, String namespace, boolean dryRun, String object)
      throws Exception {
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\"review-1\",\"operation\":\""
            + operation
            + "\",\"namespace\":\""
            + namespace
            + "\",\"dryRun\":"
            + dryRun
            + ",\"object\":"
            + object
            + "}}";
    byte[] answer =
        AdmissionReviews.answerFinalizer(
            WEBHOOK, "ns"::equals, review.getBytes(StandardCharsets.UTF_8));
    JsonNode parsed = JSON.readTree(answer);
    assertThat(parsed.path("kind").asText()).isEqualTo("AdmissionReview");
    return parsed.path("response");
  }

  private static String patch(JsonNode response) {
    return new String(Base64.getDecoder().decode(response.path("patch").asText()));
  }
}
