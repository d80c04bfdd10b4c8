package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.ipam.e2e.TargetCluster.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two controller processes on one Lease: exactly one reconciles; after kill -9 of the leader (no
 * shutdown hook, the Lease is not released) the other takes over once the Lease expires, and serves
 * new claims without handing out an address twice.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class LeaderElectionIT {
  /** The Lease timing the processes are started with (the controller's defaults, said again). */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  @Test
  void oneLeaderReconcilesAndTheOtherTakesOverAfterKill9(Cluster cluster) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String namespace = "e2e-leader-" + suffix;
    String lease = "ipam-e2e-" + suffix;
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, namespace);
      objects.createNamespace();
      List<String> flags =
          List.of(
              "--kubeconfig=" + cluster.kubeconfig(),
              "--adapters=metal3",
              "--namespaces=" + namespace,
              "--leader-election-namespace=" + namespace,
              "--leader-election-id=" + lease,
              "--leader-election-lease-duration=" + LEASE_DURATION.toSeconds() + "s",
              "--leader-election-retry-period=" + RETRY_PERIOD.toSeconds() + "s");
      ControllerProcess first = ControllerProcess.start("leader-election-a", flags);
      ControllerProcess second = ControllerProcess.start("leader-election-b", flags);
      first.awaitReady(Duration.ofMinutes(2));
      second.awaitReady(Duration.ofMinutes(2));

      String holder = awaitHolder(client, namespace, lease, null);
      ControllerProcess leader = holder.equals(identity(first)) ? first : second;
      ControllerProcess follower = leader == first ? second : first;
      assertThat(identity(leader)).isEqualTo(holder);

      objects.createPool("pool");
      objects.createClaims("pool", "before", 0, 10);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(10));
      // The pass logs its summary once its writes are all done, a moment after the claims show
      // them.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(leader.allocationsLogged()).isEqualTo(10));
      assertThat(follower.allocationsLogged()).as("the follower decides nothing").isZero();
      assertThat(follower.logLines("leading as")).isEmpty();

      long killed = System.nanoTime();
      leader.kill9();
      String next = awaitHolder(client, namespace, lease, holder);
      long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf(
          "E2E leader takeover after kill -9: %d ms (Lease duration %d s, retry period %d s)%n",
          takeoverMillis, LEASE_DURATION.toSeconds(), RETRY_PERIOD.toSeconds());
      assertThat(next).isEqualTo(identity(follower));
      // The Lease can change hands only once renewTime + duration has passed (renewTime <= the
      // kill), and the follower looks again after a retry period jittered by up to 1.2 times
      // (fabric8's LeaderElector): the takeover is at most the duration plus 2.2 retry periods.
      assertThat(Duration.ofMillis(takeoverMillis))
          .isLessThan(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(22).dividedBy(10)));

      objects.createClaims("pool", "after", 0, 10);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(objects.claimAddresses()).hasSize(20));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(follower.allocationsLogged()).isEqualTo(10));
      assertThat(objects.addresses()).hasSize(20).doesNotHaveDuplicates();
      assertThat(follower.isAlive()).isTrue();
    }
  }

  /** The identity a process elects with, from its log. */
  private static String identity(ControllerProcess process) {
    String marker = "leader election on Lease ";
    String line = process.logLines(marker).get(0);
    return line.substring(line.lastIndexOf(" as ") + 4).trim();
  }

  private static String awaitHolder(
      KubernetesClient client, String namespace, String lease, String other) {
    String[] holder = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              Lease current = client.leases().inNamespace(namespace).withName(lease).get();
              holder[0] = current.getSpec().getHolderIdentity();
              return holder[0] != null && !holder[0].isBlank() && !holder[0].equals(other);
            });
    return holder[0];
  }
}
