package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ipam.core.testing.LocalControlPlane;

/**
 * The throughput harness of issue 12, a command ({@code hack/throughput.sh DIALECT N
 * [CONCURRENCY]}), not a test. One run:
 *
 * <ol>
 *   <li>a fresh local control plane (kube-apiserver and etcd, {@link LocalControlPlane}); the
 *       dialect's CRDs and a trivial probe CRD installed; the client warmed up on a few objects
 *       (not counted);
 *   <li>one pool of N + {@value #SINGLE_CLAIMS} + 16 addresses, and an informer on the claims of
 *       the namespace (the harness sees a claim served from its watch events, no polling);
 *   <li>the packaged controller ({@code ipam-controller.jar}) started as its own process, {@code
 *       java -jar} with the JVM options the README runs it with ({@link
 *       ControllerProcess#USER_JVM_OPTIONS}), {@code --kubeconfig}, the dialect's {@code
 *       --adapters}, {@code --namespaces} of the run, {@code --no-leader-elect} and {@code
 *       --webhook-port=0} (as the e2e tests run it); ready, then left until the API server has seen
 *       no write for 3 s;
 *   <li>the burst: N claims created at once by CONCURRENCY workers; {@code seconds} runs from the
 *       first create to the informer's event that shows the last claim served; then the harness
 *       waits again until no write for 3 s (the controller's trailing writes, a pool status,
 *       count);
 *   <li>API writes from the API server's own {@code apiserver_request_total} (verbs POST, PUT,
 *       PATCH, DELETE, APPLY, DELETECOLLECTION), before the burst and after that wait: {@code
 *       writesPerClaim} counts every write, the workload's N creates included; {@code
 *       controllerWritesPerClaim} leaves out the creates of the claim resource (only the workload
 *       creates claims). The API server's own lease renewals (a few per 10 s) are in both;
 *   <li>controller CPU ({@code utime + stime} of {@code /proc/PID/stat}) over the same interval
 *       ({@code cpuSeconds}, {@code cpuMsPerClaim}); the CPU it used to start and become ready
 *       ({@code startupCpuSeconds}); its peak RSS ({@code VmHWM}) at the end of the run;
 *   <li>{@code singleClaimMs}: on the now idle controller, {@value #SINGLE_CLAIMS} claims one after
 *       the other, each timed from its create to the event that shows it served; the median;
 *   <li>the controller stopped; then the raw write limit on the same API server: N probes created
 *       and each given a status (create, then PUT status, per object) by CONCURRENCY workers:
 *       {@code rawLimitPerSecond = N / seconds for those N creates plus N status updates}, the rate
 *       at which the API server takes the minimum a served claim costs (its create and one status
 *       write); {@code fractionOfRaw = claimsPerSecond / rawLimitPerSecond}.
 * </ol>
 *
 * <p>Prints one {@code THROUGHPUT ...} line and appends it to {@code
 * target/throughput/results.csv}. With {@code --jfr} first, the controller is profiled over the
 * burst (JFR started through {@code jcmd} once it is ready, settings=profile) and the run's row is
 * marked {@code profiled=true}; the recording's hot frames are printed ({@link ThroughputProfile}).
 */
public final class ThroughputHarness {
  static final String NAMESPACE = "throughput";
  static final String RAW_NAMESPACE = "throughput-raw";
  static final String WARMUP_NAMESPACE = "throughput-warmup";
  static final String POOL = "pool";
  static final String BURST_PREFIX = "c-";
  static final int SINGLE_CLAIMS = 5;
  static final Duration QUIET = Duration.ofSeconds(3);
  static final Duration STALL = Duration.ofMinutes(3);

