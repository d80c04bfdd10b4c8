package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipam.core.engine.Crds;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.metal3.adapter.Metal3DialectModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One unhealthy informer does not take the pod out of the webhook Service: with an IPAddressClaim
 * CRD that serves v1beta1 only (Cluster API before v1.11), the controller's IPAddressClaim informer
 * cannot list, {@code /readyz} (the readiness probe) stays 200 and {@code /readyz/controllers} says
 * which informer is unhealthy. A control plane of its own: the CRD is cluster-wide.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class ReadinessIT {

  @Test
  void anUnhealthyInformerLeavesReadyzServingAndIsNamedOnReadyzControllers(@TempDir Path dir)
      throws IOException {
    try (LocalControlPlane plane = new LocalControlPlane().start();
        KubernetesClient client = plane.newClient()) {
      Crds.install(
          client,
          Metal3DialectModule.class.getClassLoader(),
          List.of(
              "META-INF/fabric8/ippools.ipam.metal3.io-v1.yml",
              "META-INF/fabric8/ipclaims.ipam.metal3.io-v1.yml",
              "META-INF/fabric8/ipaddresses.ipam.metal3.io-v1.yml",
              "META-INF/fabric8/ipaddresses.ipam.cluster.x-k8s.io-v1.yml"));
      client.resource(claimCrdOfV1beta1Only(client)).create();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, plane.kubeconfig());

      ControllerProcess controller =
          ControllerProcess.start(
              "readiness",
              List.of("--kubeconfig=" + kubeconfig, "--adapters=metal3", "--no-leader-elect"));
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(controller.isAlive()).as("controller runs").isTrue();
                assertThat(controller.health("/readyz").statusCode()).isEqualTo(200);
              });
      assertThat(controller.health("/readyz").body()).contains("metal3");
      assertThat(controller.health("/readyz/controllers").statusCode())
          .as("informers still starting")
          .isEqualTo(503);
      // The operator gives up waiting for the informer after JOSDK's cache sync timeout (2 min).
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                assertThat(controller.isAlive()).as("controller runs").isTrue();
                assertThat(controller.health("/readyz/controllers").body())
                    .contains("unhealthy informers");
              });
      ControllerProcess.Answer controllers = controller.health("/readyz/controllers");
      System.out.println("ReadinessIT /readyz/controllers: " + controllers);
      assertThat(controllers.statusCode()).isEqualTo(503);
      ControllerProcess.Answer serving = controller.health("/readyz");
      System.out.println("ReadinessIT /readyz: " + serving);
      assertThat(serving.statusCode()).as("/readyz, the readiness probe").isEqualTo(200);
    }
  }

  /** The generated IPAddressClaim CRD with its one version renamed v1beta1. */
  private static CustomResourceDefinition claimCrdOfV1beta1Only(KubernetesClient client) {
    try (InputStream yaml =
        Metal3DialectModule.class
            .getClassLoader()
            .getResourceAsStream("META-INF/fabric8/ipaddressclaims.ipam.cluster.x-k8s.io-v1.yml")) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      assertThat(crd.getSpec().getVersions()).hasSize(1);
      crd.getSpec().getVersions().get(0).setName("v1beta1");
      return crd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
