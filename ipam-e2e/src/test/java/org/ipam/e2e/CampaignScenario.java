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
  KILL9(false) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      faults.killControllerUntil(workload::done);
    }
  },
  /** kill -9 of the kube-apiserver, started again after the outage; etcd kept. */
  APISERVER(true) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.apiServerOutage();
    }
  },
  /** kill -9 of etcd, started again on its data. */
  ETCD(true) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      awaitThird(workload, claims);
      faults.etcdRestart();
    }
  },
  /**
   * The short form in {@code mvn verify}: the three above in one run, one after another: a kill -9
   * of the controller, an API server outage, another kill -9, an etcd restart.
   */
  STORM(true) {
    @Override
    void inject(CampaignFaults faults, CampaignWorkload workload, int claims) {
      faults.killController();
      faults.apiServerOutage();
      faults.killController();
      faults.etcdRestart();
    }
  };

  private final boolean needsPlane;

  CampaignScenario(boolean needsPlane) {
    this.needsPlane = needsPlane;
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
    Awaits.quietly(
        java.time.Duration.ofMinutes(5),
        () -> workload.done() || workload.createdSoFar() >= claims / 3);
  }

  /** The scenarios of a comma-separated list of names ("all": the three single ones). */
  static List<CampaignScenario> named(String names) {
    if (names.equals("all")) {
      return List.of(KILL9, APISERVER, ETCD);
    }
    return Arrays.stream(names.split(","))
        .map(name -> CampaignScenario.valueOf(name.trim().toUpperCase(Locale.ROOT)))
        .toList();
  }
}
