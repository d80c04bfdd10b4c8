package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long the workload's claims took to be served in one run of the campaign: from the first try
 * of a claim's create to the first time an informer on the claims ({@link
 * CampaignDialect#informServed}) sees it served. Split at one moment (the start of {@link
 * CampaignScenario#BADINPUT}'s bad input): claims created before it and after it. Reported only,
 * never asserted: a timed assertion would fail on a busy machine for no fault of the product.
 *
 * <p>The informer also tells which bad claims were served ({@link #servedInvalid}).
 */
final class CampaignServeTimes {
  private final Map<String, Long> createdNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> servedNanos = new ConcurrentHashMap<>();
  private final Set<String> servedInvalid = ConcurrentHashMap.newKeySet();

  /**
   * Notes that a claim's create is being tried (a claim deleted and created again under its name
   * keeps its first time): the workload calls it before each create.
   */
  void creating(String name) {
    createdNanos.putIfAbsent(name, System.nanoTime());
  }

  /** Starts the informer that reports the namespace's claims served. */
  SharedIndexInformer<?> watch(CampaignDialect dialect, KubernetesClient client, String namespace) {
    return dialect.informServed(client, namespace, this::served);
  }

  private void served(String name) {
    if (CampaignBadInput.isInvalid(name)) {
      servedInvalid.add(name);
    } else if (createdNanos.containsKey(name)) {
      servedNanos.putIfAbsent(name, System.nanoTime());
    }
  }

  /** Names of bad claims the informer saw served. */
  Set<String> servedInvalid() {
    return Collections.unmodifiableSet(new TreeSet<>(servedInvalid));
  }

  /**
   * The serve times of claims whose create was first tried before {@code splitNanos}, or after it
   * (0: no split, every claim is before).
   */
  Figures figures(long splitNanos, boolean after) {
    List<Long> millis = new ArrayList<>();
    servedNanos.forEach(
        (name, served) -> {
          long created = createdNanos.get(name);
          boolean isAfter = splitNanos != 0 && created >= splitNanos;
          if (isAfter == after) {
            millis.add((served - created) / 1_000_000);
          }
        });
    Collections.sort(millis);
    return new Figures(millis.size(), percentile(millis, 50), percentile(millis, 90));
  }

  /** The nearest-rank percentile, or -1 when there is no value. */
  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /**
   * Serve times of a group of claims.
   *
   * @param served claims of the group seen served
   * @param p50Millis the median, -1 when none was served
   * @param p90Millis the 90th percentile, -1 when none was served
   */
  record Figures(int served, long p50Millis, long p90Millis) {
    static final Figures NONE = new Figures(0, -1, -1);

    String p50() {
      return p50Millis < 0 ? "-" : String.valueOf(p50Millis);
    }

    String p90() {
      return p90Millis < 0 ? "-" : String.valueOf(p90Millis);
    }
  }
}
