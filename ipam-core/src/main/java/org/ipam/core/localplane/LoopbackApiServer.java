package org.ipam.core.localplane;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kube-apiserver and etcd on the loopback interface, through io.fabric8:kube-api-test, from the
 * binaries {@code hack/kube-bins/build.sh} installs under {@code ~/.kubeapitest}. The controller's
 * local mode and the tests start their control planes here, so both run the same configuration.
 * Nothing listens on any other address: the API server by its flags, etcd by {@link
 * LoopbackBinaries}.
 */
public final class LoopbackApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackApiServer.class);

  /**
   * The ClusterIP range of the local control plane's Services. kube-api-test gives them
   * 10.0.0.0/24, 254 addresses: too few for a test of hundreds of Services of type LoadBalancer
   * (which cannot be headless). Its flag comes after ours, so {@link LoopbackBinaries} rewrites it
   * to this /16 around it (the API server refuses IPv4 ranges wider than /12). Each start has a
   * fresh etcd, and the {@code kubernetes} Service keeps 10.0.0.1.
   */
  public static final String SERVICE_CIDR = "10.0.0.0/16";

  /**
   * Sandboxes often have no default route, and a loopback advertise address needs the endpoint
   * reconciler off (reference/apiserver.md, section 3).
   */
  private static final List<String> FLAGS =
      List.of(
          "--advertise-address=127.0.0.1",
          "--endpoint-reconciler-type=none",
          "--bind-address=127.0.0.1");

  /**
   * Extra kube-apiserver flags for a diagnosis, whitespace-separated, from the system property
   * {@value #EXTRA_FLAGS_PROPERTY} (e.g. an audit policy and log: {@code
   * -Dipam.localplane.apiServerFlags="--audit-policy-file=/tmp/p.yaml
   * --audit-log-path=/tmp/a.log"}).
   */
  static final String EXTRA_FLAGS_PROPERTY = "ipam.localplane.apiServerFlags";

  static List<String> flags() {
    String extra = System.getProperty(EXTRA_FLAGS_PROPERTY, "").trim();
    if (extra.isEmpty()) {
      return FLAGS;
    }
    List<String> flags = new java.util.ArrayList<>(FLAGS);
    flags.addAll(List.of(extra.split("\\s+")));
    return flags;
  }

  static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private LoopbackApiServer() {}

  /** Starts of a control plane tried before the last failure is thrown. */
  static final int START_ATTEMPTS = 3;

  /**
   * Starts a control plane and returns once it serves the default namespace. Offline mode is set in
   * code: kube-api-test would otherwise try to download binaries from hosts these machines cannot
   * reach, and its offline environment variable is broken in 7.5.2. If a start fails, both
   * processes are stopped and a fresh pair is started, up to {@link #START_ATTEMPTS} times:
   * kube-api-test picks each port by opening and closing a socket, so on a busy machine another
   * process (a client connection's ephemeral port, another build's server) can take it before etcd
   * or the API server binds it, and that process exits ("stopped unexpectedly"); the next start
   * picks other ports.
   *
   * @param version the Kubernetes version to run, or null for the newest installed one
   */
  public static KubeAPIServer start(String version) {
    return startFresh(() -> new KubeAPIServer(config(version).build()));
  }

  /** Starts a server {@code fresh} makes, each attempt with a new one. */
  static KubeAPIServer startFresh(Supplier<KubeAPIServer> fresh) {
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      KubeAPIServer server = fresh.get();
      try {
        startAcrossMidnight(server);
        return server;
      } catch (RuntimeException e) {
        stopQuietly(server, e);
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
        LOG.warn("control plane start {} of {} failed: {}", attempt, START_ATTEMPTS, e.toString());
      }
    }
    throw failure;
  }

  private static KubeAPIServerConfigBuilder config(String version) {
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(LoopbackBinaries.prepare(LoopbackBinaries.kubeApiTestDir()).toString())
            .withOfflineMode(true)
            .withApiServerFlags(flags())
            .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis());
    if (version != null && !version.isBlank()) {
      config.withApiServerVersion(version);
    }
    return config;
  }

  /**
   * Stops what a failed start left running. kube-api-test may have stopped it already and removed
   * etcd's data directory, and then fails to remove it again: that must not hide why it failed.
   */
  private static void stopQuietly(KubeAPIServer server, RuntimeException why) {
    try {
      server.stop();
    } catch (RuntimeException e) {
      why.addSuppressed(e);
    }
  }

  /**
   * kube-api-test 7.5.2 measures its readiness deadline in {@link LocalTime}, which wraps at
   * midnight: a start within {@link #STARTUP_TIMEOUT} before local midnight sees its deadline (just
   * after midnight) as long past and fails at the first poll, with "Kube API Server did not start
   * properly", though the server is starting normally. Only that case is caught here, and the wait
   * finished on the monotonic clock; any other failure leaves as it came.
   */
  private static void startAcrossMidnight(KubeAPIServer server) {
    long startedNanos = System.nanoTime();
    LocalTime startedAt = LocalTime.now();
    try {
      server.start();
    } catch (KubeAPITestException e) {
      if (!deadlineWrapsMidnight(startedAt, STARTUP_TIMEOUT)) {
        throw e;
      }
      awaitDefaultNamespace(server, startedNanos + STARTUP_TIMEOUT.toNanos(), e);
    }
  }

  /** Whether a deadline {@code timeout} after {@code start} falls on the next day. */
  static boolean deadlineWrapsMidnight(LocalTime start, Duration timeout) {
    return start.plus(timeout).isBefore(start);
  }

  private static void awaitDefaultNamespace(
      KubeAPIServer server, long deadlineNanos, KubeAPITestException original) {
    String kubeconfig;
    try {
      kubeconfig = server.getKubeConfigYaml();
    } catch (RuntimeException notStarted) {
      original.addSuppressed(notStarted);
      throw original;
    }
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      while (true) {
        try {
          if (client.namespaces().withName("default").get() != null) {
            return;
          }
        } catch (KubernetesClientException notYet) {
          // not serving yet: poll again until the deadline
        }
        if (System.nanoTime() - deadlineNanos > 0) {
          throw original;
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  private static void sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeAPITestException(e);
    }
  }
}
