package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reliability campaign (docs/reliability.md): for every kind of claim of every dialect ({@link
 * CampaignDialect}), claims created and deleted at once on one pool while faults are injected
 * ({@link CampaignScenario}): the controller killed with kill -9, the API server killed and started
 * again later, etcd killed and started again. Then, once things settle: every claim that was not
 * deleted exists and is served, no address is held for two claims (watched during the run too), no
 * address object or ledger entry is left without its claim, the pool's status equals the objects,
 * and nothing deleted keeps a finalizer ({@link CampaignAudit}).
 *
 * <p>The API server and etcd belong to a plane of the campaign's own ({@link RestartablePlane}), so
 * killing them touches no other test. Against a cluster given with {@code -Dipam.e2e.kubeconfig}
 * (kind) only the controller is killed.
 *
 * <p>{@code mvn verify} runs the short form ({@link CampaignSettings}); {@code hack/reliability.sh}
 * the full sizes.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class ReliabilityCampaignIT {
  private static final CampaignSettings SETTINGS = CampaignSettings.fromSystemProperties();
  private static RestartablePlane plane;

  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (CampaignScenario scenario : SETTINGS.scenarios()) {
      for (CampaignDialect dialect : SETTINGS.dialects()) {
        runs.add(Arguments.of(dialect, scenario));
      }
    }
    return runs.stream();
  }

  @AfterAll
  static void stopPlane() {
    if (plane != null) {
      plane.close();
      plane = null;
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runs")
  void nothingHandedOutTwiceNothingLost(CampaignDialect dialect, CampaignScenario scenario)
      throws Exception {
    boolean external = E2eSettings.externalKubeconfig().isPresent();
    Assumptions.assumeFalse(
        external && scenario.needsPlane(), "the API server and etcd of kind are not killed");
    Path kubeconfig = external ? E2eSettings.externalKubeconfig().get() : plane().kubeconfig();
    String namespace = "rel-" + dialect.name() + "-" + UUID.randomUUID().toString().substring(0, 6);
    String pool = namespace + "-pool";
    try (KubernetesClient client = new TargetCluster.Cluster(kubeconfig).newClient()) {
      dialect.installCrds(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      dialect.createPool(client, namespace, pool, SETTINGS.claims());
      List<String> flags = new ArrayList<>();
      flags.add("--kubeconfig=" + kubeconfig);
      flags.addAll(dialect.controllerFlags());
      if (dialect.namespaced()) {
        flags.add("--namespaces=" + namespace);
      }
      // One process at a time: a restart does not wait out a dead process's Lease.
      flags.addAll(List.of("--no-leader-elect", "--webhook-port=0"));
      try (CampaignFaults faults =
          new CampaignFaults(
              "rel-" + dialect.name() + "-" + scenario.label(),
              flags,
              external ? null : plane,
              SETTINGS.apiServerOutage(),
              SETTINGS.etcdOutage())) {
        faults.startController();
        CampaignResult result = run(dialect, scenario, client, namespace, pool, faults);
        result.record(SETTINGS.resultsFile());
        System.out.println(result.line());
        assertHolds(result);
      } finally {
        dialect.cleanUp(client, namespace, pool);
      }
    }
  }

  private static CampaignResult run(
      CampaignDialect dialect,
      CampaignScenario scenario,
      KubernetesClient client,
      String namespace,
      String pool,
      CampaignFaults faults)
      throws Exception {
    CampaignWorkload workload =
        new CampaignWorkload(
            dialect,
            client,
            namespace,
            pool,
            SETTINGS.claims(),
            SETTINGS.deletes(),
            SETTINGS.spread());
    DuplicateWatch watch = new DuplicateWatch(() -> dialect.audit(client, namespace, pool));
    long start = System.nanoTime();
    watch.start();
    workload.start();
    CompletableFuture<Void> injected =
        CompletableFuture.runAsync(() -> scenario.inject(faults, workload, SETTINGS.claims()));
    workload.await();
    injected.get();
    Duration settleTimeout = SETTINGS.settleTimeout();
    boolean settled =
        Awaits.quietly(
            settleTimeout,
            () -> {
              CampaignAudit audit = dialect.audit(client, namespace, pool);
              return audit.clean() && audit.liveClaims().equals(workload.expectedClaims());
            });
    long settledNanos = System.nanoTime();
    watch.stop();
    CampaignAudit last = dialect.audit(client, namespace, pool);
    return new CampaignResult(
        dialect.name(),
        scenario.label(),
        workload.created(),
        workload.deleted(),
        faults.controllerKills(),
        faults.apiServerOutages(),
        faults.etcdRestarts(),
        workload.retries(),
        watch.heldTwiceSeen(),
        missing(workload.expectedClaims(), last.liveClaims()),
        missing(last.liveClaims(), workload.expectedClaims()),
        last,
        settled,
        Duration.ofNanos(settledNanos - start),
        Duration.ofNanos(Math.max(0, settledNanos - faults.lastFaultOverNanos())),
        faults.controller().isAlive());
  }

  private static Set<String> missing(Set<String> from, Set<String> in) {
    Set<String> missing = new TreeSet<>(from);
    missing.removeAll(in);
    return missing;
  }

  private static void assertHolds(CampaignResult result) {
    SoftAssertions soft = new SoftAssertions();
    CampaignAudit audit = result.audit();
    soft.assertThat(result.heldTwiceSeen()).as("addresses held twice during the run").isEmpty();
    soft.assertThat(audit.heldTwice()).as("addresses held twice at the end").isEmpty();
    soft.assertThat(result.lost()).as("claims lost (created, not deleted, gone)").isEmpty();
    soft.assertThat(result.unexpected()).as("claims deleted but still there").isEmpty();
    soft.assertThat(audit.unserved()).as("claims not served").isEmpty();
    soft.assertThat(audit.orphans()).as("address objects or entries without their claim").isEmpty();
    soft.assertThat(audit.notOwn()).as("claims shown an address not held for them").isEmpty();
    soft.assertThat(audit.statusMismatch()).as("pool status against the objects").isEmpty();
    soft.assertThat(audit.stuck()).as("objects deleted but kept by a finalizer").isEmpty();
    soft.assertThat(result.settled()).as("settled within " + SETTINGS.settleTimeout()).isTrue();
    soft.assertThat(result.controllerAlive()).as("the last controller alive").isTrue();
    soft.assertAll();
    assertThat(result.claims()).as("claims created").isEqualTo(SETTINGS.claims());
  }

  private static synchronized RestartablePlane plane() {
    if (plane == null) {
      plane = RestartablePlane.start(E2eSettings.logDirectory().resolve("reliability-plane"));
    }
    return plane;
  }
}
