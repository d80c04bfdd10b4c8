package org.ipam.core.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the allocator benchmarks (or, given {@code EngineBenchmarks...}, the engine's) and prints
 * one line per case: {@code BENCH <case> <metric>=<value> ...}. Medians are over the measured
 * single-shot iterations. Retained heap is measured here, outside JMH, on the churn pool. Run it
 * with the command in docs/performance.md.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException {
    String include = args.length > 0 ? args[0] : AllocatorBenchmarks.class.getSimpleName();
    if (include.equals("memory")) {
      measureChurnMemory();
      return;
    }
    // The engine benchmarks keep the iterations their annotations give (short: the machine is
    // shared); the allocator's get the 2 + 7 single shots docs/performance.md describes.
    boolean engine = include.startsWith(EngineBenchmarks.class.getSimpleName());
    OptionsBuilder builder = new OptionsBuilder();
    builder
        .include(include)
        .forks(1)
        .jvmArgs("-Xms6g", "-Xmx6g", "-XX:+UseParallelGC")
        .shouldFailOnError(true);
    if (!engine) {
      builder.warmupIterations(2).measurementIterations(7);
    }
    Options options = builder.build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> baseline = new HashMap<>();
    Map<String, Double> sequentialV4 = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      double median = result.getPrimaryResult().getStatistics().getPercentile(50);
      switch (name) {
        case "sequentialFill" -> {
          String cidr = result.getParams().getParam("cidr");
          String fill = result.getParams().getParam("fill");
          print(
              "sequential-fill-" + cidr,
              "fill=" + fill,
              "median_ns_per_allocation=" + format(median));
          if (cidr.startsWith("10.")) {
            sequentialV4.put(fill, median);
          }
        }
        case "linearScanBaseline" -> {
          String fill = result.getParams().getParam("fill");
          print(
              "linear-scan-baseline-10.0.0.0/8",
              "fill=" + fill,
              "median_ns_per_allocation=" + format(median));
          baseline.put(fill, median);
        }
        case "churn" ->
            print("churn-10.16.0.0/12-at-50%", "median_ns_per_operation=" + format(median));
        case "rebuild" ->
            print("rebuild-1000000-random-in-10.0.0.0/8", "median_ms=" + format(median / 1e6));
        case "parseAddresses" ->
            print(
                "parse-1000000-addresses",
                "median_ns_per_address=" + format(median),
                "total_ms=" + format(median));
        case "blocksUntilFull" ->
            print("blocks-/28-from-10.0.0.0/8-until-full", "median_ns_per_block=" + format(median));
        case "serveOneClaim", "serveOneClaimWithStatus" ->
            print(
                "engine-" + name + "-in-pool-of-" + EngineBenchmarks.HELD,
                "mean_us_per_pass="
                    + format(result.getPrimaryResult().getScore())
                    + "+-"
                    + format(result.getPrimaryResult().getScoreError()));
        case "releaseAtOnce", "releaseAtOnceAndForget" -> {
          int count = Integer.parseInt(result.getParams().getParam("count"));
          print(
              "engine-" + name,
              "claims=" + count,
              "median_ms=" + format(median / 1e3),
              "median_us_per_claim=" + format(median / count));
        }
        case "startup" ->
            print(
                "engine-startup-" + EngineBenchmarks.HELD + "-objects",
                "with_claims=" + result.getParams().getParam("withClaims"),
                "median_ms=" + format(median / 1e3));
        default -> print(name, "median_ns=" + format(median));
      }
    }
    baseline.forEach(
        (fill, ns) -> {
          Double ours = sequentialV4.get(fill);
          if (ours != null) {
            print("speedup-vs-linear-scan", "fill=" + fill, "ratio=" + format(ns / ours));
          }
        });
    if (!engine) {
      measureChurnMemory();
    }
  }

  /**
   * Retained heap of the churn pool (allocator and owner index; the owner strings themselves are
   * not counted).
   */
  private static void measureChurnMemory() {
    AllocatorBenchmarks.Churn churn = new AllocatorBenchmarks.Churn();
    String[] owners = Owners.names(AllocatorBenchmarks.Churn.SIZE * 2);
    long before = usedHeapAfterGc();
    churn.fragment(owners);
    for (int i = 0; i < 200_000; i++) {
      churn.releaseRandom();
      churn.allocateNext();
    }
    long after = usedHeapAfterGc();
    // The benchmark's own bookkeeping of who holds what is not the allocator's.
    long bytes = after - before - (long) churn.held.length * Integer.BYTES;
    int allocated = churn.allocator.allocationCount();
    print(
        "churn-memory-10.16.0.0/12-at-50%",
        "allocated=" + allocated,
        "occupied_intervals=" + churn.allocator.occupiedIntervalCount(),
        "retained_bytes_per_address=" + format((double) bytes / allocated));
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void print(String name, String... metrics) {
    System.out.println("BENCH " + name + " " + String.join(" ", metrics));
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
