package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ControllerClient;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.OperatorStartup;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;

/**
 * The kubipam dialect running in-process against the test control plane, started as the controller
 * binary starts a dialect (OperatorStartup, its Guice module), and object helpers.
 */
final class MandelsoftHarness implements AutoCloseable {
  private final Operator operator;
  private final AllocationEngine engine;
  private final KubernetesClient controllerClient;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private MandelsoftHarness(KubernetesClient testClient) {
    controllerClient = ControllerClient.build(testClient.getConfiguration());
    engine = new AllocationEngine(8, EngineListener.NONE);
    operator = OperatorStartup.operator(controllerClient, o -> {});
    var parent =
        OperatorStartup.parent(controllerClient, engine, Clock.systemUTC(), WatchFilter.NONE);
    for (var reconciler : OperatorStartup.reconcilers(parent, new MandelsoftDialectModule())) {
      operator.register((io.javaoperatorsdk.operator.api.reconciler.Reconciler) reconciler);
    }
    operator.start();
  }

  static MandelsoftHarness start(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, new MandelsoftDialectModule().crdResources().toArray(String[]::new));
    return new MandelsoftHarness(client);
  }

  @Override
  public void close() {
    operator.stop();
    engine.close();
    controllerClient.close();
  }

  static String resource(String path) {
    try (InputStream in = MandelsoftHarness.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T yaml(String text, Class<T> type) {
    return Serialization.unmarshal(text, type);
  }

  static void createNamespace(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  static IPAMRequest request(
      String namespace, String name, String range, Integer size, String specific) {
    IPAMRequest request = new IPAMRequest();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    IPAMRequestSpec spec = new IPAMRequestSpec();
    spec.setIpam(new ObjectReference(range, null));
    spec.setSize(size);
    spec.setRequest(specific);
    request.setSpec(spec);
    return request;
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
  }
}
