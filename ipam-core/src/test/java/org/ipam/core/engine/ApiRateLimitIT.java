package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.core.testing.LocalControlPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The write limit sits on the controller's client: every write passes it, no read does. */
@ExtendWith(ControlPlaneExtension.class)
class ApiRateLimitIT {

  @Test
  void writesPassTheLimitAndReadsDoNot(LocalControlPlane plane) {
    ApiRateLimit limit = ApiRateLimit.of(1000, 1000);
    try (KubernetesClient client =
        ControllerClient.build(Config.fromKubeconfig(plane.kubeconfig()), limit)) {
      client.configMaps().inNamespace("default").withName("absent").get();
      client.configMaps().inNamespace("default").list();
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("limited").endMetadata().build())
          .create();
      client.configMaps().inNamespace("default").withName("limited").delete();

      assertThat(limit.writes()).isEqualTo(2);
    }
  }
}
