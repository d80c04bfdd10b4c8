package org.ipam.e2e;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ipam.core.localplane.LoopbackApiServer;
import org.ipam.core.testing.LocalControlPlane;

/**
 * A local kube-apiserver and etcd that the reliability campaign can kill with kill -9 and start
 * again, etcd's data kept.
 *
 * <p>kube-api-test stops the whole plane when either of its processes exits unexpectedly, so a
 * plane it runs cannot lose its API server for a while. This one is started by kube-api-test once
 * ({@link LoopbackApiServer}: certificates, ports and flags as every other test has them); the
 * command lines of its etcd and kube-apiserver are read from {@code /proc}; kube-api-test's pair is
 * stopped; and the same two command lines run again as this class's own processes, etcd on fresh
 * data and WAL directories. The kubeconfig stays valid: same port, same certificates.
 */
final class RestartablePlane implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final List<String> etcdCommand;
  private final List<String> apiServerCommand;
  private final List<Path> etcdDirectories;
  private final Path kubeconfig;
  private final Path logDirectory;
  private Process etcd;
  private Process apiServer;

  private RestartablePlane(
      List<String> etcdCommand,
      List<String> apiServerCommand,
      List<Path> etcdDirectories,
      Path kubeconfig,
      Path logDirectory) {
    this.etcdCommand = etcdCommand;
    this.apiServerCommand = apiServerCommand;
    this.etcdDirectories = etcdDirectories;
    this.kubeconfig = kubeconfig;
    this.logDirectory = logDirectory;
  }

  /** Starts a plane; its kubeconfig and process logs go to {@code logDirectory}. */
  static RestartablePlane start(Path logDirectory) {
    Set<Long> before = descendantPids();
    KubeAPIServer server =
        LoopbackApiServer.start(System.getProperty(LocalControlPlane.VERSION_PROPERTY));
    List<String> etcdCommand;
    List<String> apiServerCommand;
    String kubeconfigYaml;
    try {
      List<List<String>> started =
          ProcessHandle.current()
              .descendants()
              .filter(p -> !before.contains(p.pid()))
              .map(p -> commandLine(p.pid()))
              .filter(command -> !command.isEmpty())
              .toList();
      etcdCommand = only(started, "etcd");
      apiServerCommand = only(started, "kube-apiserver");
      kubeconfigYaml = server.getKubeConfigYaml();
    } finally {
      server.stop();
    }
    Map<String, String> ports = portsBelowTheEphemeralRange(etcdCommand, apiServerCommand);
    etcdCommand = withPorts(etcdCommand, ports);
    apiServerCommand = withPorts(apiServerCommand, ports);
    kubeconfigYaml = withPorts(List.of(kubeconfigYaml), ports).get(0);
    RestartablePlane plane;
    try {
      Files.createDirectories(logDirectory);
      Path kubeconfig = logDirectory.resolve("restartable-plane.kubeconfig");
      Files.writeString(kubeconfig, kubeconfigYaml);
      List<Path> directories =
          List.of(argument(etcdCommand, "data-dir"), argument(etcdCommand, "wal-dir"));
      for (Path directory : directories) {
        Files.createDirectories(directory);
      }
      plane =
          new RestartablePlane(
              etcdCommand, apiServerCommand, directories, kubeconfig, logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Not left running when the test JVM is stopped, or when the start fails.
    Runtime.getRuntime().addShutdownHook(new Thread(plane::close, "restartable-plane-stop"));
    try {
      synchronized (plane) {
        plane.etcd = plane.launch(etcdCommand, "etcd");
        plane.apiServer = plane.launch(apiServerCommand, "kube-apiserver");
      }
      plane.awaitReady();
      return plane;
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  /**
   * New ports for the API server and etcd, below the kernel's ephemeral range. kube-api-test picks
   * them with {@code new ServerSocket(0)}, inside that range, where a client's outgoing connection
   * may take one while its server is down: the restart would then fail to bind. Returns the port
   * numbers to replace, old to new.
   */
  @SafeVarargs
  private static Map<String, String> portsBelowTheEphemeralRange(List<String>... commands) {
    java.util.TreeSet<String> old = new java.util.TreeSet<>();
    java.util.regex.Pattern port =
        java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)|0\\.0\\.0\\.0:(\\d+)");
    for (List<String> command : commands) {
      for (int i = 0; i < command.size(); i++) {
        var matcher = port.matcher(command.get(i));
        while (matcher.find()) {
          old.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        if (command.get(i).equals("--secure-port") && i + 1 < command.size()) {
          old.add(command.get(i + 1));
        }
      }
    }
    Map<String, String> replaced = new java.util.HashMap<>();
    for (String number : old) {
      replaced.put(number, Integer.toString(LocalPorts.next()));
    }
    return replaced;
  }

  /** The words with every port of {@code ports} replaced (as {@code :port} or a whole word). */
  private static List<String> withPorts(List<String> words, Map<String, String> ports) {
    List<String> replaced = new ArrayList<>();
    for (String word : words) {
      String next = word;
      for (Map.Entry<String, String> port : ports.entrySet()) {
        next =
            next.equals(port.getKey())
                ? port.getValue()
                : next.replaceAll(":" + port.getKey() + "\\b", ":" + port.getValue());
      }
      replaced.add(next);
    }
    return replaced;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  KubernetesClient newClient() {
    return new TargetCluster.Cluster(kubeconfig).newClient();
  }

  /** kill -9 of the API server; it stays away until {@link #startApiServer}. */
  synchronized void killApiServer() {
    kill(apiServer);
  }

  /** Starts the API server again (same flags, same port) and waits until it is ready. */
  void startApiServer() {
    synchronized (this) {
      apiServer = launch(apiServerCommand, "kube-apiserver");
    }
    awaitReady();
  }

  /**
   * kill -9 of etcd, {@code down} without it, then etcd started again on its data; returns once the
   * API server is ready again.
   */
  void restartEtcd(Duration down) {
    synchronized (this) {
      kill(etcd);
    }
    ControllerProcess.sleep(down);
    synchronized (this) {
      etcd = launch(etcdCommand, "etcd");
    }
    awaitReady();
  }

  /** Waits until the API server answers {@code /readyz} with ok (etcd reachable, hooks done). */
  void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (KubernetesClient client = newClient()) {
      while (System.nanoTime() < deadline) {
        if (!apiServer.isAlive()) {
          throw new IllegalStateException(
              "kube-apiserver exited with " + apiServer.exitValue() + ", see " + logDirectory);
        }
        try {
          if ("ok".equals(client.raw("/readyz"))) {
            return;
          }
        } catch (RuntimeException notYet) {
          // Refused, or answered 500 while etcd or a post-start hook is not ready.
        }
        ControllerProcess.sleep(Duration.ofMillis(100));
      }
    }
    throw new IllegalStateException("kube-apiserver not ready within " + READY_TIMEOUT);
  }

  /** Kills both processes (each whatever happens to the other) and deletes etcd's data. */
  @Override
  public synchronized void close() {
    for (Process process : java.util.Arrays.asList(apiServer, etcd)) {
      try {
        kill(process);
      } catch (RuntimeException e) {
        System.err.println("RELIABILITY plane: " + e);
      }
    }
    for (Path directory : etcdDirectories) {
      deleteRecursively(directory);
    }
  }

  private Process launch(List<String> command, String name) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(
              Redirect.appendTo(logDirectory.resolve("plane-" + name + ".log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private static void kill(Process process) {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a killed process did not exit: " + process.pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Set<Long> descendantPids() {
    return ProcessHandle.current()
        .descendants()
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** A process's whole command line, from /proc (empty when it is gone). */
  private static List<String> commandLine(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      List<String> words = new ArrayList<>(List.of(raw.split("\0")));
      words.removeIf(String::isEmpty);
      return words;
    } catch (IOException gone) {
      return List.of();
    }
  }

  /** The one command line whose program is {@code program} or {@code program-something}. */
  private static List<String> only(List<List<String>> commands, String program) {
    List<List<String>> matching =
        commands.stream()
            .map(c -> Map.entry(Path.of(c.get(0)).getFileName().toString(), c))
            // The built etcd is named etcd-server (hack/kube-bins).
            .filter(e -> e.getKey().equals(program) || e.getKey().startsWith(program + "-"))
            .map(Map.Entry::getValue)
            .toList();
    if (matching.size() != 1) {
      throw new IllegalStateException(
          "expected one " + program + " among the plane's processes, found " + commands);
    }
    return matching.get(0);
  }

  /** The value of {@code -name value}, {@code --name value} or {@code --name=value}. */
  private static Path argument(List<String> command, String name) {
    for (int i = 1; i < command.size(); i++) {
      String word = command.get(i).replaceFirst("^--?", "");
      if (word.startsWith(name + "=")) {
        return Path.of(word.substring(name.length() + 1));
      }
      if (word.equals(name) && i + 1 < command.size()) {
        return Path.of(command.get(i + 1));
      }
    }
    throw new IllegalStateException("no " + name + " in " + command);
  }

  private static void deleteRecursively(Path directory) {
    try (var paths = Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left in the temporary directory: nothing depends on it.
    }
  }

  @Override
  public String toString() {
    return "restartable plane ("
        + String.join(" ", apiServerCommand.subList(0, 1))
        + ", logs in "
        + logDirectory
        + ")";
  }
}
