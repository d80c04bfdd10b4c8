package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of the requests it served, {@code apiserver_request_total} from its
 * {@code /metrics} (read through the client's raw HTTP), summed by verb and resource: {@code "POST
 * ipclaims"}, {@code "PUT ipclaims/status"}. Every client's requests count, the API server's own
 * loopback client's too (its lease renewals, a few every 10 s). Besides: the watches open at the
 * time, by resource and group ({@code apiserver_longrunning_requests} of verb WATCH, a gauge).
 */
record ThroughputApiMetrics(Map<String, Long> byVerbAndResource, Map<String, Long> watches) {
  /** Verbs that write. APPLY is server-side apply; DELETECOLLECTION is counted as a write too. */
  static final Set<String> WRITES =
      Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY", "DELETECOLLECTION");

  static final Set<String> READS = Set.of("GET", "LIST", "WATCH", "WATCHLIST");

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static ThroughputApiMetrics scrape(KubernetesClient client) {
    return parse(client.raw("/metrics"));
  }

  static ThroughputApiMetrics parse(String text) {
    Map<String, Long> counts = new HashMap<>();
    Map<String, Long> watches = new HashMap<>();
    for (String line : (Iterable<String>) text.lines()::iterator) {
      boolean requests = line.startsWith("apiserver_request_total{");
      boolean longRunning = line.startsWith("apiserver_longrunning_requests{");
      if (!requests && !longRunning) {
        continue;
      }
      int open = line.indexOf('{');
      int close = line.lastIndexOf('}');
      Map<String, String> labels = new HashMap<>();
      Matcher m = LABEL.matcher(line.substring(open + 1, close));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      double value = Double.parseDouble(line.substring(close + 1).trim().split("\\s+")[0]);
      String resource = labels.getOrDefault("resource", "");
      if (longRunning) {
        if ("WATCH".equals(labels.get("verb"))) {
          String group = labels.getOrDefault("group", "");
          watches.merge(
              group.isEmpty() ? resource : resource + "." + group, Math.round(value), Long::sum);
        }
        continue;
      }
      String subresource = labels.getOrDefault("subresource", "");
      String key =
          labels.getOrDefault("verb", "?")
              + " "
              + (resource.isEmpty() ? "(none)" : resource)
              + (subresource.isEmpty() ? "" : "/" + subresource);
      counts.merge(key, Math.round(value), Long::sum);
    }
    return new ThroughputApiMetrics(Map.copyOf(counts), Map.copyOf(watches));
  }

  /**
   * What was counted since {@code before}, keys with no change left out; the open watches are those
   * of now.
   */
  ThroughputApiMetrics minus(ThroughputApiMetrics before) {
    return new ThroughputApiMetrics(
        difference(byVerbAndResource, before.byVerbAndResource), new TreeMap<>(watches));
  }

  private static Map<String, Long> difference(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> diff = new TreeMap<>();
    now.forEach(
        (key, value) -> {
          long d = value - before.getOrDefault(key, 0L);
          if (d != 0) {
            diff.put(key, d);
          }
        });
    return diff;
  }

  long writes() {
    return sum(WRITES);
  }

  long reads() {
    return sum(READS);
  }

  /** The count of one verb on one resource ({@code "ipclaims"}, {@code "ipclaims/status"}). */
  long count(String verb, String resource) {
    return byVerbAndResource.getOrDefault(verb + " " + resource, 0L);
  }

  private long sum(Set<String> verbs) {
    return byVerbAndResource.entrySet().stream()
        .filter(e -> verbs.contains(verb(e.getKey())))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Writes by resource: {@code "ipclaims/status" -> {"PUT" -> 1000}}, largest first. */
  Map<String, Map<String, Long>> writesByResource() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byVerbAndResource.forEach(
        (key, value) -> {
          String verb = verb(key);
          if (WRITES.contains(verb)) {
            out.computeIfAbsent(key.substring(verb.length() + 1), k -> new TreeMap<>())
                .merge(verb, value, Long::sum);
          }
        });
    return out;
  }

  /**
   * One line: {@code ipclaims POST=1000; ipclaims/status PUT=1000; ...}, by count, largest first.
   */
  String writesText() {
    StringBuilder text = new StringBuilder();
    writesByResource().entrySet().stream()
        .sorted(
            (a, b) ->
                Long.compare(
                    b.getValue().values().stream().mapToLong(Long::longValue).sum(),
                    a.getValue().values().stream().mapToLong(Long::longValue).sum()))
        .forEach(
            e -> {
              if (text.length() > 0) {
                text.append("; ");
              }
              text.append(e.getKey());
              e.getValue()
                  .forEach((verb, n) -> text.append(' ').append(verb).append('=').append(n));
            });
    return text.toString();
  }

  private static String verb(String key) {
    return key.substring(0, key.indexOf(' '));
  }
}
