package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipam.core.engine.Crds;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.incluster.adapter.InClusterDialectModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that still has upstream's InClusterIPPool CRD (no {@code status.allocations}) must not
 * be served: the API server would prune the ledger the in-cluster dialect commits to, and two
 * controllers could both hand out one address. The controller says which CRD and why in its log
 * (and on {@code /readyz/controllers} when another adapter keeps it running), and serves nothing of
 * the dialect. A control plane of its own: CRDs are cluster-wide.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class UpstreamPoolCrdIT {

  @Test
  void aPoolCrdWithoutTheLedgerKeepsTheDialectFromBeingServedAndSaysWhy(@TempDir Path dir)
      throws IOException {
    try (LocalControlPlane plane = new LocalControlPlane().start();
        KubernetesClient client = plane.newClient()) {
      InClusterDialectModule dialect = new InClusterDialectModule();
      Crds.install(client, InClusterDialectModule.class.getClassLoader(), dialect.crdResources());
      CustomResourceDefinition pools =
          client
              .resources(CustomResourceDefinition.class)
              .withName("inclusterippools.ipam.cluster.x-k8s.io")
              .get();
      for (var version : pools.getSpec().getVersions()) {
        JSONSchemaProps status =
            version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().remove("allocations")).isNotNull();
      }
      pools.getMetadata().setManagedFields(null);
      client.resource(pools).update();
      assertThat(
              Crds.declares(
                  client,
                  "inclusterippools.ipam.cluster.x-k8s.io",
                  "v1alpha2",
                  "status",
                  "allocations"))
          .isFalse();
      assertThat(
              Crds.declares(
                  client,
                  "globalinclusterippools.ipam.cluster.x-k8s.io",
                  "v1alpha2",
                  "status",
                  "allocations"))
          .isTrue();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, plane.kubeconfig());

      ControllerProcess controller =
          ControllerProcess.start(
              "upstream-crd",
              List.of("--kubeconfig=" + kubeconfig, "--adapters=incluster", "--no-leader-elect"));
      // The only adapter asked for cannot be served: the controller says why and stops.
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !controller.isAlive());
      assertThat(controller.log())
          .contains(
              "adapter incluster is not served: CRD inclusterippools.ipam.cluster.x-k8s.io does not"
                  + " declare status.allocations[].uid in a served v1alpha2")
          .contains("no adapter is served, stopping")
          .doesNotContain("globalinclusterippools.ipam.cluster.x-k8s.io does not declare")
          .doesNotContain("adapter incluster enabled")
          .doesNotContain("No Controller exists");
    }
  }
}
