package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.ipam.core.capi.ClaimReady;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.Crds;
import org.ipam.e2e.TargetCluster.Cluster;
import org.ipam.incluster.adapter.InClusterDialectModule;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Split brain on the in-cluster dialect: two controller processes with leader election off, one
 * InClusterIPPool of exactly N addresses, N IPAddressClaims created at once by 8 workers. The
 * IPAddress is named after its claim, so its create locks nothing: only the pool's ledger ({@code
 * status.allocations}, one guarded write per pass) keeps the two writers apart. Once every claim is
 * served: no address held by two IPAddresses, every claim's IPAddress its own (owner uid), no
 * IPAddress without its claim, and the ledger equal to the IPAddresses (address and claim uid).
 *
 * <p>N is {@value #DEFAULT_CLAIMS} in {@code mvn verify}, or {@code
 * -Dipam.e2e.incluster.splitbrain.claims=N}.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class InClusterSplitBrainIT {
  static final int DEFAULT_CLAIMS = 200;
  static final int CLAIMS =
      Integer.getInteger("ipam.e2e.incluster.splitbrain.claims", DEFAULT_CLAIMS);
  private static final int WORKERS = 8;
  private static final String POOL = "pool";
  private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(300).plusMillis(300L * CLAIMS);

  @Test
  void twoControllersWithoutLeaderElectionNeverHandOutOneAddressTwice(Cluster cluster)
      throws Exception {
    String namespace = "e2e-ic-split-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = cluster.newClient()) {
      Crds.install(
          client,
          InClusterDialectModule.class.getClassLoader(),
          new InClusterDialectModule().crdResources());
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      InClusterIPPool pool = new InClusterIPPool();
      pool.getMetadata().setName(POOL);
      pool.getMetadata().setNamespace(namespace);
      InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
      spec.setAddresses(
          List.of(
              "10.90.0.1-" + Metal3SplitBrainIT.lastAddress(CLAIMS).replace("10.80.", "10.90.")));
      spec.setPrefix(16);
      pool.setSpec(spec);
      client.resource(pool).create();
      List<String> flags =
          List.of(
              "--kubeconfig=" + cluster.kubeconfig(),
              "--adapters=incluster",
              "--namespaces=" + namespace,
              "--no-leader-elect",
              "--webhook-port=0");
      try (ControllerProcess first = ControllerProcess.start("incluster-split-a", flags);
          ControllerProcess second = ControllerProcess.start("incluster-split-b", flags)) {
        first.awaitReady(Duration.ofMinutes(3));
        second.awaitReady(Duration.ofMinutes(3));

        long start = System.nanoTime();
        createClaimsAtOnce(client, namespace, CLAIMS);
        long createdMillis = Metal3SplitBrainIT.millisSince(start);
        boolean allServed =
            Awaits.quietly(
                SERVE_TIMEOUT,
                () ->
                    client
                            .resources(IPAddressClaim.class)
                            .inNamespace(namespace)
                            .list()
                            .getItems()
                            .stream()
                            .filter(c -> ClaimReady.is(c, "True"))
                            .count()
                        == CLAIMS);
        long servedMillis = Metal3SplitBrainIT.millisSince(start);
        // The ledger settles after the last claim is served (its last write, its last cache event).
        Awaits.quietly(Duration.ofSeconds(60), () -> ledgerMatches(client, namespace));

        List<IPAddressClaim> claims =
            client.resources(IPAddressClaim.class).inNamespace(namespace).list().getItems();
        List<IPAddress> addresses =
            client.resources(IPAddress.class).inNamespace(namespace).list().getItems();
        Map<String, String> claimUidByName = new HashMap<>();
        claims.forEach(
            c -> claimUidByName.put(c.getMetadata().getName(), c.getMetadata().getUid()));
        Map<String, List<String>> holdersByAddress = new HashMap<>();
        List<String> notOwn = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        for (IPAddress address : addresses) {
          holdersByAddress
              .computeIfAbsent(address.getSpec().getAddress(), k -> new ArrayList<>())
              .add(address.getMetadata().getName());
          String owner =
              address.getMetadata().getOwnerReferences().stream()
                  .filter(o -> "IPAddressClaim".equals(o.getKind()))
                  .map(o -> o.getUid())
                  .findFirst()
                  .orElse(null);
          String claimUid = claimUidByName.get(address.getMetadata().getName());
          if (claimUid == null) {
            orphans.add(address.getMetadata().getName());
          } else if (!claimUid.equals(owner)) {
            notOwn.add(address.getMetadata().getName());
          }
        }
        holdersByAddress.values().removeIf(names -> names.size() < 2);
        InClusterIPPool served =
            client.resources(InClusterIPPool.class).inNamespace(namespace).withName(POOL).get();
        int ledgerEntries =
            served.getStatus() == null || served.getStatus().getAllocations() == null
                ? 0
                : served.getStatus().getAllocations().size();
        System.out.printf(
            "E2E in-cluster split-brain: %d claims created by %d workers in %d ms; %s %d ms after the"
                + " first create; IPAddresses %d, addresses held twice %d, not their claim's %d,"
                + " orphans %d; ledger entries %d; allocations decided %s %d, %s %d%n",
            CLAIMS,
            WORKERS,
            createdMillis,
            allServed ? "every claim served" : "NOT every claim served",
            servedMillis,
            addresses.size(),
            holdersByAddress.size(),
            notOwn.size(),
            orphans.size(),
            ledgerEntries,
            first.name(),
            first.allocationsLogged(),
            second.name(),
            second.allocationsLogged());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(allServed).as("every claim served within %s", SERVE_TIMEOUT).isTrue();
        soft.assertThat(holdersByAddress).as("addresses held by two IPAddresses").isEmpty();
        soft.assertThat(notOwn).as("IPAddresses owned by another claim than theirs").isEmpty();
        soft.assertThat(orphans).as("IPAddresses without their claim").isEmpty();
        soft.assertThat(addresses).as("IPAddresses").hasSize(CLAIMS);
        soft.assertThat(ledgerMatches(client, namespace))
            .as("status.allocations equals the IPAddresses (address and claim uid)")
            .isTrue();
        soft.assertThat(first.isAlive()).as(first.name() + " alive").isTrue();
        soft.assertThat(second.isAlive()).as(second.name() + " alive").isTrue();
        soft.assertAll();
      }
    }
  }

  /** Whether the pool's ledger holds exactly the IPAddresses: each address for its claim's uid. */
  private static boolean ledgerMatches(KubernetesClient client, String namespace) {
    InClusterIPPool pool =
        client.resources(InClusterIPPool.class).inNamespace(namespace).withName(POOL).get();
    Map<String, String> ledger = new HashMap<>();
    if (pool.getStatus() != null && pool.getStatus().getAllocations() != null) {
      for (AllocationRecord record : pool.getStatus().getAllocations()) {
        ledger.put(record.getAddress(), record.getUid());
      }
    }
    Map<String, String> objects = new HashMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      address.getMetadata().getOwnerReferences().stream()
          .filter(o -> "IPAddressClaim".equals(o.getKind()))
          .findFirst()
          .ifPresent(o -> objects.put(address.getSpec().getAddress(), o.getUid()));
    }
    return ledger.equals(objects);
  }

  private static void createClaimsAtOnce(KubernetesClient client, String namespace, int count)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "claim-%05d".formatted(i);
        created.add(
            workers.submit(
                () -> {
                  try {
                    new ThroughputDialect.InCluster().createClaim(client, namespace, POOL, name);
                  } catch (KubernetesClientException e) {
                    // A retried create whose first answer was lost: our names are unique.
                    if (e.getCode() != 409) {
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> future : created) {
        future.get(10, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdownNow();
    }
  }
}
