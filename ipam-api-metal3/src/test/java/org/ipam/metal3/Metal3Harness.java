package org.ipam.metal3;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.OperatorStartup;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.metal3.adapter.Metal3DialectModule;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPClaimSpec;
import org.ipam.metal3.model.IPPool;

/** The Metal3 dialect running in-process against the test control plane, and object helpers. */
final class Metal3Harness implements AutoCloseable {
  private final Operator operator;
  private final AllocationEngine engine;
  private final KubernetesClient controllerClient;

  /**
   * Started as the controller binary starts a dialect (OperatorStartup), with its Guice module and
   * a client configured as the binary's (ControllerClient), beside the test's own client.
   */
  private Metal3Harness(KubernetesClient testClient) {
    controllerClient = org.ipam.core.engine.ControllerClient.build(testClient.getConfiguration());
    KubernetesClient client = controllerClient;
    engine = new AllocationEngine(8, EngineListener.NONE);
    operator = OperatorStartup.operator(client, o -> {});
    var parent = OperatorStartup.parent(client, engine, Clock.systemUTC());
    new Metal3DialectModule().register(operator, parent, java.util.Set.of());
    operator.start();
  }

  static Metal3Harness start(KubernetesClient client) {
    LocalControlPlane.installCrds(
        client, new Metal3DialectModule().crdResources().toArray(String[]::new));
    return new Metal3Harness(client);
  }

  @Override
  public void close() {
    operator.stop();
    engine.close();
    controllerClient.close();
  }

  static String resource(String path) {
    try (InputStream in = Metal3Harness.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A seed example as a generic object, exactly as the document has it. */
  static GenericKubernetesResource seed(String name) {
    return Serialization.unmarshal(
        resource("/seeds/metal3/" + name), GenericKubernetesResource.class);
  }

  static IPClaim claim(
      String namespace, String name, String pool, Map<String, String> annotations) {
    IPClaim claim = new IPClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withAnnotations(annotations)
            .build());
    IPClaimSpec spec = new IPClaimSpec();
    spec.setPool(new ObjectReferenceBuilder().withName(pool).withNamespace(namespace).build());
    claim.setSpec(spec);
    return claim;
  }

  /** A Cluster API IPAddressClaim whose poolRef names a Metal3 IPPool. */
  static org.ipam.core.capi.IPAddressClaim capiClaim(
      String namespace, String name, String pool, Map<String, String> annotations) {
    org.ipam.core.capi.IPAddressClaim claim = new org.ipam.core.capi.IPAddressClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withAnnotations(annotations)
            .build());
    claim.setSpec(
        new org.ipam.core.capi.IPAddressClaimSpec(
            new org.ipam.core.capi.PoolReference(IPPool.GROUP, "IPPool", pool)));
    return claim;
  }

  /**
   * A Metal3 IPAddress made by hand, as an operator would write it: no owner reference, no
   * finalizer.
   */
  static org.ipam.metal3.model.IPAddress handMadeAddress(
      String namespace, String name, String pool, String claim, String ip) {
    org.ipam.metal3.model.IPAddress address = new org.ipam.metal3.model.IPAddress();
    address.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    var spec = new org.ipam.metal3.model.IPAddressSpec();
    spec.setAddress(ip);
    spec.setPool(new ObjectReferenceBuilder().withName(pool).build());
    spec.setClaim(new ObjectReferenceBuilder().withName(claim).build());
    address.setSpec(spec);
    return address;
  }

  static IPPool pool(String namespace, String name, String yamlSpec) {
    String yaml =
        "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n"
            + yamlSpec.indent(2);
    return Serialization.unmarshal(yaml, IPPool.class);
  }

  /** Whether the engine serves the pool now (what the claim finalizer webhooks ask). */
  boolean serves(String namespace, String pool) {
    return engine.serves(org.ipam.metal3.adapter.Metal3Records.poolKey(namespace, pool));
  }

  /** A minimal Cluster API Cluster CRD, so that pools with a clusterName can be paused. */
  static void installClusterCrd(KubernetesClient client) {
    org.ipam.core.testing.ClusterApiCrd.install(client);
  }

  /**
   * What "at once" allows a change to take effect in: far below the 30 s periodic recheck of a
   * paused pool, so that only the change's own event can meet it.
   */
  static final java.time.Duration AT_ONCE = java.time.Duration.ofSeconds(5);

  /** Polls until the assertion holds; a status not written yet is just not there yet. */
  static org.awaitility.core.ConditionFactory eventually() {
    return org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .ignoreExceptions();
  }

  static org.ipam.metal3.model.IPClaim claimNamed(
      KubernetesClient client, String namespace, String name) {
    return client
        .resources(org.ipam.metal3.model.IPClaim.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  static org.ipam.metal3.model.IPAddress addressNamed(
      KubernetesClient client, String namespace, String name) {
    return client
        .resources(org.ipam.metal3.model.IPAddress.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  static void createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build())
        .create();
  }

  static List<String> addressesOf(KubernetesClient client, String namespace) {
    return client
        .resources(org.ipam.metal3.model.IPAddress.class)
        .inNamespace(namespace)
        .list()
        .getItems()
        .stream()
        .map(a -> a.getSpec().getAddress())
        .toList();
  }
}
