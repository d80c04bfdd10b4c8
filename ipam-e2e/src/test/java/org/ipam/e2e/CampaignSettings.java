package org.ipam.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The sizes of the reliability campaign, from system properties: the short form by default (what
 * {@code mvn verify} runs: every kind of claim, the {@link CampaignScenario#STORM} scenario, 100
 * claims of which 25 are deleted, created over 30 s, a 5 s API server outage), the full form from
 * {@code hack/reliability.sh} (2,000 claims, 500 deleted, created over 60 s, each scenario on its
 * own, a 20 s outage).
 *
 * <ul>
 *   <li>{@code ipam.e2e.reliability.dialects}: names of {@link CampaignDialect#all}, or "all"
 *   <li>{@code ipam.e2e.reliability.scenarios}: names of {@link CampaignScenario}, or "all"
 *   <li>{@code ipam.e2e.reliability.claims}, {@code ipam.e2e.reliability.deletes}
 *   <li>{@code ipam.e2e.reliability.spread-seconds}: the creates come at an even pace over this
 *   <li>{@code ipam.e2e.reliability.apiserver-outage-seconds}, {@code
 *       ipam.e2e.reliability.etcd-outage-seconds}
 *   <li>{@code ipam.e2e.reliability.recreations}: incarnations of the one name of {@link
 *       CampaignScenario#RECREATE}
 *   <li>{@code ipam.e2e.reliability.results}: the CSV file each run appends its row to
 * </ul>
 */
record CampaignSettings(
    List<CampaignDialect> dialects,
    List<CampaignScenario> scenarios,
    int claims,
    int deletes,
    Duration spread,
    Duration apiServerOutage,
    Duration etcdOutage,
    int recreations,
    Path resultsFile) {
  private static final String PREFIX = "ipam.e2e.reliability.";

  static CampaignSettings fromSystemProperties() {
    return new CampaignSettings(
        CampaignDialect.named(System.getProperty(PREFIX + "dialects", "all")),
        CampaignScenario.named(System.getProperty(PREFIX + "scenarios", "storm")),
        Integer.getInteger(PREFIX + "claims", 100),
        Integer.getInteger(PREFIX + "deletes", 25),
        Duration.ofSeconds(Integer.getInteger(PREFIX + "spread-seconds", 30)),
        Duration.ofSeconds(Integer.getInteger(PREFIX + "apiserver-outage-seconds", 5)),
        Duration.ofSeconds(Integer.getInteger(PREFIX + "etcd-outage-seconds", 3)),
        Integer.getInteger(PREFIX + "recreations", 20),
        Path.of(
                System.getProperty(
                    PREFIX + "results",
                    E2eSettings.logDirectory()
                        .resolveSibling("reliability/results.csv")
                        .toString()))
            .toAbsolutePath());
  }

  /** How long a run may take to settle once its last fault is over and its writes answered. */
  Duration settleTimeout() {
    return Duration.ofSeconds(120).plusMillis(150L * claims);
  }
}
