package org.ipam.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What goes wrong during one run of the reliability campaign, while its claims are created and
 * deleted. The API server and etcd scenarios wait until a third of the creates are answered, so
 * that the fault lands in the middle of the work.
 */
enum CampaignScenario {
  /** kill -9 of the controller every 3 to 8 s, started again, until every create is answered. */
  KILL9(false, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      faults.killControllerUntil(workload::done);
    }
  },
  /** kill -9 of the kube-apiserver, started again after the outage; etcd kept. */
  APISERVER(true, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.apiServerOutage();
    }
  },
  /** kill -9 of etcd, started again on its data. */
  ETCD(true, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.etcdRestart();
    }
  },
  /**
   * The short form in {@code mvn verify}: the three above in one run, one after another, each once
   * a further fifth of the creates is answered: a kill -9 of the controller, an API server outage,
   * another kill -9, an etcd restart.
   */
  STORM(true, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitCreated(workload, claims, 1, 5);
      faults.killController();
      awaitCreated(workload, claims, 2, 5);
      faults.apiServerOutage();
      awaitCreated(workload, claims, 3, 5);
      faults.killController();
      awaitCreated(workload, claims, 4, 5);
      faults.etcdRestart();
    }
  },
  /**
   * One claim name deleted and created again {@code ipam.e2e.reliability.recreations} times while
   * the others come ({@link CampaignWorkload#recreate}); one controller, no other fault.
   */
  RECREATE(false, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      faults.recreated(workload.recreate("again", faults.recreations()));
    }
  },
  /**
   * Split brain: two controllers with leader election off serve the same pool for the whole run;
   * only the commit strategies keep them apart. No other fault.
   */
  SPLITBRAIN(false, CampaignFaults.Controllers.TWO_WITHOUT_LEADER_ELECTION) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {}
  },
  /**
   * Two controllers on one Lease; kill -9 of the leader once a third of the creates are answered (a
   * new standby is started); the other takes over when the Lease expires.
   */
  FAILOVER(false, CampaignFaults.Controllers.TWO_ON_ONE_LEASE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.killLeader();
    }
  },
  /**
   * No fault and no bad input: the same workload on one controller, its serve times split where
   * {@link #BADINPUT} brings its bad input (a third of the creates answered). Later claims wait
   * longer than early ones in any run (a backlog builds while they come faster than they are
   * served), so the bad input runs' "after" is compared with this run's.
   */
  BASELINE(false, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.noBadInput();
    }
  },
  /**
   * Bad input with webhooks off (the campaign's controllers run without them): once a third of the
   * creates are answered, the dialect's invalid objects ({@link CampaignDialect#invalidObjects})
   * are created at once beside the pool. One controller, nothing killed: it must not crash, and the
   * pool must serve on as before (its serve times, before and after, are reported).
   */
  BADINPUT(false, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.badInput();
    }
  },
  /**
   * The same bad input with the dialect's webhooks on, as a deployment has them (validating, and
   * the claim finalizers; {@link LoopbackWebhooks}): the workload's claims go through them too. The
   * webhooks refuse most of it, naming field and value; what they admit (a LoadBalancer naming a
   * pool that does not exist, a Service asking for an address) is stored, and the controller must
   * cope with it as with webhooks off.
   */
  BADINPUT_WEBHOOKS(false, CampaignFaults.Controllers.ONE) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      BADINPUT.inject(faults, workload, claims);
    }

    @Override
    boolean webhooks() {
      return true;
    }
  };

  private final boolean needsPlane;
  private final CampaignFaults.Controllers controllers;

  CampaignScenario(boolean needsPlane, CampaignFaults.Controllers controllers) {
    this.needsPlane = needsPlane;
    this.controllers = controllers;
  }

  /** The controllers the run starts. */
  CampaignFaults.Controllers controllers() {
    return controllers;
  }

  /** Whether the controllers serve the dialect's webhooks, registered with the API server. */
  boolean webhooks() {
    return false;
  }

  /** Whether it brings bad input. */
  boolean badInput() {
    return this == BADINPUT || this == BADINPUT_WEBHOOKS;
  }

  /** Whether it kills the API server or etcd (only on the suite's own local control plane). */
  boolean needsPlane() {
    return needsPlane;
  }

  /** Does the scenario's faults; returns once the last is over. */
  abstract void inject(CampaignFaults faults, CampaignWorkload workload, int claims);

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static void awaitThird(CampaignWorkload workload, int claims) {
    awaitCreated(workload, claims, 1, 3);
  }

  /** Waits until {@code parts / of} of the creates are answered (or the workload ended). */
  private static void awaitCreated(CampaignWorkload workload, int claims, int parts, int of) {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
    while (!workload.done()
        && workload.createdSoFar() < (long) claims * parts / of
        && System.nanoTime() < deadline) {
      ControllerProcess.sleep(java.time.Duration.ofMillis(50));
    }
  }

  /** The scenarios of a comma-separated list of names ("all": every one but the storm). */
  static List<CampaignScenario> named(String names) {
    if (names.equals("all")) {
      return List.of(
          KILL9,
          APISERVER,
          ETCD,
          SPLITBRAIN,
          FAILOVER,
          RECREATE,
          BASELINE,
          BADINPUT,
          BADINPUT_WEBHOOKS);
    }
    return Arrays.stream(names.split(","))
        .map(name -> CampaignScenario.valueOf(name.trim().toUpperCase(Locale.ROOT)))
        .toList();
  }
}
