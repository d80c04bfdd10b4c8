package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * and nothing deleted keeps a finalizer ({@link CampaignAudit}). {@link CampaignScenario#BADINPUT}
 * adds no fault but bad input ({@link CampaignBadInput}), stored beside the pool with webhooks off
 * ({@link CampaignScenario#BADINPUT_WEBHOOKS}: on, the dialect's webhooks registered as a
 * deployment has them): the same promises must hold, and no controller may crash. How long claims
 * take to be served ({@link CampaignServeTimes}) is reported, never asserted.
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

  /**
   * Every scenario for every kind of claim. Against kind, whose API server and etcd the campaign
   * cannot kill, the short form's storm becomes kill9, so that hack/e2e-kind.sh runs a campaign
   * too.
   */
  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    boolean external = E2eSettings.externalKubeconfig().isPresent();
    for (CampaignScenario named : SETTINGS.scenarios()) {
      CampaignScenario scenario =
          external && named == CampaignScenario.STORM ? CampaignScenario.KILL9 : named;
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
    // One name for every run: a configuration a failed run left is removed before this run creates
    // anything (it would send the dialect's writes to a controller that is gone).
    String webhooks = "reliability-campaign";
    try (KubernetesClient client = new TargetCluster.Cluster(kubeconfig).newClient()) {
      LoopbackWebhooks.unregister(client, webhooks);
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
      LoopbackWebhooks.Serving serving = null;
      if (scenario.webhooks()) {
        serving = LoopbackWebhooks.prepare(E2eSettings.logDirectory().resolve(webhooks + "-tls"));
        flags.addAll(serving.flags());
      } else {
        flags.add("--webhook-port=0");
      }
      try (CampaignFaults faults =
          new CampaignFaults(
              "rel-" + dialect.name() + "-" + scenario.label(),
              flags,
              scenario.controllers(),
              namespace,
              external ? null : plane,
              SETTINGS.apiServerOutage(),
              SETTINGS.etcdOutage(),
              SETTINGS.recreations())) {
        faults.startControllers();
        if (serving != null) {
          // Every object of the dialect's groups, the run's own only: the runs come one at a time.
          LoopbackWebhooks.register(client, webhooks, serving, dialect.apiGroups(), null, null);
        }
        CampaignResult result = run(dialect, scenario, client, namespace, pool, faults);
        result.record(SETTINGS.resultsFile());
        System.out.println(result.line());
        assertHolds(result);
      } finally {
        try {
          if (serving != null) {
            // Before the cleanup: the controller that answered them is gone (failurePolicy Fail).
            // If this fails, the next run removes them before it starts.
            LoopbackWebhooks.unregister(client, webhooks);
          }
          client.namespaces().withName(namespace).delete();
          dialect.cleanUp(client, namespace, pool);
        } catch (RuntimeException e) {
          // The run's own failure, if any, is the one to see; a plane left broken fails the next.
          System.err.println("RELIABILITY cleanup of " + namespace + " failed: " + e);
        }
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
    CampaignServeTimes serveTimes = new CampaignServeTimes();
    CampaignWorkload workload =
        new CampaignWorkload(
            dialect,
            client,
            namespace,
            pool,
            SETTINGS.claims(),
            SETTINGS.deletes(),
            SETTINGS.spread(),
            serveTimes::creating);
    faults.workingWhile(() -> !workload.done());
    faults.badInputFrom(
        () -> CampaignBadInput.createAll(client, dialect.invalidObjects(client, namespace, pool)));
    DuplicateWatch watch = new DuplicateWatch(() -> dialect.audit(client, namespace, pool));
    SharedIndexInformer<?> servedInformer = serveTimes.watch(dialect, client, namespace);
    long start = System.nanoTime();
    long quietNanos;
    boolean settled;
    try {
      watch.start();
      workload.start();
      CompletableFuture<Void> injected =
          CompletableFuture.runAsync(() -> scenario.inject(faults, workload, SETTINGS.claims()));
      try {
        workload.await();
      } finally {
        // A failed workload is done too: the faults stop, and the run ends here with its failure.
        injected.get(10, TimeUnit.MINUTES);
      }
      quietNanos = System.nanoTime();
      SettleProgress progress = new SettleProgress();
      Duration settleTimeout = SETTINGS.settleTimeout();
      try {
        settled =
            Awaits.quietly(
                settleTimeout,
                () -> {
                  CampaignAudit audit = dialect.audit(client, namespace, pool);
                  boolean clean =
                      audit.clean() && audit.liveClaims().equals(workload.expectedClaims());
                  if (!clean) {
                    progress.report(dialect.name(), audit, workload.expectedClaims());
                  }
                  return clean;
                });
      } finally {
        watch.stop();
      }
    } finally {
      servedInformer.stop();
    }
    long settledNanos = System.nanoTime();
    CampaignAudit last = dialect.audit(client, namespace, pool);
    if (!settled) {
      // Why a claim waits is in its status: the run's output says it, not only the audit's count.
      for (String name : last.unserved().stream().limit(3).toList()) {
        System.out.printf(
            "RELIABILITY %s unserved %s: %s%n",
            dialect.name(), name, dialect.statusOf(client, namespace, name));
      }
    }
    CampaignBadInput.Outcome badInput = faults.badInputOutcome();
    printBadInput(dialect, badInput);
    Set<String> invalidServed = new TreeSet<>(serveTimes.servedInvalid());
    invalidServed.retainAll(badInput.mustNotBeServed());
    Duration drain = drain(dialect, client, namespace, pool, last.liveClaims());
    return new CampaignResult(
        dialect.name(),
        scenario.label(),
        workload.created(),
        workload.deleted(),
        faults.controllerKills(),
        faults.apiServerOutages(),
        faults.etcdRestarts(),
        faults.leaderKills(),
        faults.recreated(),
        faults.faultsWhileWorking(),
        workload.retries(),
        watch.heldTwiceSeen(),
        watch.looks(),
        missing(workload.expectedClaims(), last.liveClaims()),
        missing(last.liveClaims(), workload.expectedClaims()),
        last,
        settled,
        Duration.ofNanos(settledNanos - start),
        Duration.ofNanos(settledNanos - quietNanos),
        drain,
        faults.crashes(),
        faults.allocationsByController(),
        badInput,
        invalidServed,
        serveTimes.figures(faults.badInputStartedNanos(), false),
        faults.badInputStartedNanos() == 0
            ? CampaignServeTimes.Figures.NONE
            : serveTimes.figures(faults.badInputStartedNanos(), true));
  }

  /** Each bad object and the API server's answer to it, one line each, for docs/reliability.md. */
  private static void printBadInput(CampaignDialect dialect, CampaignBadInput.Outcome badInput) {
    if (badInput.attempted() == 0) {
      return;
    }
    System.out.printf(
        "RELIABILITY %s bad input: %d objects, %d stored, %d refused by the API server's schema,"
            + " %d denied by a webhook, %d failed otherwise, created in %d ms from %d threads%n",
        dialect.name(),
        badInput.attempted(),
        badInput.stored().size(),
        badInput.refused().size(),
        badInput.denied().size(),
        badInput.failed().size(),
        badInput.took().toMillis(),
        CampaignBadInput.THREADS);
    badInput
        .stored()
        .forEach(o -> System.out.printf("RELIABILITY-BADINPUT %s stored %s%n", dialect.name(), o));
    badInput
        .refused()
        .forEach(o -> System.out.printf("RELIABILITY-BADINPUT %s refused %s%n", dialect.name(), o));
    badInput
        .denied()
        .forEach(o -> System.out.printf("RELIABILITY-BADINPUT %s denied %s%n", dialect.name(), o));
    badInput
        .failed()
        .forEach(o -> System.out.printf("RELIABILITY-BADINPUT %s failed %s%n", dialect.name(), o));
  }

  /**
   * Deletes every claim left, the controllers still running, and waits until nothing is left: no
   * claim, nothing held, nothing stuck. Returns how long that took, or null when it did not end
   * within the settle timeout.
   */
  private static Duration drain(
      CampaignDialect dialect,
      KubernetesClient client,
      String namespace,
      String pool,
      Set<String> claims) {
    long start = System.nanoTime();
    claims.forEach(name -> dialect.deleteClaim(client, namespace, name));
    boolean drained =
        Awaits.quietly(
            SETTINGS.settleTimeout(),
            () -> {
              CampaignAudit audit = dialect.audit(client, namespace, pool);
              return audit.liveClaims().isEmpty()
                  && audit.stuck().isEmpty()
                  && audit.orphans().isEmpty()
                  && audit.heldTwice().isEmpty();
            });
    return drained ? Duration.ofNanos(System.nanoTime() - start) : null;
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
    soft.assertThat(result.watchLooks()).as("looks for duplicates during the run").isPositive();
    soft.assertThat(result.crashes()).as("controllers that exited by themselves").isEmpty();
    soft.assertThat(result.drain())
        .as("every claim deleted at the end, released and gone within " + SETTINGS.settleTimeout())
        .isNotNull();
    if (result.faultsInjected() > 0) {
      soft.assertThat(result.faultsWhileWorking())
          .as("faults that came while claims were created or deleted")
          .isPositive();
    }
    if (CampaignScenario.valueOf(result.scenario().toUpperCase(java.util.Locale.ROOT)).badInput()) {
      soft.assertThat(result.badInput().attempted())
          .as("invalid objects tried")
          .isGreaterThanOrEqualTo(CampaignBadInput.MIN_PER_KIND);
      soft.assertThat(result.badInput().failed())
          .as("invalid objects neither stored nor refused (a webhook that did not answer, say)")
          .isEmpty();
    }
    soft.assertAll();
    // RECREATE's last incarnation is a claim of its own.
    assertThat(result.claims())
        .as("claims created")
        .isEqualTo(SETTINGS.claims() + (result.recreations() > 0 ? 1 : 0));
  }

  private static synchronized RestartablePlane plane() {
    if (plane == null) {
      plane = RestartablePlane.start(E2eSettings.logDirectory().resolve("reliability-plane"));
    }
    return plane;
  }

  /**
   * What a slow settle is waiting for, printed every 15 s: why a run takes long shows in its log.
   */
  private static final class SettleProgress {
    private long lastNanos = System.nanoTime();

    void report(String dialect, CampaignAudit audit, Set<String> expected) {
      if (System.nanoTime() - lastNanos < Duration.ofSeconds(15).toNanos()) {
        return;
      }
      lastNanos = System.nanoTime();
      System.out.printf(
          "RELIABILITY %s settling at %s: %s; expected but not there %s%n",
          dialect,
          java.time.Instant.now(),
          audit.summary(),
          CampaignAudit.few(missing(expected, audit.liveClaims())));
    }
  }
}
