package org.ipam.core.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write requests (POST, PUT, PATCH, DELETE) as the API server itself counts them ({@code
 * apiserver_request_total} of its {@code /metrics}), by resource and subresource: for the tests
 * that fail when a change adds a write per claim.
 */
public final class ApiWrites {
  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{(.*)\\} (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)$");
  private static final Pattern VERB = Pattern.compile("verb=\"(POST|PATCH|PUT|DELETE)\"");
  private static final Pattern RESOURCE = Pattern.compile("resource=\"([^\"]*)\"");
  private static final Pattern SUBRESOURCE = Pattern.compile("subresource=\"([^\"]*)\"");

  private final Map<String, Long> counts;

  private ApiWrites(Map<String, Long> counts) {
    this.counts = counts;
  }

  /** The writes counted so far, by {@code resource} or {@code resource/subresource}. */
  public static ApiWrites now(KubernetesClient client) {
    Map<String, Long> writes = new TreeMap<>();
    for (String text : client.raw("/metrics").split("\n")) {
      Matcher sample = SAMPLE.matcher(text);
      if (!sample.matches()) {
        continue;
      }
      String labels = sample.group(1);
      Matcher resource = RESOURCE.matcher(labels);
      if (!VERB.matcher(labels).find() || !resource.find()) {
        continue;
      }
      Matcher sub = SUBRESOURCE.matcher(labels);
      String key =
          resource.group(1) + (sub.find() && !sub.group(1).isEmpty() ? "/" + sub.group(1) : "");
      writes.merge(key, (long) Double.parseDouble(sample.group(2)), Long::sum);
    }
    return new ApiWrites(writes);
  }

  /** The writes since {@code before}, by resource; resources without any left out. */
  public Map<String, Long> since(ApiWrites before) {
    Map<String, Long> delta = new TreeMap<>();
    counts.forEach(
        (resource, count) -> {
          long d = count - before.counts.getOrDefault(resource, 0L);
          if (d > 0) {
            delta.put(resource, d);
          }
        });
    return delta;
  }

  /** The sum of a delta from {@link #since}. */
  public static long total(Map<String, Long> delta) {
    return delta.values().stream().mapToLong(Long::longValue).sum();
  }
}
