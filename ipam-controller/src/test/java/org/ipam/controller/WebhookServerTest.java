package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.ipam.incluster.conversion.IPPoolConversionHandler;
import org.ipam.incluster.webhook.InClusterValidators;
import org.ipam.incluster.webhook.InUseAddresses;
import org.ipam.mandelsoft.adapter.MandelsoftDialectModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook server as the API server reaches it, over HTTPS with the certificate it presents: a
 * ConversionReview at {@code /convert} answered by the dialect's conversion handler, an
 * AdmissionReview at a validator's path, and what is not a review refused with the reason.
 */
class WebhookServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TlsMaterial tls;
  private WebhookServer server;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    tls = TlsMaterial.selfSigned();
    server = WebhookServer.bind(InetAddress.getLoopbackAddress(), 0, tls);
    server.serve(
        InClusterValidators.all(InUseAddresses.none()),
        new MandelsoftDialectModule()
            .finalizerWebhooks(
                pool -> pool.name().equals("served"), org.ipam.core.engine.WatchFilter.NONE),
        "watched"::equals,
        List.of(new IPPoolConversionHandler()),
        java.util.Map.of(
            "/validate-ipam-metal3-io-v1alpha1-ipclaim",
            "metal3",
            "/validate-ipam-cluster-x-k8s-io-v1alpha2-inclusterippool",
            "incluster"));
    http = HttpClient.newBuilder().sslContext(trusting(tls.caBundle())).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void convertsAV1alpha1PoolToV1alpha2AtConvert() throws Exception {
    JsonNode answer =
        post(
            "/convert",
            """
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
             "request": {"uid": "u1", "desiredAPIVersion": "ipam.cluster.x-k8s.io/v1alpha2",
              "objects": [{"apiVersion": "ipam.cluster.x-k8s.io/v1alpha1", "kind": "InClusterIPPool",
                "metadata": {"name": "legacy", "namespace": "default"},
                "spec": {"subnet": "10.0.0.0/24", "gateway": "10.0.0.1"}}]}}
            """);
    JsonNode response = answer.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("u1");
    assertThat(response.path("result").path("status").asText()).isEqualTo("Success");
    JsonNode pool = response.path("convertedObjects").path(0);
    assertThat(pool.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha2");
    assertThat(pool.path("spec").path("addresses").toString())
        .isEqualTo("[\"10.0.0.1-10.0.0.254\"]");
    assertThat(pool.path("spec").path("prefix").asInt()).isEqualTo(24);
    assertThat(
            pool.path("metadata")
                .path("annotations")
                .path("cluster.x-k8s.io/conversion-data")
                .asText())
        .contains("\"subnet\":\"10.0.0.0/24\"");
  }

  @Test
  void aKindWithoutConversionFailsTheReviewNamingIt() throws Exception {
    JsonNode answer =
        post(
            "/convert",
            """
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
             "request": {"uid": "u2", "desiredAPIVersion": "ipam.cluster.x-k8s.io/v1alpha2",
              "objects": [{"apiVersion": "ipam.cluster.x-k8s.io/v1alpha1", "kind": "Other",
                "metadata": {"name": "x"}}]}}
            """);
    assertThat(answer.path("response").path("result").path("status").asText()).isEqualTo("Failure");
    assertThat(answer.path("response").path("result").path("message").asText())
        .isEqualTo(
            "Other x: no conversion is served for kind Other of ipam.cluster.x-k8s.io/v1alpha1");
  }

  @Test
  void validatesAtTheValidatorsPath() throws Exception {
    JsonNode answer =
        post(
            "/validate-ipam-cluster-x-k8s-io-v1alpha2-inclusterippool",
            """
            {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
             "request": {"uid": "u3", "operation": "CREATE",
              "object": {"apiVersion": "ipam.cluster.x-k8s.io/v1alpha2", "kind": "InClusterIPPool",
                "metadata": {"name": "p", "namespace": "default"},
                "spec": {"addresses": ["10.0.0.300"], "prefix": 24}}}}
            """);
    assertThat(answer.path("response").path("allowed").asBoolean()).isFalse();
    assertThat(answer.path("response").path("status").path("message").asText())
        .isEqualTo(
            "InClusterIPPool default/p: spec.addresses[0] \"10.0.0.300\" is not a valid IP, range,"
                + " nor CIDR");
  }

  @Test
  void addsTheFinalizerAtTheFinalizerWebhooksPathForServedRangesInWatchedNamespacesOnly()
      throws Exception {
    String review =
        """
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
         "request": {"uid": "u4", "operation": "CREATE", "namespace": "%s",
          "object": {"apiVersion": "ipam.mandelsoft.org/v1alpha1", "kind": "IPAMRequest",
            "metadata": {"name": "r"}, "spec": {"ipam": {"name": "%s"}, "size": 32}}}}
        """;
    String path = "/mutate-mandelsoft-ipam-mandelsoft-org-v1alpha1-ipamrequest";
    JsonNode served = post(path, review.formatted("watched", "served")).path("response");
    assertThat(served.path("allowed").asBoolean()).isTrue();
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(served.path("patch").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\","
                + "\"value\":[\"mandelsoft.org/ipam\"]}]");
    for (String[] unserved :
        new String[][] {{"other", "served"}, {"watched", "unknown"}, {"watched", ""}}) {
      JsonNode answer = post(path, review.formatted(unserved[0], unserved[1])).path("response");
      assertThat(answer.path("allowed").asBoolean()).isTrue();
      assertThat(answer.has("patch")).as(String.join(" ", unserved)).isFalse();
    }
  }

  /**
   * A dialect this process does not run whose webhooks the cluster registers all the same (the
   * shipped manifests register every dialect's): its reviews are admitted with a warning, not
   * failed (found by the reliability campaign with webhooks on: a controller of the Metal3 dialect
   * alone failed every Cluster API IPAddressClaim create with "could not find the requested
   * resource"). A path of a dialect it runs is never taken for one (here the in-cluster pool's,
   * which it serves), and any other path is not found.
   */
  @Test
  void aReviewForADialectNotRunHereIsAdmittedWithAWarning() throws Exception {
    JsonNode answer =
        post(
                "/validate-ipam-metal3-io-v1alpha1-ipclaim",
                """
            {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
             "request": {"uid": "u5", "operation": "CREATE", "object": {}}}
            """)
            .path("response");
    assertThat(answer.path("uid").asText()).isEqualTo("u5");
    assertThat(answer.path("allowed").asBoolean()).isTrue();
    assertThat(answer.path("warnings").get(0).asText())
        .contains("metal3 dialect is not run", "/validate-ipam-metal3-io-v1alpha1-ipclaim");
    assertThat(send("/validate-ipam-metal3-io-v1alpha1-ipclaims", "{}").statusCode())
        .isEqualTo(404);
    assertThat(send("/validate-anything", "{}").statusCode()).isEqualTo(404);
  }

  /** Before the webhooks are served, nothing is admitted unchecked. */
  @Test
  void beforeTheWebhooksAreServedAReviewIsNotAnswered() throws Exception {
    try (WebhookServer starting = WebhookServer.bind(InetAddress.getLoopbackAddress(), 0, tls)) {
      assertThat(send(starting, "/validate-ipam-metal3-io-v1alpha1-ipclaim", "{}").statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void whatIsNotJsonIsRefusedWith400() throws Exception {
    HttpResponse<String> response = send("/convert", "not json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(send("/nowhere", "{}").statusCode()).isEqualTo(404);
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> response = send(path, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(String path, String body) throws Exception {
    return send(server, path, body);
  }

  private HttpResponse<String> send(WebhookServer to, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + to.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(String pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "webhook",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8))));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
