package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.adapter.InClusterHarness.addressOf;
import static org.ipam.incluster.adapter.InClusterHarness.claim;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Review findings on a real API server (webhooks off). */
@ExtendWith(ControlPlaneExtension.class)
class InClusterReviewIT {
  private static InClusterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    // Before the dialect starts, as in InClusterAllocationIT: claims that name a Cluster wait for
    // it.
    org.ipam.core.testing.ClusterApiCrd.install(client);
    harness = InClusterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static ConditionFactory within(int seconds) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(200));
  }

  private static InClusterIPPool createPool(
      KubernetesClient client, String namespace, String name, String addresses) {
    InClusterHarness.createNamespace(client, namespace);
    InClusterIPPool pool =
        InClusterHarness.yaml(
            "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: InClusterIPPool\nmetadata:\n  name: "
                + name
                + "\n  namespace: "
                + namespace
                + "\nspec:\n  addresses: ["
                + addresses
                + "]\n  prefix: 24\n",
            InClusterIPPool.class);
    return client.resource(pool).create();
  }

  private static IPAddress address(
      String namespace, String name, String ip, String pool, List<OwnerReference> owners) {
    IPAddress address = new IPAddress();
    address.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withOwnerReferences(owners)
            .build());
    IPAddressSpec spec = new IPAddressSpec();
    spec.setAddress(ip);
    spec.setPrefix(24);
    spec.setClaimRef(new LocalReference(name));
    spec.setPoolRef(new PoolReference(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_IP_POOL, pool));
    address.setSpec(spec);
    return address;
  }

  private static IPAddressClaim live(KubernetesClient client, String namespace, String name) {
    return client.resources(IPAddressClaim.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Upstream adopts an IPAddress made by hand through CreateOrPatch: it gets the claim's
   * (controller) and the pool's owner reference, the claim's cluster-name label and ProtectAddress.
   * Here the adoption adds the claim's reference and the finalizer only: no pool owner reference
   * (so clusterctl move's graph and blockOwnerDeletion lose the pool edge) and no cluster label.
   */
  @Test
  void anAdoptedIPAddressGetsThePoolOwnerReferenceAndTheClusterLabelAsUpstream(
      KubernetesClient client) {
    createPool(client, "rv-adopt", "p", "10.30.0.1-10.30.0.9");
    client.resource(address("rv-adopt", "c1", "10.30.0.5", "p", List.of())).create();
    IPAddressClaim claim = claim("rv-adopt", "c1", InClusterApi.IN_CLUSTER_IP_POOL, "p");
    claim.getMetadata().setLabels(Map.of(InClusterApi.CLUSTER_NAME_LABEL, "wl"));
    // Its Cluster runs: a claim of a missing Cluster waits (the pause contract).
    client
        .resource(
            InClusterHarness.yaml(
                "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n  name: wl\n"
                    + "  namespace: rv-adopt\nspec:\n  paused: false\n",
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .create();
    IPAddressClaim created = client.resource(claim).create();

    within(60)
        .untilAsserted(
            () -> {
              IPAddress served = addressOf(client, created);
              assertThat(served).isNotNull();
              assertThat(served.getSpec().getAddress()).isEqualTo("10.30.0.5");
              assertThat(served.getMetadata().getOwnerReferences())
                  .extracting(OwnerReference::getKind)
                  .contains("IPAddressClaim", InClusterApi.IN_CLUSTER_IP_POOL);
              assertThat(served.getMetadata().getLabels())
                  .containsEntry(InClusterApi.CLUSTER_NAME_LABEL, "wl");
            });
  }

  /**
   * An IPAddress made by hand that already has a controller owner (another controller's object):
   * upstream ignores the AlreadyOwnedError of SetControllerReference and serves the claim. Here
   * adopt() adds a second controller: true reference, which the API server refuses (only one
   * controller reference), so the claim is never served.
   */
  @Test
  void aHandMadeIPAddressWithAnotherControllerOwnerStillServesItsClaimAsUpstream(
      KubernetesClient client) {
    createPool(client, "rv-alien", "p", "10.30.1.1-10.30.1.9");
    ConfigMap owner =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withNamespace("rv-alien")
                    .withName("someone-else")
                    .endMetadata()
                    .build())
            .create();
    OwnerReference alien =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName("someone-else")
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .build();
    client.resource(address("rv-alien", "c2", "10.30.1.5", "p", List.of(alien))).create();
    IPAddressClaim created =
        client.resource(claim("rv-alien", "c2", InClusterApi.IN_CLUSTER_IP_POOL, "p")).create();

    within(45)
        .untilAsserted(
            () -> {
              IPAddressClaim now = live(client, "rv-alien", "c2");
              assertThat(ClaimReady.is(now, "True")).isTrue();
              assertThat(addressOf(client, created).getSpec().getAddress()).isEqualTo("10.30.1.5");
            });
  }

  /**
   * Upstream releases a deleting claim whose pool is gone (FetchPool NotFound and deleting:
   * reconcileDelete with no pool): the IPAddress loses ProtectAddress and is deleted, the claim
   * loses ReleaseAddress. Here only a pool's pass serves a claim, so with the pool gone (its
   * ProtectPool finalizer removed by hand, as an operator does to get rid of a pool) the claim and
   * its IPAddress stay Terminating for ever.
   */
  @Test
  void aDeletingClaimWhosePoolIsGoneIsReleasedAsUpstream(KubernetesClient client) {
    createPool(client, "rv-gone", "p", "10.30.2.1-10.30.2.9");
    IPAddressClaim created =
        client.resource(claim("rv-gone", "c3", InClusterApi.IN_CLUSTER_IP_POOL, "p")).create();
    within(60).untilAsserted(() -> assertThat(addressOf(client, created)).isNotNull());

    var pools = client.resources(InClusterIPPool.class).inNamespace("rv-gone").withName("p");
    pools.delete();
    pools.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    within(30).until(() -> pools.get() == null);

    client.resources(IPAddressClaim.class).inNamespace("rv-gone").withName("c3").delete();
    within(45)
        .untilAsserted(
            () -> {
              assertThat(live(client, "rv-gone", "c3")).isNull();
              assertThat(
                      client.resources(IPAddress.class).inNamespace("rv-gone").withName("c3").get())
                  .isNull();
            });
  }
}
