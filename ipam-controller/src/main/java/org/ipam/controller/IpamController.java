package org.ipam.controller;

import com.google.inject.Injector;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ApiRateLimit;
import org.ipam.core.engine.ControllerClient;
import org.ipam.core.engine.Crds;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.engine.OperatorStartup;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.core.webhook.ConversionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The one controller binary: every enabled dialect on one Java Operator SDK operator. */
@Command(
    name = "ipam-controller",
    mixinStandardHelpOptions = true,
    description = "Serves the Metal3, Cluster API in-cluster, Harvester and kubipam IPAM APIs.",
    subcommands = org.ipam.controller.plan.PlanCommand.class)
public final class IpamController implements Callable<Integer> {
  /**
   * Not a static field: logging must not start before main() has chosen the log format, which the
   * logging configuration reads once.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(IpamController.class);
  }

  @Option(
      names = "--kubeconfig",
      description =
          "Kubeconfig file (default: in-cluster config, then KUBECONFIG, then ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--adapters",
      split = ",",
      description =
          "Dialects to serve, of metal3,incluster,harvester,mandelsoft (default: every one whose"
              + " CRDs are installed).")
  List<String> adapters;

  @Option(names = "--namespaces", split = ",", description = "Namespaces to watch (default: all).")
  List<String> namespaces;

  @Option(
      names = "--watch-filter",
      description =
          "Serve only in-cluster pools and claims labelled cluster.x-k8s.io/watch-filter=<value>, as"
              + " Cluster API providers do (default: every one).")
  String watchFilter;

  @Option(
      names = "--leader-elect",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Elect a leader on a coordination.k8s.io Lease (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(
      names = "--leader-election-namespace",
      description = "Namespace of the Lease (default: the pod's namespace, else default).")
  String leaderElectionNamespace;

  @Option(
      names = "--leader-election-id",
      defaultValue = "ipam-controller",
      description = "Name of the Lease (default: ${DEFAULT-VALUE}).")
  String leaderElectionId;

  @Option(
      names = "--leader-election-lease-duration",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description =
          "How long a Lease holds without renewal; a killed leader is replaced after about this long (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(
      names = "--leader-election-renew-deadline",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long the leader keeps trying to renew before it gives up leading (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(
      names = "--leader-election-retry-period",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often to renew, or to try to take the Lease (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  @Option(
      names = "--health-port",
      defaultValue = "8081",
      description = "Port of /healthz and /readyz (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "8080",
      description = "Port of the Prometheus /metrics (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--webhook-port",
      defaultValue = "9443",
      description =
          "HTTPS port of the validating and conversion webhooks of every enabled dialect; 0 serves none (default: ${DEFAULT-VALUE}).")
  int webhookPort;

  @Option(
      names = "--webhook-cert-dir",
      defaultValue = "/tmp/k8s-webhook-server/serving-certs",
      description =
          "Directory with tls.crt and tls.key for the webhook server; --local makes its own (default: ${DEFAULT-VALUE}).")
  Path webhookCertDir;

  @Option(
      names = "--local",
      description =
          "Start a local kube-apiserver and etcd, install the CRDs, and run against them.")
  boolean local;

  @Option(
      names = "--local-kubeconfig",
      defaultValue = "ipam-local.kubeconfig",
      description = "Where --local writes its kubeconfig (default: ${DEFAULT-VALUE}).")
  Path localKubeconfig;

  @Option(
      names = "--kube-api-qps",
      defaultValue = "200",
      description =
          "Writes a second the controller sends the API server, once a burst is spent; reads come from"
              + " the informers' caches and are not limited (default: ${DEFAULT-VALUE}).")
  double kubeApiQps;

  @Option(
      names = "--kube-api-burst",
      defaultValue = "400",
      description =
          "Writes the controller may send at once before --kube-api-qps applies (default: ${DEFAULT-VALUE}).")
  int kubeApiBurst;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String logFormat;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  /**
   * The status the shutdown hook exits with: 0 for a stop asked for by a signal, else what main or
   * the lost-Lease path passed to System.exit (the hook's halt would otherwise turn it into 0).
   */
  private static volatile int exitStatus;

