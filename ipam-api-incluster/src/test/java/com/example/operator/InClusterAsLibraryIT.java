package com.example.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.incluster.InClusterDialect;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-cluster dialect embedded in an operator of one's own, exactly as docs/library.md shows it:
 * a package outside org.ipam, so that only the public API a user has is in reach, and no
 * ipam-controller on the class path. Against the real kube-apiserver.
 */
@ExtendWith(ControlPlaneExtension.class)
class InClusterAsLibraryIT {
  private static final String NAMESPACE = "embedded-incluster";

  @Test
  void anOperatorOfOnesOwnServesAnIPAddressClaim(KubernetesClient client) {
    assertThatThrownBy(() -> Class.forName("org.ipam.controller.IpamController"))
        .as("the library needs no ipam-controller")
        .isInstanceOf(ClassNotFoundException.class);
    InClusterDialect.installCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();

    // docs/library.md, "Register the dialect": the team's operator, its own reconcilers beside.
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    InClusterDialect inCluster = InClusterDialect.register(operator, client);
    operator.start();

    try {
      client.resource(pool()).create();
      client.resource(claim()).create();
      IPAddressClaim served =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () ->
                      client
                          .resources(IPAddressClaim.class)
                          .inNamespace(NAMESPACE)
                          .withName("node-0")
                          .get(),
                  c -> c.getStatus() != null && c.getStatus().getAddressRef() != null);
      assertThat(served.getStatus().getAddressRef().getName()).isEqualTo("node-0");
      IPAddress address =
          client.resources(IPAddress.class).inNamespace(NAMESPACE).withName("node-0").get();
      assertThat(address.getSpec().getAddress()).isEqualTo("10.50.0.10");
      assertThat(address.getSpec().getPrefix()).isEqualTo(24);
      assertThat(address.getSpec().getGateway()).isEqualTo("10.50.0.1");
      assertThat(address.getSpec().getPoolRef().getKind()).isEqualTo("InClusterIPPool");
    } finally {
      operator.stop();
      inCluster.close();
    }
  }

  private static InClusterIPPool pool() {
    return Serialization.unmarshal(
        """
            apiVersion: ipam.cluster.x-k8s.io/v1alpha2
            kind: InClusterIPPool
            metadata:
              name: nodes
              namespace: embedded-incluster
            spec:
              addresses:
                - 10.50.0.10-10.50.0.20
              prefix: 24
              gateway: 10.50.0.1
            """,
        InClusterIPPool.class);
  }

  private static IPAddressClaim claim() {
    return Serialization.unmarshal(
        """
            apiVersion: ipam.cluster.x-k8s.io/v1beta2
            kind: IPAddressClaim
            metadata:
              name: node-0
              namespace: embedded-incluster
            spec:
              poolRef:
                apiGroup: ipam.cluster.x-k8s.io
                kind: InClusterIPPool
                name: nodes
            """,
        IPAddressClaim.class);
  }
}