  private ThroughputHarness() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.out.flush();
    System.err.flush();
    // exec:java would otherwise wait for the client libraries' non-daemon threads.
    System.exit(status);
  }

  private static int run(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean jfr = rest.remove("--jfr");
    boolean webhooks = rest.remove("--webhooks");
    if (rest.size() < 2 || rest.size() > 3) {
      System.err.println("usage: ThroughputHarness [--jfr] [--webhooks] DIALECT N [CONCURRENCY]");
      return 2;
    }
    ThroughputDialect dialect = ThroughputDialect.of(rest.get(0));
    int n = Integer.parseInt(rest.get(1).replace("_", "").replace(",", ""));
    int concurrency = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 8;
    Path out = outputDirectory();
    Files.createDirectories(out);
    String runId =
        dialect.name()
            + "-"
            + n
            + "-"
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
    double load = loadAverage();
    log(
        "run %s: %d claims, %d workers; %d CPUs, load average %.2f; JDK %s; commit %s",
        runId,
        n,
        concurrency,
        Runtime.getRuntime().availableProcessors(),
        load,
        System.getProperty("java.version"),
        commit());
    log("controller jar %s (sha1 %s)", E2eSettings.controllerJar(), jarDigest());

    AtomicReference<ControllerProcess> controllerRef = new AtomicReference<>();
    LocalControlPlane plane = new LocalControlPlane();
    Thread cleanup =
        new Thread(
            () -> {
              ControllerProcess c = controllerRef.getAndSet(null);
              if (c != null) {
                c.close();
              }
              plane.close();
            },
            "throughput-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    // The controller reads its kubeconfig from a file; it goes when the run (and its API server)
    // ends.
    Path kubeconfig = out.resolve(runId + ".kubeconfig");
    try {
      plane.start();
      Files.writeString(kubeconfig, plane.kubeconfig());
      try (KubernetesClient client = plane.newClient()) {
        ThroughputResult result =
            measure(
                client,
                kubeconfig,
                dialect,
                n,
                concurrency,
                runId,
                out,
                jfr,
                webhooks,
                load,
                controllerRef);
        System.out.println(result.line());
        Path csv = out.resolve("results.csv");
        result.append(csv);
        log("appended to %s", csv);
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
      cleanup.run();
      Files.deleteIfExists(kubeconfig);
    }
    return 0;
  }

  private static ThroughputResult measure(
      KubernetesClient client,
      Path kubeconfig,
      ThroughputDialect dialect,
      int n,
      int concurrency,
      String runId,
      Path out,
      boolean jfr,
      boolean webhooks,
      double load,
      AtomicReference<ControllerProcess> controllerRef)
      throws Exception {
    dialect.installCrds(client);
    ThroughputRawLimit.installCrd(client);
    for (String namespace : List.of(NAMESPACE, RAW_NAMESPACE, WARMUP_NAMESPACE)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    // The harness's own client warms up (class loading, connections) where nothing watches.
    ThroughputRawLimit.run(client, WARMUP_NAMESPACE, "warm", 4 * concurrency, concurrency);
    for (int i = 0; i < 2 * concurrency; i++) {
      dialect.createClaim(client, WARMUP_NAMESPACE, POOL, "warm-" + i);
    }

    dialect.createPool(client, NAMESPACE, POOL, n + SINGLE_CLAIMS + 16);
    Served served = new Served();
    SharedIndexInformer<?> informer = dialect.informServed(client, NAMESPACE, served::mark);
    try {
      awaitSynced(informer);
      List<String> flags = new ArrayList<>();
      flags.add("--kubeconfig=" + kubeconfig.toAbsolutePath());
      flags.addAll(dialect.controllerFlags());
      if (dialect.namespaced()) {
        flags.add("--namespaces=" + NAMESPACE);
      }
      flags.add("--no-leader-elect");
      LoopbackWebhooks.Serving serving =
          webhooks ? LoopbackWebhooks.prepare(out.resolve(runId + "-webhook-certs")) : null;
      flags.addAll(serving == null ? List.of("--webhook-port=0") : serving.flags());
      List<String> jvmOptions = controllerJvmOptions();
      log(
          "controller JVM options (%s): %s",
          jvmOptions.equals(ControllerProcess.USER_JVM_OPTIONS)
              ? "as shipped"
              : "an experiment, not as shipped",
          jvmOptions);
      ControllerProcess controller = ControllerProcess.start(runId, jvmOptions, flags);
      controllerRef.set(controller);
      long pid = controller.handle().pid();
      controller.awaitReady(Duration.ofMinutes(3));
      log("controller pid %d ready, log %s", pid, controller.logFile());
      if (serving != null) {
        // Registered once the controller serves them (the validating ones refuse writes until
        // then): every write of the dialect's groups goes through them, as in a cluster.
        LoopbackWebhooks.register(client, "throughput", serving, dialect.apiGroups(), null, null);
        log("webhooks of %s registered (validating and claim finalizers)", dialect.apiGroups());
      }
      settle(client, Duration.ofSeconds(60));

      Path recording = out.resolve(runId + ".jfr");
      if (jfr) {
        log(
            "%s",
            jcmd(
                pid,
                "JFR.start",
                "name=throughput",
                "settings=profile",
                "filename=" + recording.toAbsolutePath()));
      }
      ThroughputApiMetrics before = ThroughputApiMetrics.scrape(client);
      Map<String, Double> othersBefore = otherCpu();
      double cpuBefore = ThroughputProc.cpuSeconds(pid);
      Map<Long, ThroughputProc.ThreadCpu> threadsBefore = ThroughputProc.threads(pid);
      long self = ProcessHandle.current().pid();
      Map<Long, ThroughputProc.ThreadCpu> harnessBefore = ThroughputProc.threads(self);
      log("startup: %.2f s CPU, %.0f MiB RSS", cpuBefore, ThroughputProc.rssMiB(pid));

      // The burst.
      AtomicInteger created = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(concurrency);
      long start = System.nanoTime();
      List<Future<?>> creates = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String name = BURST_PREFIX + "%05d".formatted(i);
        creates.add(
            workers.submit(
                () -> {
                  createClaim(client, dialect, name);
                  created.incrementAndGet();
                }));
      }
      Duration timeout = Duration.ofMinutes(5).plusMillis(100L * n);
      long deadline = start + timeout.toNanos();
      long createdAt = 0;
      long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
      int lastCount = 0;
      long lastChange = start;
      while (served.burst() < n && System.nanoTime() < deadline) {
        served.awaitChange(Duration.ofMillis(500));
        if (served.burst() != lastCount) {
          lastCount = served.burst();
          lastChange = System.nanoTime();
        } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
          log("no claim served for %d s: giving up", STALL.toSeconds());
          break;
        }
        if (createdAt == 0 && created.get() == n) {
          createdAt = System.nanoTime();
        }
        if (System.nanoTime() > nextProgress) {
          nextProgress += TimeUnit.SECONDS.toNanos(5);
          log(
              "%5.1f s: created %d, served %d of %d; controller %.1f s CPU, %.0f MiB RSS",
              (System.nanoTime() - start) / 1e9,
              created.get(),
              served.burst(),
              n,
              ThroughputProc.cpuSeconds(pid) - cpuBefore,
              ThroughputProc.rssMiB(pid));
        }
        if (!controller.isAlive()) {
          throw new IllegalStateException("the controller exited:\n" + controller.logTail());
        }
      }
      for (Future<?> f : creates) {
        f.get(10, TimeUnit.MINUTES);
      }
      workers.shutdown();
      if (createdAt == 0) {
        createdAt = System.nanoTime();
      }
      int servedCount = served.burst();
      boolean complete = servedCount == n;
      double seconds = complete ? (served.lastBurst() - start) / 1e9 : Double.NaN;
      double firstServedMs = servedCount > 0 ? (served.firstBurst() - start) / 1e6 : Double.NaN;
      double createSeconds = (createdAt - start) / 1e9;
      log(
          "%s: %d of %d served, %.2f s after the first create (creates took %.2f s, the first"
              + " claim served after %.0f ms)",
          complete ? "done" : "TIMEOUT",
          servedCount,
          n,
          complete ? seconds : (System.nanoTime() - start) / 1e9,
          createSeconds,
          firstServedMs);

      ThroughputApiMetrics after = settle(client, Duration.ofSeconds(60));
      double cpuAfter = ThroughputProc.cpuSeconds(pid);
      Map<String, Double> othersAfter = otherCpu();
      Map<Long, ThroughputProc.ThreadCpu> threadsAfter = ThroughputProc.threads(pid);
      Map<Long, ThroughputProc.ThreadCpu> harnessAfter = ThroughputProc.threads(self);
      if (jfr) {
        log(
            "%s",
            jcmd(pid, "JFR.dump", "name=throughput", "filename=" + recording.toAbsolutePath()));
        log("%s", jcmd(pid, "JFR.stop", "name=throughput"));
      }
      ThroughputApiMetrics counted = after.minus(before);
      long writes = counted.writes();
      long workloadCreates = counted.count("POST", dialect.claimResource());
      long reads = counted.reads() - nonResource(counted);
      double cpuSeconds = cpuAfter - cpuBefore;
      log("API writes during the burst: %d (%s)", writes, counted.writesText());
      log("API reads during the burst (all clients, the harness's informer included): %d", reads);
      log(
          "watches open after the burst, by resource (the harness's claim informer is one of them): %s",
          counted.watches().entrySet().stream()
              .filter(e -> e.getValue() > 0)
              .collect(
                  java.util.stream.Collectors.toMap(
                      Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new)));
      log(
          "CPU from the first create until the writes stopped: controller %.2f s, %s",
          cpuSeconds,
          othersAfter.entrySet().stream()
              .map(
                  e ->
                      String.format(
                          Locale.ROOT,
                          "%s %.2f s",
                          e.getKey(),
                          e.getValue() - othersBefore.getOrDefault(e.getKey(), 0.0)))
              .collect(java.util.stream.Collectors.joining(", ")));
      printThreads(
          "controller", ThroughputProc.cpuByThreadGroup(threadsBefore, threadsAfter), cpuSeconds);
      printThreads(
          "harness (this JVM: the workload's client, the informer, the /metrics scrapes)",
          ThroughputProc.cpuByThreadGroup(harnessBefore, harnessAfter),
          othersAfter.get("harness") - othersBefore.get("harness"));

      // One claim at a time on the idle controller.
      List<Double> singles = new ArrayList<>();
      for (int i = 0; i < (complete ? SINGLE_CLAIMS : 1); i++) {
        String name = "single-" + i;
        long t0 = System.nanoTime();
        createClaim(client, dialect, name);
        Long at = served.awaitName(name, Duration.ofSeconds(60));
        singles.add(at == null ? Double.NaN : (at - t0) / 1e6);
        ControllerProcess.sleep(Duration.ofMillis(500));
      }
      List<Double> sorted = singles.stream().sorted().toList();
      double singleClaimMs = sorted.get(sorted.size() / 2);
      log("single claims on the idle controller, ms: %s; median %.0f", singles, singleClaimMs);

      double peakRss = ThroughputProc.peakRssMiB(pid);
      log("controller JVM: %s", jcmd(pid, "VM.command_line").replace('\n', ' '));
      log("controller JVM flags: %s", jcmd(pid, "VM.flags").replace('\n', ' '));
      controllerRef.set(null);
      controller.close();

      // The raw write limit of this API server, the controller stopped.
      double rawSeconds = ThroughputRawLimit.run(client, RAW_NAMESPACE, "p", n, concurrency);
      double rawLimit = n / rawSeconds;
      log(
          "raw: %d creates plus %d status updates in %.2f s: %.1f per second",
          n, n, rawSeconds, rawLimit);
      double claimsPerSecond = complete ? n / seconds : Double.NaN;
      if (jfr) {
        log("profile of the burst, %s:", recording);
        ThroughputProfile.summarise(recording, 15, System.out);
      }
      return new ThroughputResult(
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
          commit(),
          System.getProperty("throughput.label", ""),
          dialect.name(),
          n,
          concurrency,
          servedCount,
          seconds,
          claimsPerSecond,
          (double) writes / n,
          (double) (writes - workloadCreates) / n,
          (double) reads / n,
          cpuSeconds,
          cpuSeconds * 1000 / n,
          cpuBefore,
          peakRss,
          rawSeconds,
          rawLimit,
          claimsPerSecond / rawLimit,
          singleClaimMs,
          firstServedMs,
          createSeconds,
          load,
          jfr,
          jarDigest(),
          webhooks);
    } finally {
      informer.close();
    }
  }

  /** A create; AlreadyExists counts as done (a retried create whose first answer was lost). */
  private static void createClaim(KubernetesClient client, ThroughputDialect dialect, String name) {
    for (int attempt = 1; ; attempt++) {
      try {
        dialect.createClaim(client, NAMESPACE, POOL, name);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return;
        }
        if (attempt >= 5) {
          throw e;
        }
        ControllerProcess.sleep(Duration.ofMillis(200L * attempt));
      }
    }
  }

  private static long nonResource(ThroughputApiMetrics counted) {
    return counted.byVerbAndResource().entrySet().stream()
        .filter(e -> e.getKey().endsWith(" (none)"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static void printThreads(
      String process, List<Map.Entry<String, Double>> groups, double processCpu) {
    double seen = groups.stream().mapToDouble(Map.Entry::getValue).sum();
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Double> group : groups.subList(0, Math.min(12, groups.size()))) {
      text.append(
          String.format(
              Locale.ROOT,
              "%n    %7.2f s  %5.1f %%  %s",
              group.getValue(),
              100 * group.getValue() / processCpu,
              group.getKey()));
    }
    log(
        "%s CPU during the burst: %.2f s, by thread (live threads %.2f s, threads that"
            + " ended %.2f s):%s",
        process, processCpu, seen, Math.max(0, processCpu - seen), text);
  }

  /**
   * CPU seconds so far of the processes the controller competes with: the API server and etcd
   * (children of this JVM, started by kube-api-test) and this harness (its client and informer).
   */
  private static Map<String, Double> otherCpu() {
    Map<String, Double> cpu = new java.util.TreeMap<>();
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              String command = p.info().command().orElse("");
              String name = Path.of(command.isEmpty() ? "?" : command).getFileName().toString();
              // etcd is a wrapper script that runs etcd-server.
              if (name.equals("kube-apiserver") || name.startsWith("etcd")) {
                cpu.merge(
                    name.startsWith("etcd") ? "etcd" : name,
                    ThroughputProc.cpuSeconds(p.pid()),
                    Double::sum);
              }
            });
    cpu.put("harness", ThroughputProc.cpuSeconds(ProcessHandle.current().pid()));
    return cpu;
  }

  /** Waits until the API server has seen no write for {@link #QUIET}; the last scrape. */
  static ThroughputApiMetrics settle(KubernetesClient client, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    ThroughputApiMetrics last = ThroughputApiMetrics.scrape(client);
    long writes = last.writes();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      // Not more often: a scrape of the API server's /metrics costs it (and us) some CPU.
      ControllerProcess.sleep(Duration.ofSeconds(1));
      last = ThroughputApiMetrics.scrape(client);
      if (last.writes() != writes) {
        writes = last.writes();
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
        return last;
      }
    }
    log("writes did not stop within %s s", max.toSeconds());
    return last;
  }

  private static void awaitSynced(SharedIndexInformer<?> informer) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!informer.hasSynced()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the harness's claim informer did not sync");
      }
      ControllerProcess.sleep(Duration.ofMillis(50));
    }
  }

  /** Claims seen served, by name, with the time the harness saw each. */
  static final class Served {
    private final Map<String, Long> at = new ConcurrentHashMap<>();
    private int burst;
    private long firstBurst;
    private long lastBurst;

    synchronized void mark(String name) {
      long now = System.nanoTime();
      if (at.putIfAbsent(name, now) == null) {
        if (name.startsWith(BURST_PREFIX)) {
          if (burst++ == 0) {
            firstBurst = now;
          }
          lastBurst = now;
        }
        notifyAll();
      }
    }

    synchronized int burst() {
      return burst;
    }

    synchronized long firstBurst() {
      return firstBurst;
    }

    synchronized long lastBurst() {
      return lastBurst;
    }

    synchronized void awaitChange(Duration max) throws InterruptedException {
      wait(Math.max(1, max.toMillis()));
    }

    /** When the claim was seen served, waiting up to {@code max}; null if not within it. */
    synchronized Long awaitName(String name, Duration max) throws InterruptedException {
      long deadline = System.nanoTime() + max.toNanos();
      while (!at.containsKey(name)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      return at.get(name);
    }
  }

  static Path outputDirectory() {
    String dir = System.getProperty("throughput.out", "");
    return dir.isBlank()
        ? E2eSettings.repositoryRoot().resolve("target/throughput")
        : Path.of(dir).toAbsolutePath();
  }

  /**
   * JVM options for the controller, from {@code -Dthroughput.controllerJvmOptions}
   * (blank-separated; {@code THROUGHPUT_CONTROLLER_JVM_OPTIONS} in hack/throughput.sh); by default
   * the options the controller ships with ({@link ControllerProcess#USER_JVM_OPTIONS}); {@code
   * none} for none at all.
   */
  static List<String> controllerJvmOptions() {
    String options = System.getProperty("throughput.controllerJvmOptions", "").trim();
    if (options.isEmpty()) {
      return ControllerProcess.USER_JVM_OPTIONS;
    }
    return options.equals("none") ? List.of() : List.of(options.split("\\s+"));
  }

  /** The first 10 hex digits of the SHA-1 of the controller jar. */
  static String jarDigest() {
    try (var in = Files.newInputStream(E2eSettings.controllerJar())) {
      java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) > 0; ) {
        sha1.update(buffer, 0, read);
      }
      return java.util.HexFormat.of().formatHex(sha1.digest()).substring(0, 10);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return "unknown";
    }
  }

  private static String commit() {
    return System.getProperty("throughput.commit", "unknown");
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Runs {@code jcmd PID ARGS...} of this JDK; its output. */
  static String jcmd(long pid, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor(2, TimeUnit.MINUTES);
      return output;
    } catch (IOException e) {
      return "(jcmd failed: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(jcmd interrupted)";
    }
  }

  static void log(String format, Object... args) {
    System.out.println("throughput: " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
