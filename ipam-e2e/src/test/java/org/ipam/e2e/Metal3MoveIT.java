package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipam.core.testing.LocalControlPlane;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * clusterctl move: every Metal3 object copied without its status into a fresh control plane (pools,
 * then claims, then addresses, owner references pointing at the new uids, as clusterctl rewrites
 * them), and the controller started there: every claim gets the address it had, and no IPAddress
 * object is created or replaced.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class Metal3MoveIT {
  private static final String NAMESPACE = "e2e-move";

  @Test
  void movedObjectsKeepTheirAddresses(Cluster source, @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        E2eSettings.externalKubeconfig().isEmpty(), "needs a second control plane of its own");
    Map<String, String> before;
    List<HasMetadata> copies = new ArrayList<>();
    try (KubernetesClient client = source.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, NAMESPACE);
      objects.createNamespace();
      objects.createPool("pool");
      objects.createClaims("pool", "machine", 0, 20);
      ControllerProcess controller =
          ControllerProcess.start(
              "move-source",
              List.of(
                  "--kubeconfig=" + source.kubeconfig(),
                  "--namespaces=" + NAMESPACE,
                  "--no-leader-elect"));
      controller.awaitReady(Duration.ofMinutes(2));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(20));
      assertThat(controller.terminate(Duration.ofSeconds(30))).isZero();
      before = objects.addressesByClaim();
      copies.addAll(
          withoutStatus(client.resources(IPPool.class).inNamespace(NAMESPACE).list().getItems()));
      copies.addAll(
          withoutStatus(client.resources(IPClaim.class).inNamespace(NAMESPACE).list().getItems()));
      copies.addAll(
          withoutStatus(
              client.resources(IPAddress.class).inNamespace(NAMESPACE).list().getItems()));
    }

    try (LocalControlPlane target = new LocalControlPlane().start();
        KubernetesClient client = target.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, NAMESPACE);
      objects.createNamespace();
      Map<String, String> newUids = new HashMap<>();
      for (HasMetadata copy : copies) {
        rewriteOwners(copy, newUids);
        HasMetadata created = client.resource(copy).create();
        newUids.put(
            copy.getKind() + "/" + copy.getMetadata().getName(), created.getMetadata().getUid());
      }
      Map<String, String> namesBefore = addressObjects(client);
      Path kubeconfig = dir.resolve("target.kubeconfig");
      Files.writeString(kubeconfig, target.kubeconfig());
      ControllerProcess controller =
          ControllerProcess.start(
              "move-target",
              List.of(
                  "--kubeconfig=" + kubeconfig, "--namespaces=" + NAMESPACE, "--no-leader-elect"));
      controller.awaitReady(Duration.ofMinutes(2));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(20));
      assertThat(objects.addressesByClaim()).isEqualTo(before);
      // Same objects: same names and uids, none created, none replaced.
      assertThat(addressObjects(client)).isEqualTo(namesBefore);
      // The moved IPAddresses name their claims' new uids: every claim finds its own, nothing is
      // committed anew.
      assertThat(controller.allocationsLogged()).isZero();
      controller.terminate(Duration.ofSeconds(30));
    }
  }

  /** What clusterctl carries over: metadata that describes the object, and its spec. */
  private static <T extends HasMetadata> List<T> withoutStatus(List<T> objects) {
    for (T object : objects) {
      ObjectMeta meta = object.getMetadata();
      object.setMetadata(
          new ObjectMetaBuilder()
              .withName(meta.getName())
              .withNamespace(meta.getNamespace())
              .withLabels(meta.getLabels())
              .withAnnotations(meta.getAnnotations())
              .withFinalizers(meta.getFinalizers())
              .withOwnerReferences(meta.getOwnerReferences())
              .build());
      if (object instanceof CustomResource<?, ?> resource) {
        resource.setStatus(null);
      }
    }
    return objects;
  }

  private static void rewriteOwners(HasMetadata copy, Map<String, String> newUids) {
    List<OwnerReference> owners = new ArrayList<>();
    for (OwnerReference owner : copy.getMetadata().getOwnerReferences()) {
      String uid = newUids.get(owner.getKind() + "/" + owner.getName());
      if (uid != null) {
        owner.setUid(uid);
        owners.add(owner);
      }
    }
    copy.getMetadata().setOwnerReferences(owners);
  }

  /** IPAddress name to uid. */
  private static Map<String, String> addressObjects(KubernetesClient client) {
    Map<String, String> byName = new HashMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(NAMESPACE).list().getItems()) {
      byName.put(address.getMetadata().getName(), address.getMetadata().getUid());
    }
    return byName;
  }
}
