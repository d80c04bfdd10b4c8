package org.ipam.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run of the reliability campaign did and found: one row of {@code
 * target/reliability/results.csv} and one {@code RELIABILITY} line in the test output
 * (docs/reliability.md is written from them).
 *
 * @param recreations incarnations made of the one claim name of {@link CampaignScenario#RECREATE}
 * @param faultsWhileWorking faults that began while claims were still created or deleted
 * @param watchLooks how many looks {@link DuplicateWatch} took during the run
 * @param lost claims created and not deleted that are gone at the end
 * @param unexpected claims that exist at the end though deleted (or never created)
 * @param settled whether the last audit was clean within the settle timeout
 * @param total from the first create to settled
 * @param settle from the last create or delete answered and the last fault over, to settled
 * @param drain how long it took, once settled, to delete every claim left and see everything
 *     released and gone (null: it did not end within the settle timeout)
 * @param crashes controllers that exited without being killed
 * @param badInput what the API server answered to the bad input of {@link
 *     CampaignScenario#BADINPUT} ({@link CampaignBadInput.Outcome#NONE} in the other scenarios)
 * @param invalidServed bad claims seen served that no controller may serve
 * @param serveBefore serve times of the claims whose create was first tried before the bad input
 *     began (every claim, in a scenario without bad input)
 * @param serveAfter serve times of the claims whose create was first tried after it began
 */
record CampaignResult(
    String dialect,
    String scenario,
    int claims,
    int deletes,
    int controllerKills,
    int apiServerOutages,
    int etcdRestarts,
    int leaderKills,
    int recreations,
    int faultsWhileWorking,
    int writesRetried,
    Set<String> heldTwiceSeen,
    int watchLooks,
    Set<String> lost,
    Set<String> unexpected,
    CampaignAudit audit,
    boolean settled,
    Duration total,
    Duration settle,
    Duration drain,
    List<String> crashes,
    String allocationsByController,
    CampaignBadInput.Outcome badInput,
    Set<String> invalidServed,
    CampaignServeTimes.Figures serveBefore,
    CampaignServeTimes.Figures serveAfter) {

  /** Faults injected: kills of a controller or of the leader, API server outages, etcd restarts. */
  int faultsInjected() {
    return controllerKills + apiServerOutages + etcdRestarts + leaderKills;
  }

  /** Addresses held twice, during the run or at its end. */
  int duplicates() {
    Set<String> all = new java.util.TreeSet<>(heldTwiceSeen);
    all.addAll(audit.heldTwice());
    return all.size();
  }

  /** The figures of the run, by column name, in the order of the CSV file. */
  private Map<String, Object> figures() {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("dialect", dialect);
    figures.put("scenario", scenario);
    figures.put("claims", claims);
    figures.put("deletes", deletes);
    figures.put("controller_kills", controllerKills);
    figures.put("apiserver_outages", apiServerOutages);
    figures.put("etcd_restarts", etcdRestarts);
    figures.put("leader_kills", leaderKills);
    figures.put("recreations", recreations);
    figures.put("faults_while_working", faultsWhileWorking);
    figures.put("writes_retried", writesRetried);
    figures.put("held_twice", duplicates());
    figures.put("watch_looks", watchLooks);
    figures.put("lost", lost.size());
    figures.put("unserved", audit.unserved().size());
    figures.put("orphans", audit.orphans().size());
    figures.put("status_mismatch", audit.statusMismatch().size());
    figures.put("stuck", audit.stuck().size());
    figures.put("crashes", crashes.size());
    figures.put("settled", settled);
    figures.put("total_s", seconds(total));
    figures.put("settle_s", seconds(settle));
    figures.put("drain_s", drain == null ? "not-drained" : seconds(drain));
    // Added after the first results: new columns go last, so that older rows keep their places.
    figures.put("invalid_attempted", badInput.attempted());
    figures.put("invalid_stored", badInput.stored().size());
    figures.put("invalid_refused", badInput.refused().size());
    figures.put("invalid_failed", badInput.failed().size());
    figures.put("invalid_served", invalidServed.size());
    figures.put("serve_before_n", serveBefore.served());
    figures.put("serve_ms_before_p50", serveBefore.p50());
    figures.put("serve_ms_before_p90", serveBefore.p90());
    figures.put("serve_after_n", serveAfter.served());
    figures.put("serve_ms_after_p50", serveAfter.p50());
    figures.put("serve_ms_after_p90", serveAfter.p90());
    figures.put("invalid_denied", badInput.denied().size());
    return figures;
  }

  private static String seconds(Duration duration) {
    return "%.1f".formatted(duration.toMillis() / 1000.0);
  }

  String line() {
    StringBuilder line = new StringBuilder("RELIABILITY");
    figures().forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
    return line.append("; ")
        .append(audit.summary())
        .append("; lost ")
        .append(CampaignAudit.few(lost))
        .append(", deleted but there ")
        .append(CampaignAudit.few(unexpected))
        .append("; allocations logged by the last controllers: ")
        .append(allocationsByController)
        .append(crashes.isEmpty() ? "" : "; crashes: " + crashes)
        .append(
            badInput.failed().isEmpty()
                ? ""
                : "; bad input failed otherwise: " + CampaignAudit.few(badInput.failed()))
        .append(
            invalidServed.isEmpty()
                ? ""
                : "; bad claims served: " + CampaignAudit.few(invalidServed))
        .toString();
  }

  /** Appends the row to the results file (its header first when the file is new). */
  void record(Path file) {
    Map<String, Object> figures = figures();
    String header = "time," + String.join(",", figures.keySet());
    String row =
        Instant.now()
            + ","
            + String.join(",", figures.values().stream().map(String::valueOf).toList());
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, header + "\n");
      }
      Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
