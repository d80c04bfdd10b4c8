package org.ipam.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of the throughput harness, as one line of output and one row of {@code
 * target/throughput/results.csv}. See {@link ThroughputHarness} for what each figure means; {@code
 * commit} is the working tree's ({@code -dirty} with uncommitted changes), {@code jar} the first 10
 * hex digits of the SHA-1 of the controller jar that ran.
 */
record ThroughputResult(
    String timestamp,
    String commit,
    String label,
    String dialect,
    int n,
    int concurrency,
    int served,
    double seconds,
    double claimsPerSecond,
    double writesPerClaim,
    double controllerWritesPerClaim,
    double readsPerClaim,
    double cpuSeconds,
    double cpuMsPerClaim,
    double startupCpuSeconds,
    double peakRssMiB,
    double rawSeconds,
    double rawLimitPerSecond,
    double fractionOfRaw,
    double singleClaimMs,
    double firstServedMs,
    double createSeconds,
    double loadAverage,
    boolean profiled,
    String jar,
    boolean webhooks) {

  static final String HEADER =
      "timestamp,commit,label,dialect,n,concurrency,served,seconds,claimsPerSecond,writesPerClaim,"
          + "controllerWritesPerClaim,readsPerClaim,cpuSeconds,cpuMsPerClaim,startupCpuSeconds,"
          + "peakRssMiB,rawSeconds,rawLimitPerSecond,fractionOfRaw,singleClaimMs,firstServedMs,"
          + "createSeconds,loadAverage,profiled,jar,webhooks";

  /** The result line, {@code THROUGHPUT dialect=... n=... ...}. */
  String line() {
    return String.format(
        Locale.ROOT,
        "THROUGHPUT dialect=%s n=%d concurrency=%d seconds=%.2f claimsPerSecond=%.1f"
            + " writesPerClaim=%.2f controllerWritesPerClaim=%.2f cpuSeconds=%.2f cpuMsPerClaim=%.2f"
            + " peakRssMiB=%.0f rawLimitPerSecond=%.1f fractionOfRaw=%.3f singleClaimMs=%.0f"
            + " served=%d readsPerClaim=%.2f startupCpuSeconds=%.2f rawSeconds=%.2f"
            + " firstServedMs=%.0f createSeconds=%.2f loadAverage=%.2f profiled=%b webhooks=%b commit=%s jar=%s%s",
        dialect,
        n,
        concurrency,
        seconds,
        claimsPerSecond,
        writesPerClaim,
        controllerWritesPerClaim,
        cpuSeconds,
        cpuMsPerClaim,
        peakRssMiB,
        rawLimitPerSecond,
        fractionOfRaw,
        singleClaimMs,
        served,
        readsPerClaim,
        startupCpuSeconds,
        rawSeconds,
        firstServedMs,
        createSeconds,
        loadAverage,
        profiled,
        webhooks,
        commit,
        jar,
        label.isEmpty() ? "" : " label=" + label);
  }

  String csv() {
    return String.join(
        ",",
        timestamp,
        clean(commit),
        clean(label),
        dialect,
        Integer.toString(n),
        Integer.toString(concurrency),
        Integer.toString(served),
        f(seconds, 3),
        f(claimsPerSecond, 2),
        f(writesPerClaim, 3),
        f(controllerWritesPerClaim, 3),
        f(readsPerClaim, 3),
        f(cpuSeconds, 3),
        f(cpuMsPerClaim, 3),
        f(startupCpuSeconds, 3),
        f(peakRssMiB, 1),
        f(rawSeconds, 3),
        f(rawLimitPerSecond, 2),
        f(fractionOfRaw, 4),
        f(singleClaimMs, 1),
        f(firstServedMs, 1),
        f(createSeconds, 3),
        f(loadAverage, 2),
        Boolean.toString(profiled),
        clean(jar),
        Boolean.toString(webhooks));
  }

  /**
   * Appends the row, with the header first when the file is new; a file of an older header (fewer
   * columns) is rewritten with this one first, its rows kept.
   */
  void append(Path csv) throws IOException {
    Files.createDirectories(csv.toAbsolutePath().getParent());
    StringBuilder text = new StringBuilder();
    if (Files.exists(csv) && Files.size(csv) > 0) {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      if (!lines.get(0).equals(HEADER)) {
        StringBuilder rewritten = new StringBuilder(HEADER).append('\n');
        for (ThroughputResult row : read(csv)) {
          rewritten.append(row.csv()).append('\n');
        }
        Files.writeString(csv, rewritten, StandardCharsets.UTF_8);
      }
    } else {
      text.append(HEADER).append('\n');
    }
    text.append(csv()).append('\n');
    Files.writeString(
        csv,
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  /** Every row of a results file, by its header's column names (older files may lack columns). */
  static List<ThroughputResult> read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<ThroughputResult> rows = new ArrayList<>();
    if (lines.isEmpty()) {
      return rows;
    }
    String[] header = lines.get(0).split(",", -1);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length && i < cells.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(
          new ThroughputResult(
              row.getOrDefault("timestamp", ""),
              row.getOrDefault("commit", ""),
              row.getOrDefault("label", ""),
              row.getOrDefault("dialect", "?"),
              (int) d(row, "n"),
              (int) d(row, "concurrency"),
              (int) d(row, "served"),
              d(row, "seconds"),
              d(row, "claimsPerSecond"),
              d(row, "writesPerClaim"),
              d(row, "controllerWritesPerClaim"),
              d(row, "readsPerClaim"),
              d(row, "cpuSeconds"),
              d(row, "cpuMsPerClaim"),
              d(row, "startupCpuSeconds"),
              d(row, "peakRssMiB"),
              d(row, "rawSeconds"),
              d(row, "rawLimitPerSecond"),
              d(row, "fractionOfRaw"),
              d(row, "singleClaimMs"),
              d(row, "firstServedMs"),
              d(row, "createSeconds"),
              d(row, "loadAverage"),
              Boolean.parseBoolean(row.getOrDefault("profiled", "false")),
              row.getOrDefault("jar", ""),
              Boolean.parseBoolean(row.getOrDefault("webhooks", "false"))));
    }
    return rows;
  }

  private static double d(Map<String, String> row, String column) {
    String cell = row.get(column);
    if (cell == null || cell.isBlank()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String f(double value, int decimals) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "";
  }

  private static String clean(String text) {
    return text.replace(',', ';').replace('\n', ' ');
  }
}
