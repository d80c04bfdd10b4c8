package org.ipam.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The packaged controller ({@code ipam-controller.jar}) run as a separate process, the way a user
 * runs it: its own JVM, its output in a log file under {@code target/e2e-logs}, health and metrics
 * on free ports. Every process started is remembered until the test ends, so that {@link
 * ControllerLogsOnFailure} can show its log and stop it.
 */
final class ControllerProcess implements AutoCloseable {
  static final List<ControllerProcess> STARTED = new CopyOnWriteArrayList<>();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int healthPort;
  private final int metricsPort;

  private ControllerProcess(
      String name, Process process, Path log, int healthPort, int metricsPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Starts {@code java -jar ipam-controller.jar} with the given flags plus free health and metrics
   * ports, in the repository root (where {@code --local} finds {@code hack/}).
   */
  static ControllerProcess start(String name, List<String> flags) {
    return start(name, USER_JVM_OPTIONS, flags);
  }

  /**
   * The JVM options README.md, the image and the Deployment run the controller with (C1 only, the
   * serial collector, a 160 MiB heap: docs/performance.md).
   */
  static final List<String> USER_JVM_OPTIONS =
      List.of(
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx160m", "-XX:+ExitOnOutOfMemoryError");

  /** As {@link #start(String, List)}, with JVM options before {@code -jar}. */
  static ControllerProcess start(String name, List<String> jvmOptions, List<String> flags) {
    int healthPort = freePort();
    int metricsPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(E2eSettings.controllerJar().toString());
    command.addAll(flags);
    command.add("--health-port=" + healthPort);
    command.add("--metrics-port=" + metricsPort);
    try {
      Files.createDirectories(E2eSettings.logDirectory());
      Path log = E2eSettings.logDirectory().resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(E2eSettings.repositoryRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // As the image and the Deployment run it (docs/performance.md, "Memory").
      builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
      Process process = builder.start();
      ControllerProcess started =
          new ControllerProcess(name, process, log, healthPort, metricsPort);
      STARTED.add(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** A free port for a process of the test ({@link LocalPorts}: below the ephemeral range). */
  static int freePort() {
    return LocalPorts.next();
  }

  /**
   * Waits until {@code /readyz} (webhooks) and {@code /readyz/controllers} (every reconciler's
   * informers) answer 200; fails early, with the log, if the process exits.
   */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + logTail());
      }
      if (get(healthPort, "/readyz").statusCode() == 200
          && get(healthPort, "/readyz/controllers").statusCode() == 200) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(name + " was not ready within " + timeout + ":\n" + logTail());
  }

  /** An answer of the health endpoint; status 0 when nothing listens. */
  Answer health(String path) {
    return get(healthPort, path);
  }

  Answer metrics() {
    return get(metricsPort, "/metrics");
  }

  record Answer(int statusCode, String body) {}

  private static Answer get(int port, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, e.toString());
    }
  }

  String name() {
    return name;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  Path logFile() {
    return log;
  }

  /** The log lines that contain a fragment. */
  List<String> logLines(String fragment) {
    return log().lines().filter(line -> line.contains(fragment)).toList();
  }

  /** How many allocations the process committed, from its per-pass log lines. */
  int allocationsLogged() {
    java.util.regex.Pattern allocated =
        java.util.regex.Pattern.compile("pass dialect=\\S+ pool=\\S+ allocated=(\\d+)");
    return log()
        .lines()
        .map(allocated::matcher)
        .filter(java.util.regex.Matcher::find)
        .mapToInt(m -> Integer.parseInt(m.group(1)))
        .sum();
  }

  String logTail() {
    List<String> lines = log().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }

  /** kill -9: no shutdown hook runs, the Lease is not released. */
  void kill9() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM, then the exit code (the process must exit within the timeout). */
  int terminate(Duration timeout) {
    process.destroy();
    if (!waitFor(timeout)) {
      throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the process and everything it started, whatever state the test left it in. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(20))) {
        process.destroyForcibly();
      }
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    STARTED.remove(this);
  }
}
