package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  /**
   * Creates the objects at once, from 8 threads (a burst as many clients make it), and returns when
   * every create has answered.
   */
  static void createAtOnce(KubernetesClient client, List<? extends HasMetadata> objects)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (HasMetadata object : objects) {
        created.add(
            workers.submit(
                () -> {
                  try {
                    client.resource(object).create();
                  } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) { // a create retried after its answer was lost
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> future : created) {
        future.get(5, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdownNow();
    }
  }

  /** A wait long enough for a burst of a thousand requests on a loaded machine. */
  static ConditionFactory eventuallyForBursts() {
    return Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1));
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
  }
}
