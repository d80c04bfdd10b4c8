package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.ipam.core.testing.ControlPlaneExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A status write lands on the incarnation it was decided for, never on a new object of the same
 * name: a late write of a claim deleted meanwhile would otherwise show the new claim an address
 * that is free in the pool (the uid in the patch is a precondition the API server checks).
 */
@ExtendWith(ControlPlaneExtension.class)
class ObjectWritesIT {

  @Test
  void aStatusWriteForADeletedObjectDoesNotLandOnItsSuccessor(KubernetesClient client) {
    Service first = client.resource(service("status-guard")).create();
    client.resource(first).withGracePeriod(0).delete();
    client
        .resource(first)
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
    Service second = client.resource(service("status-guard")).create();

    boolean written = ObjectWrites.patchStatus(client, first, ingress("10.9.9.9"));

    assertThat(written).as("the first incarnation is gone").isFalse();
    Service now = client.resource(second).get();
    assertThat(now.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid());
    assertThat(now.getStatus().getLoadBalancer().getIngress()).isEmpty();
    assertThat(ObjectWrites.patchStatus(client, second, ingress("10.9.9.8"))).isTrue();
    assertThat(
            client.resource(second).get().getStatus().getLoadBalancer().getIngress().get(0).getIp())
        .isEqualTo("10.9.9.8");
  }

  private static Map<String, Object> ingress(String ip) {
    return Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", ip))));
  }

  private static Service service(String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }
}
