package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ControllerClient;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.OperatorStartup;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.LoadBalancerSpec;

/**
 * The Harvester dialect running in-process against the test control plane, started as the
 * controller binary starts a dialect (OperatorStartup, its Guice module, the controller's client),
 * and object helpers.
 */
final class HarvesterHarness implements AutoCloseable {
  private final Operator operator;
  private final AllocationEngine engine;
  private final KubernetesClient controllerClient;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private HarvesterHarness(KubernetesClient testClient) {
    controllerClient = ControllerClient.build(testClient.getConfiguration());
    engine = new AllocationEngine(8, EngineListener.NONE);
    operator = OperatorStartup.operator(controllerClient, o -> {});
    var parent = OperatorStartup.parent(controllerClient, engine, Clock.systemUTC());
    for (var reconciler : OperatorStartup.reconcilers(parent, new HarvesterDialectModule())) {
      operator.register((io.javaoperatorsdk.operator.api.reconciler.Reconciler) reconciler);
    }
    operator.start();
  }

  static HarvesterHarness start(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, new HarvesterDialectModule().crdResources().toArray(String[]::new));
    return new HarvesterHarness(client);
  }

  @Override
  public void close() {
    operator.stop();
    engine.close();
    controllerClient.close();
  }

  /** Creates an IPPool of the code's group; {@code spec} is the YAML under {@code spec:}. */
  static IPPool createPool(KubernetesClient client, String name, String spec) {
    return client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                        + "metadata:\n  name: "
                        + name
                        + "\nspec:\n"
                        + spec.indent(2),
                    IPPool.class))
        .create();
  }

  static void createNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  /** A LoadBalancer asking a pool for its address, with these requirement annotations. */
  static LoadBalancer loadBalancer(String namespace, String name, Map<String, String> annotations) {
    LoadBalancer lb = new LoadBalancer();
    lb.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withAnnotations(annotations)
            .build());
    LoadBalancerSpec spec = new LoadBalancerSpec();
    spec.setIpam(HarvesterApi.IPAM_POOL);
    lb.setSpec(spec);
    return lb;
  }

  static LoadBalancer live(KubernetesClient client, LoadBalancer lb) {
    return client
        .resources(LoadBalancer.class)
        .inNamespace(lb.getMetadata().getNamespace())
        .withName(lb.getMetadata().getName())
        .get();
  }

  /** The address a LoadBalancer shows, or null. */
  static AllocatedAddress addressOf(KubernetesClient client, LoadBalancer lb) {
    LoadBalancer live = live(client, lb);
    return live == null
            || live.getStatus() == null
            || live.getStatus().getAllocatedAddress() == null
            || live.getStatus().getAllocatedAddress().getIpPool() == null
        ? null
        : live.getStatus().getAllocatedAddress();
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
  }
}
