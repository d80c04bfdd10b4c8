package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Harvester webhooks as a user meets them: the controller in local mode serving the Harvester
 * dialect registers them, and kubectl is refused bad IPPools (their own spec, and against other
 * pools of both groups), an update that drops an address in use, the delete of a pool in use and a
 * LoadBalancer that switches from a pool to DHCP, each with a client error that names the object,
 * the field and the value (upstream answers 500 "Internal error").
 */
@ExtendWith(ControllerLogsOnFailure.class)
class HarvesterWebhookIT {
  private Kubectl kubectl;
  private Path dir;
  private int refusals;

  @Test
  void refusesBadPoolsAndLoadBalancersNamingFieldAndValue(@TempDir Path dir) {
    this.dir = dir;
    Path kubeconfig = dir.resolve("local.kubeconfig");
    ControllerProcess controller =
        ControllerProcess.start(
            "harvester-webhooks-local",
            List.of(
                "--local",
                "--local-kubeconfig=" + kubeconfig,
                "--adapters=harvester",
                "--webhook-port=" + ControllerProcess.freePort()));
    controller.awaitReady(Duration.ofMinutes(20));
    kubectl = new Kubectl(kubeconfig);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(apply(pool("probe", "ranges: []")).output())
                    .contains("denied the request"));

    SoftAssertions soft = new SoftAssertions();
    applied(
        soft,
        pool(
            "base", "ranges:\n- subnet: 10.0.0.0/24\nselector:\n  scope:\n  - namespace: default"));
    applied(
        soft,
        networking(
            "global",
            "ranges:\n- subnet: 10.9.0.0/24\nselector:\n  scope:\n    project: \"*\"\n    namespace: \"*\"\n    cluster: \"*\""));
    applied(
        soft,
        pool(
            "prio",
            "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  priority: 4\n  scope:\n  - namespace: x"));

    refused(soft, pool("a1", "ranges: []"), "IPPool a1", "spec.ranges is empty");
    refused(
        soft, pool("a2", "ranges:\n- subnet: 10.5.0.0/33"), "spec.ranges[0].subnet", "10.5.0.0/33");
    refused(
        soft,
        pool("a3", "ranges:\n- subnet: 10.5.0.0/24\n  rangeStart: 10.6.0.1"),
        "spec.ranges[0].rangeStart",
        "10.6.0.1",
        "is outside the subnet");
    refused(
        soft,
        pool("a4", "ranges:\n- subnet: 10.5.0.0/24\n  gateway: 10.5.0.255"),
        "spec.ranges[0].gateway",
        "10.5.0.255");
    refused(
        soft,
        pool("a5", "ranges:\n- subnet: 10.5.0.0/24\n- subnet: \"fd00::/64\""),
        "spec.ranges[1].subnet",
        "fd00::/64");
    refused(
        soft,
        pool("a6", "ranges:\n- subnet: 10.5.0.0/24\n- subnet: 10.5.0.0/25"),
        "spec.ranges[1]",
        "overlaps spec.ranges[0]");
    refused(
        soft,
        pool("a7", "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  scope: default"),
        "spec.selector.scope",
        "default");
    refused(soft, pool("b1", "ranges:\n- subnet: 10.0.0.0/16"), "IPPool b1", "of IPPool base");
    refused(
        soft,
        networking("b2", "ranges:\n- subnet: 10.9.0.128/25"),
        "IPPool b2 (networking.harvesterhci.io)",
        "of IPPool global (networking.harvesterhci.io)");
    refused(
        soft,
        pool("b3", "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  priority: 4"),
        "spec.selector.priority",
        "4",
        "IPPool prio");
    refused(
        soft,
        pool("b4", "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  scope:\n  - namespace: default"),
        "spec.selector.scope[0]",
        "IPPool base",
        "at priority 0");
    refused(
        soft,
        pool(
            "b5",
            "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}"),
        "global pool",
        "IPPool global");

    // In use: a LoadBalancer of default holds an address of base.
    applied(
        soft,
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\nmetadata:\n  name: lb\n  namespace: default\nspec:\n  ipam: pool\n");
    kubectl.awaitGet(
        "base",
        "loadbalancers.loadbalancer.harvesterhci.io",
        "lb",
        "-n",
        "default",
        "-o",
        "jsonpath={.status.allocatedAddress.ipPool}");
    String ip =
        kubectl.run(
            "get",
            "loadbalancers.loadbalancer.harvesterhci.io",
            "lb",
            "-n",
            "default",
            "-o",
            "jsonpath={.status.allocatedAddress.ip}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                kubectl
                    .run(
                        "get",
                        "ippools.loadbalancer.harvesterhci.io",
                        "base",
                        "-o",
                        "jsonpath={.status.allocated}")
                    .contains(ip));
    refused(
        soft,
        pool(
            "base",
            "ranges:\n- subnet: 10.0.0.0/24\n  rangeStart: 10.0.0.100\nselector:\n  scope:\n  - namespace: default"),
        "spec.ranges no longer hold",
        ip,
        "default/lb");
    refusals++;
    Kubectl.Result delete =
        kubectl.attempt("delete", "ippools.loadbalancer.harvesterhci.io", "base", "--wait=false");
    soft.assertThat(delete.exitCode()).as("delete of a pool in use").isNotZero();
    soft.assertThat(delete.output()).contains("cannot be deleted while it holds 1 address", ip);
    refused(
        soft,
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\nmetadata:\n  name: lb\n  namespace: default\nspec:\n  ipam: dhcp\n",
        "LoadBalancer default/lb: spec.ipam",
        "dhcp");

    System.out.printf("E2E Harvester webhooks: %d bad objects refused%n", refusals);
    soft.assertAll();
  }

  private static String pool(String name, String spec) {
    return "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n  name: "
        + name
        + "\nspec:\n"
        + spec.indent(2);
  }

  private static String networking(String name, String spec) {
    return pool(name, spec)
        .replace("loadbalancer.harvesterhci.io/v1beta1", "networking.harvesterhci.io/v1beta1");
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

  /** Refused with a client error (not upstream's "Internal error") naming these fragments. */
  private void refused(SoftAssertions soft, String yaml, String... fragments) {
    refusals++;
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("refused:\n%s", yaml).isNotZero();
    soft.assertThat(result.output())
        .as("message for:\n%s", yaml)
        .contains("denied the request")
        .doesNotContain("Internal error")
        .contains(fragments);
  }

  private void applied(SoftAssertions soft, String yaml) {
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
  }
}
