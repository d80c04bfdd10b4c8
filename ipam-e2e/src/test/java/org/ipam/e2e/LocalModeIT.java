package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code java -jar ipam-controller.jar --local}: it starts its own
 * control plane, becomes ready, serves kubectl through the kubeconfig it writes, and leaves no
 * process behind when interrupted.
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
                    .containsPattern(
                        "ipam_pool_addresses\\{[^}]*pool=\"pool1\"[^}]*state=\"used\"[^}]*} 1\\.0"));

    List<ProcessHandle> controlPlane = controller.handle().descendants().toList();
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

  private static void write(Path file, String text) {
    try {
      java.nio.file.Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
