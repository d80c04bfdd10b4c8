package org.ipam.incluster.adapter;

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
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ControllerClient;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.OperatorStartup;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.incluster.model.InClusterApi;

/**
 * The in-cluster dialect running in-process against the test control plane, started as the
 * controller binary starts a dialect (OperatorStartup, its Guice module, the controller's client),
 * and object helpers.
 */
final class InClusterHarness implements AutoCloseable {
  private final Operator operator;
  private final AllocationEngine engine;
  private final KubernetesClient controllerClient;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private InClusterHarness(KubernetesClient testClient, WatchFilter watchFilter) {
    controllerClient = ControllerClient.build(testClient.getConfiguration());
    engine = new AllocationEngine(8, EngineListener.NONE);
    operator = OperatorStartup.operator(controllerClient, o -> {});
    var parent = OperatorStartup.parent(controllerClient, engine, Clock.systemUTC(), watchFilter);
    for (var reconciler : OperatorStartup.reconcilers(parent, new InClusterDialectModule())) {
      operator.register((io.javaoperatorsdk.operator.api.reconciler.Reconciler) reconciler);
    }
    operator.start();
  }

  static void installCrds(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, new InClusterDialectModule().crdResources().toArray(String[]::new));
  }

  static InClusterHarness start(KubernetesClient client) {
    return start(client, WatchFilter.NONE);
  }

  /** As the controller runs with {@code --watch-filter}. */
  static InClusterHarness start(KubernetesClient client, WatchFilter watchFilter) {
    installCrds(client);
    return new InClusterHarness(client, watchFilter);
  }

  /** Whether the engine serves the pool now (what the claim finalizer webhook asks). */
  boolean serves(org.ipam.core.engine.PoolKey pool) {
    return engine.serves(pool);
  }

  @Override
  public void close() {
    operator.stop();
    engine.close();
    controllerClient.close();
  }

  static String resource(String path) {
    try (InputStream in = InClusterHarness.class.getResourceAsStream(path)) {
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

  static IPAddressClaim claim(String namespace, String name, String poolKind, String pool) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    claim.setSpec(new IPAddressClaimSpec(new PoolReference(InClusterApi.GROUP, poolKind, pool)));
    return claim;
  }

  /** The IPAddress a served claim names, or null. */
  static IPAddress addressOf(KubernetesClient client, IPAddressClaim claim) {
    IPAddressClaim live =
        client
            .resources(IPAddressClaim.class)
            .inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .get();
    if (live == null || live.getStatus() == null || live.getStatus().getAddressRef() == null) {
      return null;
    }
    return client
        .resources(IPAddress.class)
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(live.getStatus().getAddressRef().getName())
        .get();
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
  }
}