  /** System.exit with a status the shutdown hook keeps. */
  static void exit(int status) {
    exitStatus = status;
    System.exit(status);
  }

  /**
   * Logback reads its configuration once, at the first logger: the JSON format is a configuration
   * file of its own (one appender each, so that logback has nothing to warn about on start).
   */
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

  public static void main(String[] args) {
    for (int i = 0; i < args.length; i++) {
      boolean json =
          args[i].equals("--log-format=json")
              || (args[i].equals("--log-format")
                  && i + 1 < args.length
                  && args[i + 1].equals("json"));
      if (json && System.getProperty(LOGBACK_CONFIGURATION) == null) {
        System.setProperty(LOGBACK_CONFIGURATION, "logback-json.xml");
      }
    }
    nettyArenas();
    exit(new CommandLine(new IpamController()).execute(args));
  }

  /**
   * One netty buffer arena for direct and one for heap buffers, unless the user says otherwise:
   * netty's default is one per event loop (4 here), each growing 4 MiB chunks, and this process's
   * buffers are small and short-lived; part of what keeps a controller with 10,000 claims in its
   * cache under 256 MiB (docs/performance.md). Set before any netty class loads.
   */
  private static void nettyArenas() {
    for (String property :
        List.of("io.netty.allocator.numDirectArenas", "io.netty.allocator.numHeapArenas")) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, "1");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--log-format: \"" + logFormat + "\" is neither text nor json");
    }
    if (!(retryPeriod.compareTo(renewDeadline) < 0 && renewDeadline.compareTo(leaseDuration) < 0)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "leader election needs retry period < renew deadline < lease duration, got "
              + DurationConverter.text(retryPeriod)
              + " < "
              + DurationConverter.text(renewDeadline)
              + " < "
              + DurationConverter.text(leaseDuration));
    }
    ApiRateLimit rateLimit;
    try {
      rateLimit = apiRateLimit();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--kube-api-qps/--kube-api-burst: " + e.getMessage());
    }
    List<AutoCloseable> resources = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  log()
                      .info(
                          "stopping: no new work, in-flight writes finish, the Lease is released");
                  for (int i = resources.size() - 1; i >= 0; i--) {
                    try {
                      resources.get(i).close();
                    } catch (Exception e) {
                      log().warn("while stopping: {}", e.toString());
                    }
                  }
                  stopped.countDown();
                  // A stop asked for by SIGTERM that completed is a success: exit 0, not 143.
                  Runtime.getRuntime().halt(exitStatus);
                },
                "ipam-shutdown"));
    // Every listening socket first, before a local control plane takes free ports of its own.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    resources.add(HttpEndpoints.metrics(listenAddress(), metricsPort, registry::scrape));
    Readiness readiness = new Readiness();
    resources.add(
        HttpEndpoints.health(
            listenAddress(),
            healthPort,
            () -> new HttpEndpoints.Probe(true, "ok"),
            readiness::serving,
            readiness::controllers));
    WebhookServer webhooks = bindWebhooks();
    if (webhooks != null) {
      resources.add(webhooks);
    }
    Config config;
    if (local) {
      LocalMode localMode = LocalMode.start(localKubeconfig);
      resources.add(localMode);
      config = Config.fromKubeconfig(localMode.kubeconfig());
    } else if (kubeconfig != null) {
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } else {
      config = Config.autoConfigure(null);
    }
    KubernetesClient client = ControllerClient.build(config, rateLimit);
    resources.add(client);

    Map<String, DialectModule> dialects = selectDialects();
    if (local) {
      for (DialectModule dialect : dialects.values()) {
        Crds.install(client, dialect.getClass().getClassLoader(), dialect.crdResources());
      }
    }
    AllocationEngine engine = new AllocationEngine(16, new PoolMetrics(registry));
    Injector parent =
        OperatorStartup.parent(client, engine, Clock.systemUTC(), new WatchFilter(watchFilter));
    // Once: JOSDK may apply the configuration below more than once.
    String identity = leaderIdentity();
    if (leaderElect) {
      log()
          .info(
              "leader election on Lease {}/{} as {}", leaseNamespace(), leaderElectionId, identity);
    }
    Operator operator =
        OperatorStartup.operator(
            client,
            o -> {
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (leaderElect) {
                o.withLeaderElectionConfiguration(leaderElection(identity, engine));
              }
            });
    List<AdmissionValidator<?>> validators = new ArrayList<>();
    List<ConversionHandler> conversions = new ArrayList<>();
    List<ClaimFinalizerWebhook> finalizers = new ArrayList<>();
    Set<String> served = new java.util.LinkedHashSet<>();
    for (DialectModule dialect : dialects.values()) {
      List<String> missing = Crds.missing(client, dialect.requiredCrds());
      if (!missing.isEmpty()) {
        if (adapters == null || adapters.isEmpty()) {
          // Not asked for by name: a cluster that runs one dialect need not install the others.
          log()
              .info(
                  "adapter {} is not served: its CRDs are not installed ({}); name it in --adapters"
                      + " to have that reported as an error",
                  dialect.name(),
                  missing);
          continue;
        }
        readiness.notServed(dialect.name(), "CRDs missing: " + String.join(", ", missing));
        log().error("adapter {} is not served: its CRDs are missing: {}", dialect.name(), missing);
        continue;
      }
      List<String> defects = dialect.crdDefects(client);
      if (!defects.isEmpty()) {
        if (adapters == null || adapters.isEmpty()) {
          // Not asked for: the CRDs may be another controller's, serving that API beside this one.
          log()
              .warn(
                  "adapter {} is not served: {}; name it in --adapters to have that reported as an"
                      + " error",
                  dialect.name(),
                  String.join("; ", defects));
          continue;
        }
        readiness.notServed(dialect.name(), String.join("; ", defects));
        log().error("adapter {} is not served: {}", dialect.name(), String.join("; ", defects));
        continue;
      }
      dialect.register(operator, parent, namespaces == null ? Set.of() : new HashSet<>(namespaces));
      served.add(dialect.name());
      log().info("adapter {} enabled", dialect.name());
      validators.addAll(dialect.validators(client));
      conversions.addAll(dialect.conversions());
      finalizers.addAll(dialect.finalizerWebhooks(engine::serves, new WatchFilter(watchFilter)));
    }
    if (served.isEmpty()) {
      // JOSDK would refuse to start with a bare "No Controller exists": say why instead.
      log().error("no adapter is served, stopping: {}", readiness.notServedReasons());
      return 1;
    }
    resources.add(engine);
    resources.add(operator::stop);
    // Webhooks first: they need no informer, and operator.start() waits (up to JOSDK's cache sync
    // timeout) for informers that cannot sync, such as one whose CRD lacks the version we watch.
    if (webhooks != null) {
      // A claim in a namespace this controller does not watch must not get a finalizer that
      // nobody would remove.
      Predicate<String> watched =
          namespaces == null || namespaces.isEmpty()
              ? namespace -> true
              : Set.copyOf(namespaces)::contains;
      webhooks.serve(validators, finalizers, watched, conversions, notRunWebhooks(client, served));
      if (local) {
        LocalWebhooks.install(client, webhooks.port(), webhooks.caBundle(), validators);
        LocalWebhooks.installFinalizers(client, webhooks.port(), webhooks.caBundle(), finalizers);
        LocalWebhooks.installConversions(client, webhooks.port(), webhooks.caBundle(), conversions);
      }
      log()
          .info(
              "webhooks on https://:{} at {}",
              webhooks.port(),
              Stream.concat(
                      Stream.concat(
                          validators.stream().map(AdmissionValidator::path),
                          finalizers.stream().map(ClaimFinalizerWebhook::path)),
                      conversions.stream().map(ConversionHandler::path).distinct())
                  .toList());
    }
    readiness.serving(served);
    operator.start();
    readiness.operatorStarted(operator);
    log()
        .info(
            "ipam-controller running; adapters {}; health on :{}, metrics on :{}",
            served,
            healthPort,
            metricsPort);
    stopped.await();
    return 0;
  }

  /**
   * Where the health, metrics and webhook ports listen: every interface in a cluster (the kubelet,
   * Prometheus and the API server reach the pod from outside), the loopback address only in local
   * mode, where everything (its kube-apiserver, etcd, the webhook URLs it registers) is on this
   * machine and nothing should be reachable from the network.
   */
  private InetAddress listenAddress() {
    return local ? InetAddress.getLoopbackAddress() : null;
  }

  /**
   * The webhook server, bound but not yet serving, when there is a certificate: local mode makes
   * one; in a cluster, the Secret mounted at --webhook-cert-dir. Null when no webhook is served.
   */
  private WebhookServer bindWebhooks() throws Exception {
    if (webhookPort == 0) {
      return null;
    }
    if (local) {
      return WebhookServer.bind(listenAddress(), webhookPort, TlsMaterial.selfSigned());
    }
    if (TlsMaterial.presentIn(webhookCertDir)) {
      return WebhookServer.bind(
          listenAddress(), webhookPort, TlsMaterial.fromDirectory(webhookCertDir));
    }
    log()
        .warn(
            "validating webhooks not served: no {} and {} in {} (the controller still records"
                + " spec errors on the objects)",
            TlsMaterial.CERT_FILE,
            TlsMaterial.KEY_FILE,
            webhookCertDir);
    return null;
  }

  /**
   * Losing the Lease fences the engine at once: nothing more is written. JOSDK's own exit on losing
   * the Lease calls System.exit, which never returns when it runs inside our shutdown hook (it
   * releases the Lease on stop). So: losing the Lease while running exits from a fresh thread, so
   * that no two leaders ever write; losing it because we stop does not.
   */
  private LeaderElectionConfiguration leaderElection(String identity, AllocationEngine engine) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> log().info("leading as {}: this process reconciles", identity),
            () -> {
              // First of all, before anything else can run: no write of ours may follow the new
              // leader's decisions (the shutdown would otherwise let writes go on for seconds).
              engine.fence();
              if (stopped.getCount() > 0 && !stopping) {
                log()
                    .error(
                        "lost the Lease {}; exiting so that only the leader writes",
                        leaderElectionId);
                new Thread(() -> exit(1), "ipam-lost-lease").start();
              }
            },
            leader -> log().info("leader is {}", leader));
    return new LeaderElectionConfiguration(
        leaderElectionId,
        leaseNamespace(),
        leaseDuration,
        renewDeadline,
        retryPeriod,
        identity,
        callbacks,
        false);
  }

  /**
   * Host name plus a random suffix, as controller-runtime does. JOSDK's default is the bare
   * HOSTNAME, which two processes on one machine share: both would believe they hold the Lease.
   */
  static String leaderIdentity() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "ipam-controller" : host)
        + "_"
        + java.util.UUID.randomUUID();
  }

  private String leaseNamespace() {
    if (leaderElectionNamespace != null) {
      return leaderElectionNamespace;
    }
    Path podNamespace = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    try {
      return Files.isReadable(podNamespace) ? Files.readString(podNamespace).trim() : "default";
    } catch (java.io.IOException e) {
      return "default";
    }
  }

  /**
   * The webhook paths of the dialects this process does not run, and was not asked to (not in
   * {@code --adapters}, or left out unnamed because their CRDs are missing or another
   * controller's), to their dialect's name: their reviews are admitted with a warning ({@link
   * WebhookServer}). A dialect named in {@code --adapters} but not served is not among them: its
   * reviews fail, as its readiness does.
   */
  private Map<String, String> notRunWebhooks(KubernetesClient client, Set<String> served) {
    Set<String> named = new HashSet<>();
    if (adapters != null) {
      adapters.forEach(name -> named.add(name.trim()));
    }
    return DialectSelection.notRunWebhooks(DialectSelection.all(), served, named, client);
  }

  private Map<String, DialectModule> selectDialects() {
    try {
      return DialectSelection.select(adapters);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
  }

  /**
   * The cap on the controller's writes, from {@code --kube-api-qps} and {@code --kube-api-burst}.
   */
  ApiRateLimit apiRateLimit() {
    return ApiRateLimit.of(kubeApiQps, kubeApiBurst);
  }
}
