package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 300 IPClaims created at once on one pool, the controller killed with kill -9 while it serves
 * them, and started again: every claim ends with one address of its own, no IPAddress is left
 * without its claim, no address is handed out twice, and the pool's status agrees with the
 * IPAddress objects.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class Metal3RestartIT {
  private static final int CLAIMS = 300;

  @Test
  void killNineInTheMiddleOf300ClaimsLosesNothing(Cluster cluster) {
    String namespace = "e2e-restart-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, namespace);
      objects.createNamespace();
      objects.createPool("pool");
      List<String> flags =
          List.of(
              "--kubeconfig=" + cluster.kubeconfig(),
              "--adapters=metal3",
              "--namespaces=" + namespace,
              // A restart with leader election would first wait out the dead process's Lease.
              "--no-leader-elect");
      ControllerProcess first = ControllerProcess.start("restart-first", flags);
      first.awaitReady(Duration.ofMinutes(2));

      Thread creator = new Thread(() -> objects.createClaimsAtOnce("pool", "claim", CLAIMS));
      creator.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> objects.addressCount() >= 40);
      first.kill9();
      int atKill = objects.addressCount();
      System.out.printf(
          "E2E restart: controller killed with %d of %d addresses made%n", atKill, CLAIMS);
      join(creator);

      ControllerProcess second = ControllerProcess.start("restart-second", flags);
      second.awaitReady(Duration.ofMinutes(2));
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(CLAIMS));

      assertThat(atKill).as("killed in the middle").isLessThan(CLAIMS);
      Map<String, String> byClaim = objects.addressesByClaim();
      assertThat(objects.addresses()).hasSize(CLAIMS).doesNotHaveDuplicates();
      assertThat(byClaim).hasSize(CLAIMS);
      assertThat(objects.claimAddresses().keySet()).isEqualTo(byClaim.keySet());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                IPPool pool =
                    client.resources(IPPool.class).inNamespace(namespace).withName("pool").get();
                assertThat(pool.getStatus().getIndexes()).isEqualTo(byClaim);
              });
      // The lowest 300 addresses of the range: nothing skipped, nothing leaked.
      assertThat(new HashSet<>(byClaim.values()))
          .contains("10.20.0.1", "10.20.1.44")
          .doesNotContain("10.20.1.45");
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
