package org.ipam.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one run of the reliability campaign did and found: one row of {@code
 * target/reliability/results.csv} and one {@code RELIABILITY} line in the test output
 * (docs/reliability.md is written from them).
 *
 * @param lost claims created and not deleted that are gone at the end
 * @param unexpected claims that exist at the end though deleted (or never created)
 * @param settled whether the last audit was clean within the settle timeout
 * @param total from the first create to settled
 * @param recovery from the end of the last fault to settled
 */
record CampaignResult(
    String dialect,
    String scenario,
    int claims,
    int deletes,
    int controllerKills,
    int apiServerOutages,
    int etcdRestarts,
    int writesRetried,
    Set<String> heldTwiceSeen,
    Set<String> lost,
    Set<String> unexpected,
    CampaignAudit audit,
    boolean settled,
    Duration total,
    Duration recovery,
    boolean controllerAlive) {
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
    figures.put("writes_retried", writesRetried);
    figures.put("held_twice", duplicates());
    figures.put("lost", lost.size());
    figures.put("unserved", audit.unserved().size());
    figures.put("orphans", audit.orphans().size());
    figures.put("status_mismatch", audit.statusMismatch().size());
    figures.put("stuck", audit.stuck().size());
    figures.put("settled", settled);
    figures.put("total_s", "%.1f".formatted(total.toMillis() / 1000.0));
    figures.put("recovery_s", "%.1f".formatted(recovery.toMillis() / 1000.0));
    return figures;
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
