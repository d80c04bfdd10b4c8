package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.ipam.core.testing.ControlPlaneExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local control plane's Services draw ClusterIPs from {@link LoopbackApiServer#SERVICE_CIDR}, a
 * /16, not kube-api-test's /24 of 254 addresses: a ClusterIP beyond the /24 is accepted, and the
 * {@code kubernetes} Service keeps the first address.
 */
@ExtendWith(ControlPlaneExtension.class)
class ServiceRangeIT {
  @Test
  void servicesGetClusterIpsFromTheWideRange(KubernetesClient client) {
    Service wide =
        client
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withNamespace("default")
                    .withName("service-range-probe")
                    .endMetadata()
                    .withNewSpec()
                    .withClusterIP("10.0.200.7")
                    .addNewPort()
                    .withPort(80)
                    .endPort()
                    .endSpec()
                    .build())
            .create();
    try {
      assertThat(wide.getSpec().getClusterIP()).isEqualTo("10.0.200.7");
      assertThat(client.services().inNamespace("default").withName("kubernetes").get())
          .extracting(s -> s.getSpec().getClusterIP())
          .isEqualTo("10.0.0.1");
    } finally {
      client.resource(wide).delete();
    }
  }
}
