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
 * the field and the value (upstream answers 500 "Internal error"). Bad input the schema stops first
 * is refused by the API server, naming the same; a Service (no webhook, by design) or a
 * LoadBalancer whose spec is valid but cannot be served is answered on its condition.
 *
 * <p>The 40 bad inputs tried:
 *
 * <ol>
 *   <li>pools, their own spec: no range; a subnet {@code /33}; rangeStart outside the subnet; the
 *       broadcast address as gateway; ranges of two families; two ranges that overlap; a scope that
 *       is a string; a subnet {@code abc}; a range without subnet (schema); rangeEnd outside the
 *       subnet; the network address as rangeStart; the broadcast address as rangeEnd; a gateway
 *       that is no address; an IPv6 rangeStart in an IPv4 subnet; a scope entry that is a string;
 *       two scope entries that overlap; a negative priority (schema);
 *   <li>pools against other pools: ranges overlapping a pool of the same group; of the other group;
 *       a non-zero priority taken; a scope served by another pool at priority 0; a second global
 *       pool; an update whose ranges drop an address in use; the delete of a pool in use;
 *   <li>LoadBalancers: {@code spec.ipam} from pool to dhcp; {@code spec.workloadType} from vm to
 *       cluster; {@code spec.ipam: static} (schema); {@code spec.workloadType: container} (schema);
 *       {@code spec.ipPool} naming no pool; naming a full pool;
 *   <li>Services of our class: {@code spec.loadBalancerIP} that is no address; the address
 *       annotation that is no address; the two asking for different addresses; an address outside
 *       the pool; an address another Service holds; an IPv6 address from an IPv4 pool; the pool's
 *       gateway; the network address of its subnet; {@code ipam.org/ip-pool} naming no pool; naming
 *       a full pool.
 * </ol>
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

    moreBadInput(soft);

    System.out.printf(
        "E2E Harvester webhooks: %d bad objects refused or answered on their condition%n",
        refusals);
    soft.assertThat(refusals).as("bad inputs tried").isEqualTo(40);
    soft.assertAll();
  }

  /** Pools the schema or the webhook refuse, LoadBalancers and Services told on a condition. */
  private void moreBadInput(SoftAssertions soft) {
    refused(
        soft, pool("a8", "ranges:\n- subnet: abc"), "IPPool a8", "spec.ranges[0].subnet", "abc");
    rejected(soft, pool("a9", "ranges:\n- rangeStart: 10.5.0.2"), "a9", "spec.ranges[0].subnet");
    refused(
        soft,
        pool("a10", "ranges:\n- subnet: 10.5.0.0/24\n  rangeEnd: 10.5.1.9"),
        "spec.ranges[0].rangeEnd",
        "10.5.1.9");
    refused(
        soft,
        pool("a11", "ranges:\n- subnet: 10.5.0.0/24\n  rangeStart: 10.5.0.0"),
        "spec.ranges[0].rangeStart",
        "10.5.0.0",
        "network address");
    refused(
        soft,
        pool("a12", "ranges:\n- subnet: 10.5.0.0/24\n  rangeEnd: 10.5.0.255"),
        "spec.ranges[0].rangeEnd",
        "10.5.0.255",
        "broadcast");
    refused(
        soft,
        pool("a13", "ranges:\n- subnet: 10.5.0.0/24\n  gateway: 10.5.0.x"),
        "spec.ranges[0].gateway",
        "10.5.0.x");
    refused(
        soft,
        pool("a14", "ranges:\n- subnet: 10.5.0.0/24\n  rangeStart: \"fd00::1\""),
        "spec.ranges[0].rangeStart",
        "fd00::1");
    refused(
        soft,
        pool("a15", "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  scope:\n  - default"),
        "spec.selector.scope[0]",
        "default");
    refused(
        soft,
        pool(
            "a16",
            "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  scope:\n  - namespace: d\n  - namespace: d"),
        "spec.selector.scope[1]",
        "overlaps spec.selector.scope[0]");
    rejected(
        soft,
        pool("a17", "ranges:\n- subnet: 10.5.0.0/24\nselector:\n  priority: -1"),
        "a17",
        "spec.selector.priority",
        "-1");

    applied(
        soft,
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\nmetadata:\n  name: vm\n  namespace: default\nspec:\n  ipam: pool\n  workloadType: vm\n");
    refused(
        soft,
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\nmetadata:\n  name: vm\n  namespace: default\nspec:\n  ipam: pool\n  workloadType: cluster\n",
        "LoadBalancer default/vm: spec.workloadType",
        "cluster");
    rejected(soft, loadBalancer("static", "ipam: static"), "static", "spec.ipam", "static");
    rejected(
        soft,
        loadBalancer("container", "ipam: pool\n  workloadType: container"),
        "container",
        "spec.workloadType",
        "container");
    answered(
        soft,
        loadBalancer("nowhere", "ipam: pool\n  ipPool: nowhere"),
        LB_MESSAGE,
        "IPPool nowhere (spec.ipPool) does not exist");
    applied(
        soft,
        pool("full", "ranges:\n- subnet: 10.3.0.7/32\nselector:\n  scope:\n  - namespace: full"));
    applied(soft, loadBalancer("filler", "ipam: pool\n  ipPool: full"));
    kubectl.awaitGet(
        "10.3.0.7",
        "loadbalancers.loadbalancer.harvesterhci.io",
        "filler",
        "-n",
        "default",
        "-o",
        "jsonpath={.status.allocatedAddress.ip}");
    answered(
        soft,
        loadBalancer("overflow", "ipam: pool\n  ipPool: full"),
        LB_MESSAGE,
        "IPPool full",
        "has no free address");

    kubectl.run("create", "namespace", "svc");
    applied(
        soft,
        pool(
            "svc-pool", "ranges:\n- subnet: 10.2.0.0/24\nselector:\n  scope:\n  - namespace: svc"));
    applied(soft, service("holder", "", ""));
    kubectl.awaitGet(
        "10.2.0.2",
        "service",
        "holder",
        "-n",
        "svc",
        "-o",
        "jsonpath={.status.loadBalancer.ingress[0].ip}");
    answered(
        soft,
        service("not-an-address", "  loadBalancerIP: 10.2.0.999\n", ""),
        SERVICE_MESSAGE,
        "Service svc/not-an-address",
        "spec.loadBalancerIP",
        "10.2.0.999");
    answered(
        soft,
        service("annotation", "", "    ipam.org/load-balancer-ip: abc\n"),
        SERVICE_MESSAGE,
        "Service svc/annotation",
        "annotation ipam.org/load-balancer-ip",
        "abc");
    answered(
        soft,
        service(
            "two", "  loadBalancerIP: 10.2.0.50\n", "    ipam.org/load-balancer-ip: 10.2.0.51\n"),
        SERVICE_MESSAGE,
        "Service svc/two",
        "10.2.0.50",
        "10.2.0.51");
    answered(
        soft,
        service("outside", "  loadBalancerIP: 10.99.0.5\n", ""),
        SERVICE_MESSAGE,
        "Service svc/outside",
        "10.99.0.5");
    answered(
        soft,
        service("taken", "  loadBalancerIP: 10.2.0.2\n", ""),
        SERVICE_MESSAGE,
        "Service svc/taken",
        "10.2.0.2");
    answered(
        soft,
        service("other-family", "  loadBalancerIP: fd00::5\n", ""),
        SERVICE_MESSAGE,
        "Service svc/other-family",
        "fd00::5");
    answered(
        soft,
        service("gateway", "  loadBalancerIP: 10.2.0.1\n", ""),
        SERVICE_MESSAGE,
        "Service svc/gateway",
        "10.2.0.1");
    answered(
        soft,
        service("network", "  loadBalancerIP: 10.2.0.0\n", ""),
        SERVICE_MESSAGE,
        "Service svc/network",
        "10.2.0.0");
    answered(
        soft,
        service("no-pool", "", "    ipam.org/ip-pool: nowhere\n"),
        SERVICE_MESSAGE,
        "IPPool nowhere (annotation ipam.org/ip-pool) does not exist");
    answered(
        soft,
        service("full-pool", "", "    ipam.org/ip-pool: full\n"),
        SERVICE_MESSAGE,
        "IPPool full",
        "has no free address");
  }

  private static final String LB_MESSAGE =
      "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}";
  private static final String SERVICE_MESSAGE =
      "jsonpath={.status.conditions[?(@.type==\"ipam.org/AddressAllocated\")].message}";

  private static String loadBalancer(String name, String spec) {
    return "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\nmetadata:\n  name: "
        + name
        + "\n  namespace: default\nspec:\n  "
        + spec
        + "\n";
  }

  /** A Service of our class in namespace svc, with these spec lines and annotation lines. */
  private static String service(String name, String specLines, String annotationLines) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: "
        + name
        + "\n  namespace: svc\n"
        + (annotationLines.isEmpty() ? "" : "  annotations:\n" + annotationLines)
        + "spec:\n  type: LoadBalancer\n  loadBalancerClass: ipam.org/harvester\n"
        + specLines
        + "  ports:\n  - port: 80\n";
  }

  /** Refused by the API server itself (the schema, before any webhook), naming these fragments. */
  private void rejected(SoftAssertions soft, String yaml, String... fragments) {
    refusals++;
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("rejected:\n%s", yaml).isNotZero();
    soft.assertThat(result.output())
        .as("message for:\n%s", yaml)
        .doesNotContain("Internal error")
        .contains(fragments);
  }

  /** Admitted, then answered on its condition (read by {@code jsonpath}) naming these fragments. */
  private void answered(SoftAssertions soft, String yaml, String jsonpath, String... fragments) {
    refusals++;
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
    String kind =
        yaml.contains("kind: Service") ? "service" : "loadbalancers.loadbalancer.harvesterhci.io";
    String name = yaml.replaceAll("(?s).*?\n  name: ([^\n]+)\n.*", "$1");
    String namespace = yaml.replaceAll("(?s).*?\n  namespace: ([^\n]+)\n.*", "$1");
    String message;
    try {
      message =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> kubectl.run("get", kind, name, "-n", namespace, "-o", jsonpath),
                  text -> !text.isBlank());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      message = "(no answer within 60 s)";
    }
    soft.assertThat(message).as("answer for:\n%s", yaml).contains(fragments);
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
