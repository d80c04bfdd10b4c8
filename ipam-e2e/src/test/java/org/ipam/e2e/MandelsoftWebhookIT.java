package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubipam webhooks as shipped: the CRDs of {@code config/crd/mandelsoft} applied with kubectl,
 * the two entries of {@code config/webhook/manifests.yaml} registered by URL at a controller
 * process ({@link LoopbackWebhooks}), and kubectl apply refused each bad range and request with a
 * client error (422) that names the object, the field and the value, while a good range beside them
 * serves its request. Upstream had no webhook at all: each of these was stored, most then answered
 * only in status, some never.
 *
 * <p>Bad inputs tried. Ranges: no entry, an octet of 300, a prefix of 33, a leading space, an empty
 * entry, an end before its start, three parts, two CIDRs joined by a dash, a range from IPv4 to
 * IPv6, the inet_aton short form {@code 10.1}, leading zeros, a zone, an IPv6 prefix of 129, IPv4
 * beside IPv6, mode {@code Sideways} and {@code roundrobin}, chunkSize -1, 33 (IPv4), 129 (IPv6)
 * and 8 on a /16. Requests: no range named, a range name in capitals, a namespace in capitals, size
 * -1 and 129, a request that is no address, a CIDR with host bits (IPv4 and IPv6), a prefix of 33,
 * an a-b range; and against their range (read live by the webhook): size 33 on IPv4, size 8 on a
 * /16, a CIDR outside the range, a /8 around it, an IPv6 block on an IPv4 range and an IPv4 address
 * on an IPv6 range. Updates: a range shrunk, its chunkSize and its mode changed; a served request's
 * size, request and range changed.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class MandelsoftWebhookIT {
  private static final String LABEL = "e2e.ipam.org/mandelsoft-webhooks";

  private Kubectl kubectl;
  private Path dir;
  private String namespace;
  private int refusals;

  @Test
  void refusesBadRangesAndRequestsNamingFieldAndValueWhileAGoodRangeServes(
      TargetCluster.Cluster cluster, @TempDir Path dir) {
    this.dir = dir;
    this.namespace = "e2e-ms-hooks-" + UUID.randomUUID().toString().substring(0, 8);
    kubectl = new Kubectl(cluster.kubeconfig());
    kubectl.run(
        "apply", "-k", E2eSettings.repositoryRoot().resolve("config/crd/mandelsoft").toString());
    LoopbackWebhooks.Serving serving = LoopbackWebhooks.prepare(dir.resolve("tls"));
    try (KubernetesClient client = cluster.newClient()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      LoopbackWebhooks.register(
          client,
          "ipam-e2e-mandelsoft-webhooks",
          serving,
          Set.of(MandelsoftApi.GROUP),
          LABEL,
          namespace);
    }
    List<String> flags = new ArrayList<>();
    flags.add("--kubeconfig=" + cluster.kubeconfig());
    flags.add("--adapters=mandelsoft");
    flags.add("--namespaces=" + namespace);
    flags.add("--no-leader-elect");
    flags.addAll(serving.flags());
    try (ControllerProcess controller = ControllerProcess.start("mandelsoft-webhooks", flags)) {
      controller.awaitReady(Duration.ofMinutes(3));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(apply(range("probe", "ranges: []")).output())
                      .contains("denied the request"));
      exercise();
    }
  }

  private void exercise() {
    SoftAssertions soft = new SoftAssertions();
    applied(soft, range("good", "chunkSize: 24\nranges: [10.70.0.0/16]"));
    applied(soft, range("good6", "chunkSize: 64\nranges: [\"2001:db8:70::/48\"]"));

    badRanges(soft);
    badRequests(soft);

    // The good range serves beside them.
    applied(soft, request("fine", "ipam: {name: good}\nsize: 24"));
    kubectl.awaitGet(
        "10.70.0.0/24",
        "ipamrequests.ipam.mandelsoft.org",
        "fine",
        "-n",
        namespace,
        "-o",
        "jsonpath={.status.cidr}");

    // Updates: a range's ranges only grow; chunkSize, mode and a request's spec stay.
    applied(soft, range("good", "chunkSize: 24\nranges: [10.70.0.0/16, 10.71.0.0/16]"));
    refused(
        soft,
        range("good", "chunkSize: 24\nranges: [10.70.0.0/17]"),
        "IPAMRange " + namespace + "/good",
        "spec.ranges \"10.70.0.0/17\" no longer covers");
    refused(
        soft,
        range("good", "chunkSize: 26\nranges: [10.70.0.0/16, 10.71.0.0/16]"),
        "spec.chunkSize \"26\" cannot be modified (was 24)");
    refused(
        soft,
        range("good", "chunkSize: 24\nmode: RoundRobin\nranges: [10.70.0.0/16, 10.71.0.0/16]"),
        "spec.mode \"RoundRobin\" cannot be modified");
    refused(
        soft,
        request("fine", "ipam: {name: good}\nsize: 26"),
        "IPAMRequest " + namespace + "/fine",
        "spec.size \"26\" cannot be modified (was 24)");
    refused(
        soft,
        request("fine", "ipam: {name: good}\nsize: 24\nrequest: 10.70.9.0/24"),
        "spec.request \"10.70.9.0/24\" cannot be modified (was unset)");
    refused(
        soft,
        request("fine", "ipam: {name: good6}\nsize: 24"),
        "spec.ipam \"good6\" cannot be modified (was good)");
    // Still served as it was.
    soft.assertThat(
            kubectl.run(
                "get",
                "ipamrequests.ipam.mandelsoft.org",
                "fine",
                "-n",
                namespace,
                "-o",
                "jsonpath={.status.state} {.status.cidr}"))
        .isEqualTo("Ready 10.70.0.0/24");

    System.out.printf("E2E mandelsoft webhooks: %d bad objects refused%n", refusals);
    soft.assertThat(refusals).isGreaterThanOrEqualTo(30);
    soft.assertAll();
  }

  private void badRanges(SoftAssertions soft) {
    refusedRange(soft, "r-empty", "ranges: []", "spec.ranges is empty");
    refusedRange(soft, "r-octet", "ranges: [10.0.0.300]", "spec.ranges[0] \"10.0.0.300\"");
    refusedRange(soft, "r-prefix33", "ranges: [10.0.0.0/33]", "spec.ranges[0] \"10.0.0.0/33\"");
    refusedRange(soft, "r-space", "ranges: [\" 10.0.0.0/24\"]", "spec.ranges[0] \" 10.0.0.0/24\"");
    refusedRange(soft, "r-blank", "ranges: [\"\"]", "spec.ranges[0] \"\"");
    refusedRange(
        soft, "r-backwards", "ranges: [10.0.0.9-10.0.0.5]", "spec.ranges[0] \"10.0.0.9-10.0.0.5\"");
    refusedRange(
        soft,
        "r-three",
        "ranges: [10.0.0.1-10.0.0.5-10.0.0.9]",
        "spec.ranges[0] \"10.0.0.1-10.0.0.5-10.0.0.9\"");
    refusedRange(
        soft,
        "r-cidrs",
        "ranges: [10.0.0.0/24-10.0.1.0/24]",
        "spec.ranges[0] \"10.0.0.0/24-10.0.1.0/24\"");
    refusedRange(
        soft,
        "r-families",
        "ranges: [\"10.0.0.1-2001:db8::1\"]",
        "spec.ranges[0] \"10.0.0.1-2001:db8::1\"");
    refusedRange(soft, "r-short", "ranges: [\"10.1\"]", "spec.ranges[0] \"10.1\"");
    refusedRange(soft, "r-zeros", "ranges: [010.0.0.1]", "spec.ranges[0] \"010.0.0.1\"");
    refusedRange(soft, "r-zone", "ranges: [\"fe80::1%eth0\"]", "spec.ranges[0] \"fe80::1%eth0\"");
    refusedRange(
        soft, "r-v6prefix", "ranges: [\"2001:db8::/129\"]", "spec.ranges[0] \"2001:db8::/129\"");
    refusedRange(
        soft,
        "r-mixed",
        "ranges: [10.0.0.0/24, \"2001:db8::/64\"]",
        "spec.ranges[1] \"2001:db8::/64\" is IPv6");
    refusedRange(soft, "r-mode", "mode: Sideways\nranges: [10.0.0.0/24]", "spec.mode \"Sideways\"");
    refusedRange(
        soft, "r-lowermode", "mode: roundrobin\nranges: [10.0.0.0/24]", "spec.mode \"roundrobin\"");
    refusedRange(
        soft,
        "r-negchunk",
        "chunkSize: -1\nranges: [10.0.0.0/24]",
        "spec.chunkSize \"-1\" is negative");
    refusedRange(
        soft,
        "r-chunk33",
        "chunkSize: 33\nranges: [10.0.0.0/24]",
        "spec.chunkSize \"33\" is too large");
    refusedRange(
        soft,
        "r-chunk129",
        "chunkSize: 129\nranges: [\"2001:db8::/48\"]",
        "spec.chunkSize \"129\" is too large");
    refusedRange(
        soft,
        "r-chunkwide",
        "chunkSize: 8\nranges: [10.0.0.0/16]",
        "spec.chunkSize \"8\" is shorter than the widest block");
  }

  private void badRequests(SoftAssertions soft) {
    refusedRequest(soft, "q-noname", "ipam: {name: \"\"}", "spec.ipam.name \"\" is empty");
    refusedRequest(soft, "q-capital", "ipam: {name: Good}", "spec.ipam.name \"Good\"");
    refusedRequest(
        soft,
        "q-nscapital",
        "ipam: {name: good, namespace: Default}",
        "spec.ipam.namespace \"Default\"");
    refusedRequest(
        soft,
        "q-negsize",
        "ipam: {name: good}\nsize: -1",
        "spec.size \"-1\" is not a prefix length");
    refusedRequest(soft, "q-size129", "ipam: {name: good}\nsize: 129", "spec.size \"129\"");
    refusedRequest(soft, "q-word", "ipam: {name: good}\nrequest: foo", "spec.request \"foo\"");
    refusedRequest(
        soft,
        "q-hostbits",
        "ipam: {name: good}\nrequest: 10.70.1.5/24",
        "spec.request \"10.70.1.5/24\" has host bits set: the block is 10.70.1.0/24");
    refusedRequest(
        soft,
        "q-v6host",
        "ipam: {name: good6}\nrequest: \"2001:db8:70::1/64\"",
        "spec.request \"2001:db8:70::1/64\" has host bits set");
    refusedRequest(
        soft,
        "q-req33",
        "ipam: {name: good}\nrequest: 10.70.1.0/33",
        "spec.request \"10.70.1.0/33\"");
    refusedRequest(
        soft,
        "q-dash",
        "ipam: {name: good}\nrequest: 10.70.1.1-10.70.1.9",
        "spec.request \"10.70.1.1-10.70.1.9\"");
    // What needs the range, read live by the webhook.
    refusedRequest(
        soft,
        "q-size33",
        "ipam: {name: good}\nsize: 33",
        "spec.size \"33\" is larger than the width of IPAMRange " + namespace + "/good");
    refusedRequest(
        soft,
        "q-size8",
        "ipam: {name: good}\nsize: 8",
        "spec.size \"8\" is wider than any block of IPAMRange " + namespace + "/good");
    refusedRequest(
        soft,
        "q-outside",
        "ipam: {name: good}\nrequest: 10.9.0.0/24",
        "spec.request \"10.9.0.0/24\" is not inside IPAMRange " + namespace + "/good");
    refusedRequest(
        soft,
        "q-wider",
        "ipam: {name: good}\nrequest: 10.0.0.0/8",
        "spec.request \"10.0.0.0/8\" is not inside");
    refusedRequest(
        soft,
        "q-v6onv4",
        "ipam: {name: good}\nrequest: \"2001:db8::/64\"",
        "spec.request \"2001:db8::/64\" is IPv6");
    refusedRequest(
        soft,
        "q-v4onv6",
        "ipam: {name: good6}\nrequest: 10.70.0.1",
        "spec.request \"10.70.0.1\" is IPv4");
  }

  private String range(String name, String spec) {
    return object(MandelsoftApi.RANGE_KIND, name, spec);
  }

  private String request(String name, String spec) {
    return object(MandelsoftApi.REQUEST_KIND, name, spec);
  }

  private String object(String kind, String name, String spec) {
    return "apiVersion: ipam.mandelsoft.org/v1alpha1\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + namespace
        + "\n  labels:\n    "
        + LABEL
        + ": "
        + namespace
        + "\nspec:\n"
        + spec.indent(2);
  }

  private Kubectl.Result apply(String yaml) {
    Path file = dir.resolve("object-" + System.nanoTime() + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kubectl.attempt("apply", "-f", file.toString());
  }

  private void refusedRange(SoftAssertions soft, String name, String spec, String fragment) {
    refused(soft, range(name, spec), "IPAMRange " + namespace + "/" + name + ": ", fragment);
  }

  private void refusedRequest(SoftAssertions soft, String name, String spec, String fragment) {
    refused(soft, request(name, spec), "IPAMRequest " + namespace + "/" + name + ": ", fragment);
  }

  /**
   * Refused by our webhook with a client error naming these fragments: 422 Invalid, which kubectl
   * prints as "The request is invalid" (never a 500, "Internal error").
   */
  private void refused(SoftAssertions soft, String yaml, String... fragments) {
    refusals++;
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("refused:\n%s", yaml).isNotZero();
    soft.assertThat(result.output())
        .as("message for:\n%s", yaml)
        .contains("The request is invalid")
        .contains("denied the request")
        .doesNotContain("Internal error")
        .contains(fragments);
  }

  private void applied(SoftAssertions soft, String yaml) {
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
  }
}
