package org.ipam.incluster.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ipam.core.webhook.ConversionReviews;
import org.junit.jupiter.api.Test;

/** ConversionReviews of the IP pool CRDs, as the API server sends them to {@code /convert}. */
class IPPoolConversionHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final IPPoolConversionHandler HANDLER = new IPPoolConversionHandler();

  private static JsonNode review(String desired, String... objects) throws Exception {
    String body =
        "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":"
            + "{\"uid\":\"r1\",\"desiredAPIVersion\":\""
            + desired
            + "\",\"objects\":["
            + String.join(",", objects)
            + "]}}";
    return JSON.readTree(
            ConversionReviews.answer(List.of(HANDLER), body.getBytes(StandardCharsets.UTF_8)))
        .path("response");
  }

  private static String pool(String kind, String version, String namespace, String spec) {
    return "{\"apiVersion\":\"ipam.cluster.x-k8s.io/"
        + version
        + "\",\"kind\":\""
        + kind
        + "\",\"metadata\":{\"name\":\"p\","
        + (namespace == null ? "" : "\"namespace\":\"" + namespace + "\",")
        + "\"uid\":\"u-1\",\"resourceVersion\":\"7\",\"generation\":2,"
        + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"labels\":{\"l\":\"v\"},"
        + "\"finalizers\":[\"ipam.cluster.x-k8s.io/ProtectPool\"]},"
        + "\"spec\":"
        + spec
        + ",\"status\":{\"ipAddresses\":{\"total\":26,\"used\":1,\"free\":25,\"outOfRange\":0}}}";
  }

  @Test
  void convertsBothKindsUpAndDownKeepingMetadataAndStatus() throws Exception {
    JsonNode up =
        review(
            "ipam.cluster.x-k8s.io/v1alpha2",
            pool(
                "InClusterIPPool",
                "v1alpha1",
                "ns",
                "{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"10.0.0.1\"}"),
            pool(
                "GlobalInClusterIPPool",
                "v1alpha1",
                null,
                "{\"addresses\":[\"10.1.0.0/24\"],\"prefix\":24}"));
    assertThat(up.path("uid").asText()).isEqualTo("r1");
    assertThat(up.path("result").path("status").asText()).isEqualTo("Success");
    JsonNode first = up.path("convertedObjects").get(0);
    assertThat(first.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha2");
    assertThat(first.path("kind").asText()).isEqualTo("InClusterIPPool");
    assertThat(first.path("spec").toString())
        .isEqualTo(
            "{\"addresses\":[\"10.0.0.1-10.0.0.254\"],\"prefix\":24,\"gateway\":\"10.0.0.1\"}");
    JsonNode metadata = first.path("metadata");
    assertThat(metadata.path("uid").asText()).isEqualTo("u-1");
    assertThat(metadata.path("resourceVersion").asText()).isEqualTo("7");
    assertThat(metadata.path("generation").asInt()).isEqualTo(2);
    assertThat(metadata.path("creationTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(metadata.path("finalizers").get(0).asText())
        .isEqualTo("ipam.cluster.x-k8s.io/ProtectPool");
    assertThat(metadata.path("annotations").path("cluster.x-k8s.io/conversion-data").asText())
        .contains("\"subnet\":\"10.0.0.0/24\"");
    assertThat(first.path("status").path("ipAddresses").path("free").asLong()).isEqualTo(25);
    JsonNode second = up.path("convertedObjects").get(1);
    assertThat(second.path("kind").asText()).isEqualTo("GlobalInClusterIPPool");
    assertThat(second.path("metadata").has("namespace")).isFalse();
    assertThat(second.path("spec").path("addresses").get(0).asText()).isEqualTo("10.1.0.0/24");

    JsonNode down = review("ipam.cluster.x-k8s.io/v1alpha1", first.toString(), second.toString());
    JsonNode back = down.path("convertedObjects").get(0);
    assertThat(back.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha1");
    assertThat(back.path("spec").toString())
        .isEqualTo(
            "{\"subnet\":\"10.0.0.0/24\",\"start\":\"10.0.0.1\",\"end\":\"10.0.0.254\",\"prefix\":24,"
                + "\"gateway\":\"10.0.0.1\"}");
    assertThat(back.path("metadata").has("annotations")).isFalse();
    assertThat(back.path("metadata").path("labels").path("l").asText()).isEqualTo("v");
  }

  @Test
  void aV1alpha1PoolWithABadSubnetFailsTheReview() throws Exception {
    JsonNode response =
        review(
            "ipam.cluster.x-k8s.io/v1alpha2",
            pool("InClusterIPPool", "v1alpha1", "ns", "{\"subnet\":\"10.0.0.300/24\"}"));
    assertThat(response.path("result").path("status").asText()).isEqualTo("Failure");
    assertThat(response.path("result").path("message").asText())
        .startsWith("InClusterIPPool ns/p: spec.subnet \"10.0.0.300/24\" is not a CIDR");
  }

  @Test
  void anUnknownVersionOrAnUnreadableObjectFailsTheReview() throws Exception {
    assertThat(
            review("ipam.cluster.x-k8s.io/v1beta1", pool("InClusterIPPool", "v1alpha1", "ns", "{}"))
                .path("result")
                .path("message")
                .asText())
        .isEqualTo(
            "InClusterIPPool ns/p: cannot convert from ipam.cluster.x-k8s.io/v1alpha1 to"
                + " ipam.cluster.x-k8s.io/v1beta1 (the served versions are ipam.cluster.x-k8s.io/v1alpha1"
                + " and ipam.cluster.x-k8s.io/v1alpha2)");
    assertThat(
            review(
                    "ipam.cluster.x-k8s.io/v1alpha2",
                    pool("InClusterIPPool", "v1alpha1", "ns", "{\"prefix\":\"x\"}"))
                .path("result")
                .path("message")
                .asText())
        .startsWith("InClusterIPPool ns/p: cannot be read as ipam.cluster.x-k8s.io/v1alpha1");
  }

  @Test
  void convertsOnlyTheIpPoolKinds() {
    assertThat(HANDLER.group()).isEqualTo("ipam.cluster.x-k8s.io");
    assertThat(HANDLER.kinds())
        .containsExactlyInAnyOrder("InClusterIPPool", "GlobalInClusterIPPool");
    assertThat(HANDLER.path()).isEqualTo("/convert");
  }
}
