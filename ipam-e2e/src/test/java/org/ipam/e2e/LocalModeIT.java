package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipam.core.testing.ListeningSockets;
import org.ipam.core.testing.ListeningSockets.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, {@code java -jar ipam-controller.jar --local}: it starts its own
 * control plane, listening on 127.0.0.1 only, becomes ready, serves kubectl through the kubeconfig
 * it writes, serves the Metal3 sample of {@code config/samples/metal3} applied unchanged (kubectl
 * shows each claim's address) and the in-cluster sample of {@code config/samples/incluster}, logs
 * no WARN and no logback status on the way, and leaves no process behind when interrupted.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class LocalModeIT {
  @Test
  void servesKubectlAndLeavesNoProcessBehind(@TempDir Path dir) {
    Path kubeconfig = dir.resolve("ipam-local.kubeconfig");
    long launched = System.nanoTime();
    ControllerProcess controller =
        ControllerProcess.start(
            "local-mode", List.of("--local", "--local-kubeconfig=" + kubeconfig));
    // Minutes only when the control plane's binaries must be built first.
    controller.awaitReady(Duration.ofMinutes(20));
    long readyMillis = (System.nanoTime() - launched) / 1_000_000;
    System.out.printf("E2E --local: /readyz 200 after %d ms%n", readyMillis);
    assertThat(controller.health("/healthz").statusCode()).isEqualTo(200);
    assertThat(controller.health("/readyz").body()).contains("metal3");
    assertThat(controller.log()).contains("kubectl --kubeconfig " + kubeconfig.toAbsolutePath());

    // The seed pool of 001 preallocates 192.168.0.12 to claim1.
    Kubectl kubectl = new Kubectl(kubeconfig);
    kubectl.run("apply", "-f", Seeds.path("001-0-IPPool.yaml").toString());
    Path claim = dir.resolve("claim1.yaml");
    write(
        claim,
        """
        apiVersion: ipam.metal3.io/v1alpha1
        kind: IPClaim
        metadata:
          name: claim1
          namespace: default
        spec:
          pool:
            name: pool1
        """);
    kubectl.run("apply", "-f", claim.toString());
    kubectl.awaitGet(
        "test1-prov-192-168-0-12",
        "ipclaims.ipam.metal3.io",
        "claim1",
        "-n",
        "default",
        "-o",
        "jsonpath={.status.address.name}");
    assertThat(
            kubectl.run(
                "get",
                "m3ipa",
                "test1-prov-192-168-0-12",
                "-n",
                "default",
                "-o",
                "jsonpath={.spec.address}"))
        .isEqualTo("192.168.0.12");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(controller.metrics().body())
                    .containsPattern("ipam_pool_used_addresses\\{[^}]*pool=\"pool1\"[^}]*} 1\\.0"));

    appliesTheMetal3SampleAndShowsTheAddresses(kubectl);
    appliesTheInClusterSampleAndServesItsClaims(kubectl);

    List<ProcessHandle> controlPlane = controller.handle().descendants().toList();
    List<Listener> listeners =
        ListeningSockets.of(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(controller.handle()), controlPlane.stream())
                .toList());
    System.out.println("E2E --local listening sockets: " + listeners);
    assertThat(listeners)
        .as("the controller, kube-apiserver and etcd listen")
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(
            listener ->
                assertThat(listener.address().getHostAddress())
                    .as("address of %s", listener)
                    .isEqualTo("127.0.0.1"));
    assertThat(controller.log().lines().filter(line -> line.contains(" WARN ")).toList())
        .as("WARN lines of a new pool's first reconciles")
        .isEmpty();
    assertThat(controller.log()).as("logback's own status").doesNotContain("ch.qos.logback");
    assertThat(controlPlane)
        .as("kube-apiserver and etcd run as children of the controller")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(controller.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(controlPlane).noneMatch(ProcessHandle::isAlive));
    assertThat(kubectl.attempt("get", "namespaces", "--request-timeout=5s").exitCode())
        .as("the local kube-apiserver is gone")
        .isNotZero();
  }

  /**
   * README's second and third commands: apply the sample directory as it is, then see the addresses
   * in kubectl's table (the API server's Table rendering of the CRDs' printer columns).
   */
  /** The in-cluster sample applied as it is: an address and a child prefix, each on its claim. */
  private static void appliesTheInClusterSampleAndServesItsClaims(Kubectl kubectl) {
    String applied =
        kubectl.run(
            "apply",
            "-f",
            E2eSettings.repositoryRoot().resolve("config/samples/incluster").toString());
    assertThat(applied).as("no admission warning").doesNotContain("Warning");
    for (String[] expected :
        new String[][] {
          {"sample-incluster-claim", "10.0.0.10/24"}, {"sample-prefix-claim", "fd00:0:0:101::/64"}
        }) {
      kubectl.awaitGet(
          "True",
          "ipaddressclaims.ipam.cluster.x-k8s.io",
          expected[0],
          "-n",
          "default",
          "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
      assertThat(
              kubectl.run(
                  "get",
                  "ipaddresses.ipam.cluster.x-k8s.io",
                  expected[0],
                  "-n",
                  "default",
                  "-o",
                  "jsonpath={.spec.address}/{.spec.prefix}"))
          .isEqualTo(expected[1]);
    }
  }

  private static void appliesTheMetal3SampleAndShowsTheAddresses(Kubectl kubectl) {
    String applied =
        kubectl.run(
            "apply",
            "-f",
            E2eSettings.repositoryRoot().resolve("config/samples/metal3").toString());
    assertThat(applied).as("no admission warning").doesNotContain("Warning");
    kubectl.awaitGet(
        "sample-192-168-10-20",
        "ipclaims.ipam.metal3.io",
        "sample-claim",
        "-n",
        "default",
        "-o",
        "jsonpath={.status.address.name}");
    kubectl.awaitGet(
        "True",
        "ipaddressclaims.ipam.cluster.x-k8s.io",
        "sample-capi-claim",
        "-n",
        "default",
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    String capiAddress =
        kubectl.run(
            "get",
            "ipaddressclaims.ipam.cluster.x-k8s.io",
            "sample-capi-claim",
            "-n",
            "default",
            "-o",
            "jsonpath={.status.addressRef.name}");
    assertThat(
            kubectl.run(
                "get",
                "ipaddresses.ipam.cluster.x-k8s.io",
                capiAddress,
                "-n",
                "default",
                "-o",
                "jsonpath={.spec.address}"))
        .isEqualTo("192.168.10.10");

    String claims = kubectl.run("get", "ipclaims.ipam.metal3.io", "-n", "default");
    System.out.println("E2E kubectl get ipclaims:\n" + claims);
    assertThat(claims.lines().findFirst().orElse("")).contains("POOL", "IPADDRESS", "ERROR");
    assertThat(row(claims, "sample-claim")).contains("sample-pool", "sample-192-168-10-20");
    String capiClaims = kubectl.run("get", "ipac", "-n", "default");
    System.out.println("E2E kubectl get ipac:\n" + capiClaims);
    assertThat(row(capiClaims, "sample-capi-claim"))
        .contains("sample-pool", "IPPool", "True", capiAddress);
    String everything = kubectl.run("get", "ipam", "-n", "default");
    System.out.println("E2E kubectl get ipam:\n" + everything);
    assertThat(everything)
        .contains(
            "ippool.ipam.metal3.io/sample-pool",
            "ipclaim.ipam.metal3.io/sample-claim",
            "ipaddress.ipam.metal3.io/sample-192-168-10-20",
            "ipaddressclaim.ipam.cluster.x-k8s.io/sample-capi-claim",
            "ipaddress.ipam.cluster.x-k8s.io/" + capiAddress);
    assertThat(row(everything, "ipaddress.ipam.metal3.io/sample-192-168-10-20"))
        .contains("192.168.10.20", "24", "sample-pool", "sample-claim");
    assertThat(row(everything, "ipaddress.ipam.cluster.x-k8s.io/" + capiAddress))
        .contains("192.168.10.10", "sample-capi-claim");
    assertThat(row(everything, "ippool.ipam.metal3.io/sample-pool")).contains("True");
  }

  /** The cells of the table row whose first cell is {@code name}. */
  private static List<String> row(String table, String name) {
    return table
        .lines()
        .map(line -> List.of(line.trim().split("\\s+")))
        .filter(cells -> cells.get(0).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table));
  }

  private static void write(Path file, String text) {
    try {
      java.nio.file.Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
