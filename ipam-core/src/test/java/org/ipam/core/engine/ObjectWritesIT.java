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
 * that is free in the pool (the uid in the patch is a precondition the API server checks). A
 * delete, the same: it carries the uid, and a late one leaves the successor of the name alone.
 */
@ExtendWith(ControlPlaneExtension.class)
class ObjectWritesIT {

  @Test
  void aStatusWriteForADeletedObjectDoesNotLandOnItsSuccessor(KubernetesClient client) {
    Service[] incarnations = deletedAndRecreated(client, "status-guard");
    Service first = incarnations[0];
    Service second = incarnations[1];

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

  @Test
  void aDeleteOfAnEarlierIncarnationLeavesItsSuccessor(KubernetesClient client) {
    Service[] incarnations = deletedAndRecreated(client, "delete-guard");
    Service first = incarnations[0];
    Service second = incarnations[1];

    ObjectWrites.delete(client, first);

    Service now = client.resource(second).get();
    assertThat(now).as("the successor of the name").isNotNull();
    assertThat(now.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid());
    assertThat(now.getMetadata().getDeletionTimestamp()).isNull();
    ObjectWrites.delete(client, second);
    client
        .resource(second)
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
    ObjectWrites.delete(client, second);
  }

  /**
   * The finalizer goes by an update of the live object: the object keeps every other field, and a
   * removal meant for an earlier incarnation leaves its successor alone (reports it gone).
   */
  @Test
  void aFinalizerIsRemovedFromItsOwnIncarnationOnly(KubernetesClient client) {
    io.fabric8.kubernetes.api.model.ConfigMap first =
        client.resource(configMap("finalizer-guard", "ipam.org/test")).create();
    client.resource(first).delete();
    assertThat(ObjectWrites.removeFinalizer(client, first, "ipam.org/test")).isTrue();
    client
        .resource(first)
        .waitUntilCondition(c -> c == null, 30, java.util.concurrent.TimeUnit.SECONDS);
    io.fabric8.kubernetes.api.model.ConfigMap second =
        client.resource(configMap("finalizer-guard", "ipam.org/test", "keep.org/x")).create();

    assertThat(ObjectWrites.removeFinalizer(client, first, "ipam.org/test"))
        .as("the first incarnation is gone")
        .isFalse();
    io.fabric8.kubernetes.api.model.ConfigMap now = client.resource(second).get();
    assertThat(now.getMetadata().getFinalizers()).containsExactly("ipam.org/test", "keep.org/x");
    assertThat(ObjectWrites.removeFinalizer(client, second, "ipam.org/test")).isTrue();
    now = client.resource(second).get();
    assertThat(now.getMetadata().getFinalizers()).containsExactly("keep.org/x");
    assertThat(now.getData()).containsEntry("kept", "as stored");
    assertThat(now.getMetadata().getAnnotations()).containsEntry("kept", "too");
    now.getMetadata().setFinalizers(List.of());
    client.resource(now).update();
    client.resource(now).delete();
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap configMap(
      String name, String... finalizers) {
    return new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .withFinalizers(finalizers)
        .addToAnnotations("kept", "too")
        .endMetadata()
        .addToData("kept", "as stored")
        .build();
  }

  @Test
  void resourcePathsOfCoreAndGroupKinds() {
    assertThat(ObjectWrites.resourcePath(service("a")))
        .isEqualTo("/api/v1/namespaces/default/services/a");
    io.fabric8.kubernetes.api.model.Namespace namespace =
        new io.fabric8.kubernetes.api.model.NamespaceBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .build();
    assertThat(ObjectWrites.resourcePath(namespace)).isEqualTo("/api/v1/namespaces/n");
    io.fabric8.kubernetes.api.model.coordination.v1.Lease lease =
        new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("l")
            .endMetadata()
            .build();
    assertThat(ObjectWrites.resourcePath(lease))
        .isEqualTo("/apis/coordination.k8s.io/v1/namespaces/ns/leases/l");
    org.ipam.core.capi.IPAddress address = new org.ipam.core.capi.IPAddress();
    address.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace("ns")
            .withName("pool-10-0-0-5")
            .build());
    assertThat(ObjectWrites.resourcePath(address))
        .isEqualTo("/apis/ipam.cluster.x-k8s.io/v1beta2/namespaces/ns/ipaddresses/pool-10-0-0-5");
  }

  /** A Service created, deleted until gone, and created again under its name: both, in order. */
  private static Service[] deletedAndRecreated(KubernetesClient client, String name) {
    Service first = client.resource(service(name)).create();
    client.resource(first).withGracePeriod(0).delete();
    client
        .resource(first)
        .waitUntilCondition(s -> s == null, 30, java.util.concurrent.TimeUnit.SECONDS);
    return new Service[] {first, client.resource(service(name)).create()};
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
