package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.harvester.adapter.HarvesterHarness.eventually;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.engine.Conditions;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.AllocationRecord;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.IPPoolStatus;
import org.ipam.harvester.model.LoadBalancer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Core Services of type LoadBalancer on a real API server: those of our class get an address of the
 * pool the selector picks (from their namespace and annotations), or the one they ask for, in
 * {@code status.loadBalancer.ingress}; they draw from the same pool ledger as LoadBalancers; they
 * let go of it on deletion or when they stop being ours. Services of another class, or of none, are
 * left alone.
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterServiceIT {
  private static HarvesterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = HarvesterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** A pool serving one namespace, in the code's group. */
  private static IPPool pool(KubernetesClient client, String name, String subnet, String ns) {
    return HarvesterHarness.createPool(
        client,
        name,
        "ranges:\n- subnet: " + subnet + "\nselector:\n  scope:\n  - namespace: " + ns);
  }

  static Service service(String namespace, String name, String loadBalancerClass) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass(loadBalancerClass)
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  private static Service live(KubernetesClient client, Service service) {
    return client
        .services()
        .inNamespace(service.getMetadata().getNamespace())
        .withName(service.getMetadata().getName())
        .get();
  }

  private static List<String> ingress(KubernetesClient client, Service service) {
    Service now = live(client, service);
    return now == null ? List.of() : ServiceWrites.ingressIps(now);
  }

  private static String served(KubernetesClient client, Service service) {
    eventually().until(() -> ingress(client, service).size() == 1);
    return ingress(client, service).get(0);
  }

  private static Optional<Condition> condition(KubernetesClient client, Service service) {
    Service now = live(client, service);
    return now == null || now.getStatus() == null
        ? Optional.empty()
        : Conditions.find(now.getStatus().getConditions(), HarvesterApi.SERVICE_CONDITION);
  }

  private static IPPoolStatus poolStatus(KubernetesClient client, String name) {
    return client.resources(IPPool.class).withName(name).get().getStatus();
  }

  @Test
  void servicesOfOurClassShareThePoolWithLoadBalancersAndOthersAreLeftAlone(
      KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "svc-a");
    pool(client, "svc-a-pool", "10.60.0.0/24", "svc-a");
    Service foreign = client.resource(service("svc-a", "foreign", "example.com/other")).create();
    Service classless = client.resource(service("svc-a", "classless", null)).create();
    Service ours =
        client.resource(service("svc-a", "web", HarvesterApi.LOAD_BALANCER_CLASS)).create();
    LoadBalancer lb =
        client.resource(HarvesterHarness.loadBalancer("svc-a", "web", Map.of())).create();

    String serviceIp = served(client, ours);
    eventually().until(() -> HarvesterHarness.addressOf(client, lb) != null);
    String lbIp = HarvesterHarness.addressOf(client, lb).getIp();
    assertThat(List.of(serviceIp, lbIp))
        .doesNotHaveDuplicates()
        .allSatisfy(ip -> assertThat(ip).startsWith("10.60.0."));
    assertThat(live(client, ours).getMetadata().getFinalizers())
        .contains(HarvesterApi.SERVICE_FINALIZER);
    assertThat(condition(client, ours))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage())
                  .isEqualTo("address " + serviceIp + " from IPPool svc-a-pool");
            });

    // One ledger, two kinds: the Service and the LoadBalancer of one name are two claims.
    eventually()
        .until(
            () ->
                poolStatus(client, "svc-a-pool").getAllocated() != null
                    && poolStatus(client, "svc-a-pool").getAllocated().size() == 2);
    IPPoolStatus status = poolStatus(client, "svc-a-pool");
    assertThat(status.getAllocated())
        .containsEntry(serviceIp, "Service/svc-a/web")
        .containsEntry(lbIp, "svc-a/web");
    assertThat(status.getAllocations())
        .extracting(AllocationRecord::getKind)
        .containsExactlyInAnyOrder(HarvesterApi.SERVICE, null);

    for (Service other : List.of(foreign, classless)) {
      Service now = live(client, other);
      assertThat(now.getMetadata().getFinalizers()).as(other.getMetadata().getName()).isEmpty();
      assertThat(ServiceWrites.ingressIps(now)).isEmpty();
      assertThat(condition(client, other)).isEmpty();
    }
  }

  @Test
  void aServiceGetsTheAddressItAsksForByFieldOrAnnotation(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "svc-b");
    pool(client, "svc-b-pool", "10.61.0.0/24", "svc-b");
    Service byField = service("svc-b", "by-field", HarvesterApi.LOAD_BALANCER_CLASS);
    byField.getSpec().setLoadBalancerIP("10.61.0.77");
    byField = client.resource(byField).create();
    Service byAnnotation = service("svc-b", "by-annotation", HarvesterApi.LOAD_BALANCER_CLASS);
    byAnnotation
        .getMetadata()
        .setAnnotations(Map.of(HarvesterApi.SERVICE_IP_ANNOTATION, "10.61.0.88"));
    byAnnotation = client.resource(byAnnotation).create();
    Service bad = service("svc-b", "bad", HarvesterApi.LOAD_BALANCER_CLASS);
    bad.getMetadata().setAnnotations(Map.of(HarvesterApi.SERVICE_IP_ANNOTATION, "10.61.0.999"));
    Service badLive = client.resource(bad).create();

    assertThat(served(client, byField)).isEqualTo("10.61.0.77");
    assertThat(served(client, byAnnotation)).isEqualTo("10.61.0.88");
    eventually().until(() -> condition(client, badLive).isPresent());
    assertThat(condition(client, badLive).get().getStatus()).isEqualTo("False");
    assertThat(condition(client, badLive).get().getMessage())
        .startsWith("Service svc-b/bad: annotation ipam.org/load-balancer-ip \"10.61.0.999\"");
    assertThat(ingress(client, badLive)).isEmpty();
  }

  @Test
  void aServiceLetsGoOnDeletionAndWhenItStopsBeingALoadBalancer(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "svc-c");
    pool(client, "svc-c-pool", "10.62.0.0/24", "svc-c");
    Service deleted =
        client.resource(service("svc-c", "deleted", HarvesterApi.LOAD_BALANCER_CLASS)).create();
    Service retyped =
        client.resource(service("svc-c", "retyped", HarvesterApi.LOAD_BALANCER_CLASS)).create();
    String deletedIp = served(client, deleted);
    String retypedIp = served(client, retyped);

    client.resource(deleted).delete();
    eventually().until(() -> live(client, deleted) == null);

    client
        .services()
        .inNamespace("svc-c")
        .withName("retyped")
        .edit(
            s -> {
              s.getSpec().setType("ClusterIP");
              s.getSpec().setLoadBalancerClass(null);
              s.getSpec().setAllocateLoadBalancerNodePorts(null);
              s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
              return s;
            });
    eventually()
        .until(
            () ->
                live(client, retyped).getMetadata().getFinalizers().isEmpty()
                    && ingress(client, retyped).isEmpty());
    assertThat(condition(client, retyped)).isEmpty();
    eventually()
        .until(
            () -> {
              IPPoolStatus status = poolStatus(client, "svc-c-pool");
              return (status.getAllocated() == null || status.getAllocated().isEmpty())
                  && status.getAllocatedHistory() != null
                  && "Service/svc-c/deleted".equals(status.getAllocatedHistory().get(deletedIp))
                  && "Service/svc-c/retyped".equals(status.getAllocatedHistory().get(retypedIp));
            });
  }
}
