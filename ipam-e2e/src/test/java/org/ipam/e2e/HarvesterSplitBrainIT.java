package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.ipam.e2e.TargetCluster.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Split brain on the Harvester dialect: two controller processes with leader election off, three
 * IPPools (a /24 each, one namespace each), and N core Services of type LoadBalancer of our class
 * created at once by 8 workers, spread over the three namespaces. Only each pool's ledger ({@code
 * status.allocations}, one resourceVersion-guarded write per pass) keeps the two writers apart.
 * Once every Service shows an ingress address: no address held by two Services, and each pool's
 * ledger equal to its Services (address and uid). The CRDs are applied from {@code
 * config/crd/harvester}, as a user deploys them.
 *
 * <p>N is {@value #DEFAULT_SERVICES} in {@code mvn verify}, or {@code
 * -Dipam.e2e.harvester.splitbrain.services=N} (at most 759).
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class HarvesterSplitBrainIT {
  static final int DEFAULT_SERVICES = 500;
  static final int SERVICES =
      Integer.getInteger("ipam.e2e.harvester.splitbrain.services", DEFAULT_SERVICES);
  private static final int WORKERS = 8;
  private static final int POOLS = 3;
  private static final String CLASS = "ipam.org/harvester";
  private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(300).plusMillis(300L * SERVICES);
  private static final ResourceDefinitionContext IP_POOLS =
      new ResourceDefinitionContext.Builder()
          .withGroup("loadbalancer.harvesterhci.io")
          .withVersion("v1beta1")
          .withKind("IPPool")
          .withPlural("ippools")
          .withNamespaced(false)
          .build();

  @Test
  void twoControllersWithoutLeaderElectionNeverHandOutOneAddressTwice(Cluster cluster)
      throws Exception {
    String prefix = "e2e-hv-split-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < POOLS; i++) {
      namespaces.add(prefix + "-" + (char) ('a' + i));
    }
    Kubectl kubectl = new Kubectl(cluster.kubeconfig());
    kubectl.run(
        "apply", "-k", E2eSettings.repositoryRoot().resolve("config/crd/harvester").toString());
    kubectl.run(
        "wait",
        "--for=condition=established",
        "--timeout=60s",
        "crd/ippools.loadbalancer.harvesterhci.io",
        "crd/ippools.networking.harvesterhci.io",
        "crd/loadbalancers.loadbalancer.harvesterhci.io");
    try (KubernetesClient client = cluster.newClient()) {
      for (int i = 0; i < POOLS; i++) {
        String namespace = namespaces.get(i);
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
        client
            .genericKubernetesResources(IP_POOLS)
            .resource(
                client
                    .getKubernetesSerialization()
                    .unmarshal(
                        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                            + "metadata:\n  name: "
                            + namespace
                            + "\nspec:\n  ranges:\n  - subnet: 10."
                            + (120 + i)
                            + ".0.0/24\n  selector:\n    scope:\n    - namespace: "
                            + namespace
                            + "\n",
                        GenericKubernetesResource.class))
            .create();
      }
      List<String> flags =
          List.of(
              "--kubeconfig=" + cluster.kubeconfig(),
              "--adapters=harvester",
              "--no-leader-elect",
              "--webhook-port=0");
      try (ControllerProcess first = ControllerProcess.start("harvester-split-a", flags);
          ControllerProcess second = ControllerProcess.start("harvester-split-b", flags)) {
        try {
          splitBrain(client, namespaces, first, second);
        } finally {
          cleanUp(client, namespaces);
        }
      }
    }
  }

  private static void splitBrain(
      KubernetesClient client,
      List<String> namespaces,
      ControllerProcess first,
      ControllerProcess second)
      throws Exception {
    first.awaitReady(Duration.ofMinutes(3));
    second.awaitReady(Duration.ofMinutes(3));

    long start = System.nanoTime();
    createServicesAtOnce(client, namespaces);
    long createdMillis = Metal3SplitBrainIT.millisSince(start);
    boolean allServed =
        Awaits.quietly(SERVE_TIMEOUT, () -> served(client, namespaces).size() == SERVICES);
    long servedMillis = Metal3SplitBrainIT.millisSince(start);
    // The ledgers settle after the last Service is served (its last write, its last event).
    Awaits.quietly(Duration.ofSeconds(60), () -> ledgersMatch(client, namespaces));

    Map<String, List<String>> holders = new HashMap<>();
    served(client, namespaces)
        .forEach((name, ip) -> holders.computeIfAbsent(ip, k -> new ArrayList<>()).add(name));
    holders.values().removeIf(names -> names.size() < 2);
    int ledgerEntries = 0;
    for (String pool : namespaces) {
      ledgerEntries += ledgerOf(client, pool).size();
    }
    System.out.printf(
        "E2E Harvester split-brain: %d Services over %d pools created by %d workers in %d ms;"
            + " %s %d ms after the first create; addresses held twice %d; ledger entries %d;"
            + " allocations decided %s %d, %s %d%n",
        SERVICES,
        POOLS,
        WORKERS,
        createdMillis,
        allServed ? "every Service served" : "NOT every Service served",
        servedMillis,
        holders.size(),
        ledgerEntries,
        first.name(),
        first.allocationsLogged(),
        second.name(),
        second.allocationsLogged());

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(allServed).as("every Service served within %s", SERVE_TIMEOUT).isTrue();
    soft.assertThat(holders).as("addresses held by two Services").isEmpty();
    soft.assertThat(ledgersMatch(client, namespaces))
        .as("each pool's status.allocations equals its Services (address and uid)")
        .isTrue();
    soft.assertThat(first.isAlive()).as(first.name() + " alive").isTrue();
    soft.assertThat(second.isAlive()).as(second.name() + " alive").isTrue();
    soft.assertAll();
  }

  /**
   * Service ({@code namespace/name}) to its one ingress address, for the Services that show exactly
   * one.
   */
  private static Map<String, String> served(KubernetesClient client, List<String> namespaces) {
    Map<String, String> served = new HashMap<>();
    for (String namespace : namespaces) {
      for (Service service : client.services().inNamespace(namespace).list().getItems()) {
        List<String> ips = ingress(service);
        if (ips.size() == 1) {
          served.put(namespace + "/" + service.getMetadata().getName(), ips.get(0));
        }
      }
    }
    return served;
  }

  private static List<String> ingress(Service service) {
    if (service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .map(LoadBalancerIngress::getIp)
        .filter(Objects::nonNull)
        .toList();
  }

  /** Whether each pool's ledger holds exactly its namespace's Services: address to uid. */
  private static boolean ledgersMatch(KubernetesClient client, List<String> namespaces) {
    for (String namespace : namespaces) {
      Map<String, String> objects = new HashMap<>();
      for (Service service : client.services().inNamespace(namespace).list().getItems()) {
        ingress(service).forEach(ip -> objects.put(ip, service.getMetadata().getUid()));
      }
      if (!ledgerOf(client, namespace).equals(objects)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> ledgerOf(KubernetesClient client, String pool) {
    GenericKubernetesResource live =
        client.genericKubernetesResources(IP_POOLS).withName(pool).get();
    Map<String, String> ledger = new HashMap<>();
    Object status = live == null ? null : live.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> fields && fields.get("allocations") instanceof List<?> list) {
      for (Object entry : list) {
        Map<String, Object> record = (Map<String, Object>) entry;
        ledger.put((String) record.get("ip"), (String) record.get("uid"));
      }
    }
    return ledger;
  }

  /** Service i goes to namespace i mod 3. */
  private static void createServicesAtOnce(KubernetesClient client, List<String> namespaces)
      throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < SERVICES; i++) {
        Service service =
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespaces.get(i % namespaces.size()))
                .withName("svc-%05d".formatted(i))
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .withLoadBalancerClass(CLASS)
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build();
        created.add(
            workers.submit(
                () -> {
                  try {
                    client.resource(service).create();
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

  /**
   * On a cluster given by kubeconfig, the namespaces and pools go while the controllers still run
   * (they hold the finalizers): the cluster is left as it was, and a rerun's pools do not overlap
   * these. The local control plane is thrown away with the run (and releasing 500 Services takes
   * minutes).
   */
  private static void cleanUp(KubernetesClient client, List<String> namespaces) {
    if (E2eSettings.externalKubeconfig().isEmpty()) {
      return;
    }
    for (String namespace : namespaces) {
      client.namespaces().withName(namespace).delete();
    }
    Awaits.quietly(
        Duration.ofMinutes(2),
        () -> namespaces.stream().allMatch(n -> ledgerOf(client, n).isEmpty()));
    for (String pool : namespaces) {
      client.genericKubernetesResources(IP_POOLS).withName(pool).delete();
    }
    Awaits.quietly(
        Duration.ofMinutes(1),
        () ->
            namespaces.stream()
                .allMatch(
                    n -> client.genericKubernetesResources(IP_POOLS).withName(n).get() == null));
  }
}
