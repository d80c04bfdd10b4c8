package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.harvester.adapter.HarvesterHarness.addressOf;
import static org.ipam.harvester.adapter.HarvesterHarness.eventually;
import static org.ipam.harvester.adapter.HarvesterHarness.loadBalancer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;
import org.ipam.core.engine.Crds;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the controller keeps on a pool besides its allocations, on a real API server: the {@code
 * global-ip-pool} and {@code vid} labels upstream's mutating webhook writes; the one-shot {@code
 * manuallyReleaseIP} annotation, on an IPv6 pool (upstream's parser cannot); and the round-robin
 * cursor, which a restarted controller takes from {@code status.lastAllocated}. Each test starts
 * the dialect itself (one of them twice).
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterPoolUpkeepIT {
  private static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();

  private static IPPool create(KubernetesClient client, String yaml) {
    return client
        .resource(client.getKubernetesSerialization().unmarshal(yaml, IPPool.class))
        .create();
  }

  private static IPPool live(KubernetesClient client, String name) {
    return client.resources(IPPool.class).withName(name).get();
  }

  private static Map<String, String> labels(KubernetesClient client, String name) {
    Map<String, String> labels = live(client, name).getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  @Test
  void poolsCarryTheGlobalAndVlanLabelsUpstreamsMutatorWrites(KubernetesClient client) {
    installNadCrd(client);
    HarvesterHarness.createNamespace(client, "upkeep-net");
    GenericKubernetesResource nad =
        client
            .getKubernetesSerialization()
            .unmarshal(
                "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n"
                    + "  name: vlan9\n  namespace: upkeep-net\n"
                    + "spec:\n  config: '{\"cniVersion\":\"0.3.1\",\"type\":\"bridge\",\"vlan\":9}'\n",
                GenericKubernetesResource.class);
    client.genericKubernetesResources(NAD).inNamespace("upkeep-net").resource(nad).create();
    try (HarvesterHarness harness = HarvesterHarness.start(client)) {
      create(
          client,
          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n"
              + "  name: upkeep-global\n  labels:\n    loadbalancer.harvesterhci.io/global-ip-pool: \"false\"\n"
              + "spec:\n  ranges:\n  - subnet: 10.80.0.0/24\n  selector:\n    network: upkeep-net/vlan9\n"
              + "    scope:\n      project: \"*\"\n      namespace: \"*\"\n      cluster: \"*\"\n");
      create(
          client,
          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n"
              + "  name: upkeep-plain\n  labels:\n    loadbalancer.harvesterhci.io/vid: \"77\"\n"
              + "spec:\n  ranges:\n  - subnet: 10.80.1.0/24\n  selector:\n"
              + "    scope:\n    - namespace: upkeep-plain\n");
      create(
          client,
          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n"
              + "  name: upkeep-nowhere\n"
              + "spec:\n  ranges:\n  - subnet: 10.80.2.0/24\n  selector:\n    network: upkeep-net/missing\n"
              + "    scope:\n    - namespace: upkeep-nowhere\n");
      eventually()
          .untilAsserted(
              () ->
                  assertThat(labels(client, "upkeep-global"))
                      .containsEntry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "true")
                      .containsEntry(HarvesterApi.VID_LABEL, "9"));
      eventually()
          .untilAsserted(
              () ->
                  assertThat(labels(client, "upkeep-plain"))
                      .containsEntry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "false")
                      .containsEntry(HarvesterApi.VID_LABEL, "0"));
      // Its network has no definition: no vid (upstream would refuse the pool); it still serves.
      eventually()
          .untilAsserted(
              () ->
                  assertThat(labels(client, "upkeep-nowhere"))
                      .containsEntry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "false")
                      .doesNotContainKey(HarvesterApi.VID_LABEL));
    }
  }

  /**
   * An address the replaced controller left in {@code allocated} stays occupied until {@code
   * manuallyReleaseIP} frees it (into the history, so its LoadBalancer gets it back); a request
   * naming a LoadBalancer that exists frees nothing. Both annotations are removed.
   */
  @Test
  void manuallyReleaseIpFreesAnIpv6AddressLeftByTheReplacedController(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "upkeep-v6");
    try (HarvesterHarness harness = HarvesterHarness.start(client)) {
      create(
          client,
          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n"
              + "  name: upkeep-v6\nspec:\n  ranges:\n  - subnet: \"fd00:80::/120\"\n  selector:\n"
              + "    scope:\n    - namespace: upkeep-v6\n");
      eventually()
          .until(
              () -> {
                IPPool pool = live(client, "upkeep-v6");
                if (pool.getStatus() == null) {
                  return false;
                }
                Map<String, String> allocated = new HashMap<>();
                allocated.put("fd00:80:0:0::2", "upkeep-v6/old");
                pool.getStatus().setAllocated(allocated);
                client.resource(pool).updateStatus(); // a 409 means: try again
                return true;
              });
      LoadBalancer first = client.resource(loadBalancer("upkeep-v6", "first", Map.of())).create();
      eventually().until(() -> addressOf(client, first) != null);
      assertThat(addressOf(client, first).getIp()).isEqualTo("fd00:80::3");

      annotate(client, "upkeep-v6", "fd00:80::3: upkeep-v6/first");
      eventually().until(() -> annotation(client, "upkeep-v6") == null);
      assertThat(live(client, "upkeep-v6").getStatus().getAllocated())
          .containsEntry("fd00:80::3", "upkeep-v6/first")
          .containsEntry("fd00:80:0:0::2", "upkeep-v6/old");

      annotate(client, "upkeep-v6", "fd00:80::2: upkeep-v6/old");
      eventually().until(() -> annotation(client, "upkeep-v6") == null);
      eventually()
          .until(
              () ->
                  "upkeep-v6/old"
                      .equals(
                          live(client, "upkeep-v6")
                              .getStatus()
                              .getAllocatedHistory()
                              .get("fd00:80:0:0::2")));
      assertThat(live(client, "upkeep-v6").getStatus().getAllocated())
          .doesNotContainKey("fd00:80:0:0::2");
      LoadBalancer old = client.resource(loadBalancer("upkeep-v6", "old", Map.of())).create();
      eventually().until(() -> addressOf(client, old) != null);
      assertThat(addressOf(client, old).getIp()).isEqualTo("fd00:80::2");
      assertThat(addressOf(client, first).getIp()).isEqualTo("fd00:80::3");
    }
  }

  /**
   * A round-robin pool goes on after {@code status.lastAllocated} when the controller restarts: the
   * address released before the restart waits for the cursor instead of being handed out first.
   */
  @Test
  void roundRobinGoesOnAfterLastAllocatedAcrossARestart(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "upkeep-rr");
    LoadBalancer a;
    try (HarvesterHarness before = HarvesterHarness.start(client)) {
      create(
          client,
          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n"
              + "  name: upkeep-rr\n  annotations:\n    ipam.org/allocation-order: round-robin\n"
              + "spec:\n  ranges:\n  - subnet: 10.81.0.0/24\n  selector:\n"
              + "    scope:\n    - namespace: upkeep-rr\n");
      a = served(client, "a", "10.81.0.2");
      served(client, "b", "10.81.0.3");
      client.resource(a).delete();
      eventually().until(() -> HarvesterHarness.live(client, a) == null);
      eventually()
          .until(
              () -> !live(client, "upkeep-rr").getStatus().getAllocated().containsKey("10.81.0.2"));
    }
    try (HarvesterHarness after = HarvesterHarness.start(client)) {
      assertThat(live(client, "upkeep-rr").getStatus().getLastAllocated()).isEqualTo("10.81.0.3");
      served(client, "c", "10.81.0.4");
      served(client, "d", "10.81.0.5");
    }
  }

  private static LoadBalancer served(KubernetesClient client, String name, String expected) {
    LoadBalancer lb = client.resource(loadBalancer("upkeep-rr", name, Map.of())).create();
    eventually().until(() -> addressOf(client, lb) != null);
    assertThat(addressOf(client, lb).getIp()).as(name).isEqualTo(expected);
    return lb;
  }

  private static void annotate(KubernetesClient client, String pool, String value) {
    client
        .resources(IPPool.class)
        .withName(pool)
        .edit(
            p -> {
              Map<String, String> annotations =
                  p.getMetadata().getAnnotations() == null
                      ? new HashMap<>()
                      : new HashMap<>(p.getMetadata().getAnnotations());
              annotations.put(HarvesterApi.MANUALLY_RELEASE_IP_ANNOTATION, value);
              p.getMetadata().setAnnotations(annotations);
              return p;
            });
  }

  private static String annotation(KubernetesClient client, String pool) {
    Map<String, String> annotations = live(client, pool).getMetadata().getAnnotations();
    return annotations == null
        ? null
        : annotations.get(HarvesterApi.MANUALLY_RELEASE_IP_ANNOTATION);
  }

  /** A stand-in for Multus' CRD: any spec, as the controller only reads a definition. */
  private static void installNadCrd(KubernetesClient client) {
    CustomResourceDefinition crd =
        client
            .getKubernetesSerialization()
            .unmarshal(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
                    + "  name: network-attachment-definitions.k8s.cni.cncf.io\nspec:\n"
                    + "  group: k8s.cni.cncf.io\n  scope: Namespaced\n  names:\n"
                    + "    plural: network-attachment-definitions\n    singular: network-attachment-definition\n"
                    + "    kind: NetworkAttachmentDefinition\n  versions:\n  - name: v1\n    served: true\n"
                    + "    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n"
                    + "        x-kubernetes-preserve-unknown-fields: true\n",
                CustomResourceDefinition.class);
    client.resource(crd).createOr(existing -> existing.update());
    eventually()
        .until(
            () ->
                client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .get(),
            Crds::established);
  }
}
