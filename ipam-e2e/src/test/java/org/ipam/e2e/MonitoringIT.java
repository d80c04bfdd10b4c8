package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipam.e2e.TargetCluster.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code config/monitoring/}: the PrometheusRule's alerts and the Grafana dashboard's queries parse
 * as PromQL, and every metric they read is on the {@code /metrics} of a running controller that
 * serves a pool. The kustomization renders.
 */
@ExtendWith({TargetCluster.class, ControllerLogsOnFailure.class})
class MonitoringIT {
  private static final Path MONITORING = E2eSettings.repositoryRoot().resolve("config/monitoring");

  /** Grafana's own variables, as Grafana substitutes them before Prometheus reads the query. */
  private static String withGrafanaVariables(String query) {
    return query.replace("$__rate_interval", "5m").replace("$__interval", "1m");
  }

  @Test
  void everyAlertAndPanelReadsMetricsTheControllerServes(Cluster cluster) throws IOException {
    List<String> rules = ruleExpressions();
    List<String> panels = dashboardExpressions();
    assertThat(rules).as("alert expressions").hasSize(2);
    assertThat(panels).as("dashboard queries").hasSizeGreaterThanOrEqualTo(10);
    Set<String> used = new TreeSet<>();
    for (String expression : concat(rules, panels)) {
      used.addAll(PromQl.metricNames(withGrafanaVariables(expression)));
    }

    String namespace = "e2e-monitoring-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = cluster.newClient()) {
      Metal3Objects.installCrds(client);
      Metal3Objects objects = new Metal3Objects(client, namespace);
      objects.createNamespace();
      // One address, two claims: one served, one waiting.
      objects.createPool("watched", "10.90.0.1", "10.90.0.1", 24);
      objects.newIpClaim("watched", "first");
      objects.newIpClaim("watched", "second");
      ControllerProcess controller =
          ControllerProcess.start(
              "monitoring",
              List.of(
                  "--kubeconfig=" + cluster.kubeconfig(),
                  "--adapters=metal3",
                  "--namespaces=" + namespace,
                  "--no-leader-elect"));
      controller.awaitReady(Duration.ofMinutes(2));
      String pool = "namespace=\"" + namespace + "\",pool=\"watched\"";
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(controller.metrics().body())
                      .contains(
                          "ipam_pool_used_addresses{dialect=\"metal3\",kind=\"\"," + pool + "} 1.0")
                      .contains("ipam_allocations_total{dialect=\"metal3\"} 1.0"));
      Set<String> served = metricNames(controller.metrics().body());
      assertThat(served).as("metrics on /metrics").containsAll(used);
    }
  }

  @Test
  void theKustomizationRendersTheRuleAndTheDashboard(Cluster cluster) {
    String rendered = new Kubectl(cluster.kubeconfig()).run("kustomize", MONITORING.toString());
    assertThat(rendered)
        .contains("kind: PrometheusRule")
        .contains("kind: ServiceMonitor")
        .contains("name: ipam-grafana-dashboard")
        .contains("grafana_dashboard: \"1\"")
        .contains("ipam_pool_oldest_pending_claim_age_seconds");
  }

  private static List<String> ruleExpressions() throws IOException {
    JsonNode rule =
        new ObjectMapper(new YAMLFactory())
            .readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode each : group.path("rules")) {
        expressions.add(each.path("expr").asText());
      }
    }
    return expressions;
  }

  /** Every panel's queries, and the selectors of the variables' label_values(...) queries. */
  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        Matcher matcher = labelValues.matcher(variable.path("query").path("query").asText());
        assertThat(matcher.matches()).as("variable %s", variable.path("name")).isTrue();
        expressions.add(matcher.group(1));
      }
    }
    return expressions;
  }

  /** The sample names of a Prometheus text exposition ({@code name{labels} value}). */
  private static Set<String> metricNames(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition
        .lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0])
        .forEach(names::add);
    return names;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
