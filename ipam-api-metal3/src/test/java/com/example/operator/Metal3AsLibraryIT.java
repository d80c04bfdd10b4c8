package com.example.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.metal3.Metal3Dialect;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Metal3 dialect embedded in an operator of one's own, exactly as docs/library.md shows it: a
 * package outside org.ipam, so that only the public API a user has is in reach, and no
 * ipam-controller on the class path. Against the real kube-apiserver.
 */
@ExtendWith(ControlPlaneExtension.class)
class Metal3AsLibraryIT {
  private static final String NAMESPACE = "embedded";

  @Test
  void anOperatorOfOnesOwnServesAMetal3Claim(KubernetesClient client) {
    assertThatThrownBy(() -> Class.forName("org.ipam.controller.IpamController"))
        .as("the library needs no ipam-controller")
        .isInstanceOf(ClassNotFoundException.class);
    Metal3Dialect.installCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();

    // docs/library.md, "Register the dialect": the team's operator, its own reconcilers beside.
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    Metal3Dialect metal3 = Metal3Dialect.register(operator, client);
    operator.start();

    try {
      client.resource(pool()).create();
      client.resource(claim()).create();
      IPClaim served =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () ->
                      client
                          .resources(IPClaim.class)
                          .inNamespace(NAMESPACE)
                          .withName("node-0")
                          .get(),
                  c -> c.getStatus() != null && c.getStatus().getAddress() != null);
      assertThat(served.getStatus().getAddress().getName()).isEqualTo("lib-10-30-0-10");
      IPAddress address =
          client.resources(IPAddress.class).inNamespace(NAMESPACE).withName("lib-10-30-0-10").get();
      assertThat(address.getSpec().getAddress()).isEqualTo("10.30.0.10");
      assertThat(address.getSpec().getPrefix()).isEqualTo(24);
      assertThat(address.getSpec().getGateway()).isEqualTo("10.30.0.1");
    } finally {
      operator.stop();
      metal3.close();
    }
  }

  private static IPPool pool() {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        """
            apiVersion: ipam.metal3.io/v1alpha1
            kind: IPPool
            metadata:
              name: nodes
              namespace: embedded
            spec:
              namePrefix: lib
              pools:
                - start: 10.30.0.10
                  end: 10.30.0.20
              prefix: 24
              gateway: 10.30.0.1
            """,
        IPPool.class);
  }

  private static IPClaim claim() {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        """
            apiVersion: ipam.metal3.io/v1alpha1
            kind: IPClaim
            metadata:
              name: node-0
              namespace: embedded
            spec:
              pool:
                name: nodes
            """,
        IPClaim.class);
  }
}
