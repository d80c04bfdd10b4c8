package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.AllocationRecord;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@value #SERVICES} core Services of our class created at once by {@value #WORKERS} workers, in
 * three namespaces each served by its own pool (a /24 of 253 addresses): every Service gets one
 * ingress address, of its namespace's pool, no address twice, and each pool's ledger is exactly its
 * Services (address and uid). The local control plane's Service range is a /16 for this ({@code
 * LoopbackApiServer.SERVICE_CIDR}): Services of type LoadBalancer need ClusterIPs.
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterServiceBurstIT {
  static final int SERVICES = 500;
  private static final int WORKERS = 8;
  private static final List<String> NAMESPACES = List.of("burst-a", "burst-b", "burst-c");
  private static final List<String> SUBNETS =
      List.of("10.100.0.0/24", "10.101.0.0/24", "10.102.0.0/24");
  private static final Duration SERVE_TIMEOUT = Duration.ofMinutes(10);

  @Test
  void everyServiceGetsAnAddressOfItsPoolAndNoAddressIsHandedOutTwice(KubernetesClient client)
      throws Exception {
    try (HarvesterHarness harness = HarvesterHarness.start(client)) {
      for (int i = 0; i < NAMESPACES.size(); i++) {
        HarvesterHarness.createNamespace(client, NAMESPACES.get(i));
        HarvesterHarness.createPool(
            client,
            NAMESPACES.get(i),
            "ranges:\n- subnet: "
                + SUBNETS.get(i)
                + "\nselector:\n  scope:\n  - namespace: "
                + NAMESPACES.get(i));
      }
      long start = System.nanoTime();
      createAtOnce(client);
      long createdMillis = millisSince(start);
      Awaitility.await()
          .atMost(SERVE_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> servedCount(client) == SERVICES);
      long servedMillis = millisSince(start);

      Map<String, List<String>> holders = new HashMap<>();
      SoftAssertions soft = new SoftAssertions();
      Map<String, String> servicesByPool = new HashMap<>();
      for (int n = 0; n < NAMESPACES.size(); n++) {
        Cidr subnet = IpParser.parseCidr(SUBNETS.get(n)).orElseThrow();
        Map<String, String> ledger = new HashMap<>();
        for (Service service : client.services().inNamespace(NAMESPACES.get(n)).list().getItems()) {
          List<String> ingress = ServiceWrites.ingressIps(service);
          String name = NAMESPACES.get(n) + "/" + service.getMetadata().getName();
          soft.assertThat(ingress).as(name).hasSize(1);
          for (String ip : ingress) {
            holders.computeIfAbsent(ip, k -> new ArrayList<>()).add(name);
            soft.assertThat(subnet.contains(Ip.parse(ip))).as(name + " " + ip).isTrue();
            ledger.put(ip, service.getMetadata().getUid());
          }
        }
        servicesByPool.put(NAMESPACES.get(n), Integer.toString(ledger.size()));
        String pool = NAMESPACES.get(n);
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(ledgerOf(client, pool)).isEqualTo(ledger));
      }
      holders.values().removeIf(names -> names.size() < 2);
      System.out.printf(
          "IT Harvester Service burst: %d Services by %d workers in %d ms, all served %d ms after"
              + " the first create; per pool %s; addresses held twice %d%n",
          SERVICES, WORKERS, createdMillis, servedMillis, servicesByPool, holders.size());
      soft.assertThat(holders).as("addresses held by two Services").isEmpty();
      soft.assertAll();
    }
  }

  private static Map<String, String> ledgerOf(KubernetesClient client, String pool) {
    Map<String, String> ledger = new HashMap<>();
    IPPool live = client.resources(IPPool.class).withName(pool).get();
    if (live.getStatus() != null && live.getStatus().getAllocations() != null) {
      for (AllocationRecord record : live.getStatus().getAllocations()) {
        ledger.put(record.getIp(), record.getUid());
      }
    }
    return ledger;
  }

  private static long servedCount(KubernetesClient client) {
    long served = 0;
    for (String namespace : NAMESPACES) {
      served +=
          client.services().inNamespace(namespace).list().getItems().stream()
              .filter(s -> ServiceWrites.ingressIps(s).size() == 1)
              .count();
    }
    return served;
  }

  /** Service i goes to namespace i mod 3: 167, 167 and 166 Services. */
  private static void createAtOnce(KubernetesClient client) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < SERVICES; i++) {
        Service service =
            HarvesterServiceIT.service(
                NAMESPACES.get(i % NAMESPACES.size()),
                "svc-%04d".formatted(i),
                HarvesterApi.LOAD_BALANCER_CLASS);
        created.add(
            workers.submit(
                () -> {
                  try {
                    client.resource(service).create();
                  } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) { // a retried create whose first answer was lost
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

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
