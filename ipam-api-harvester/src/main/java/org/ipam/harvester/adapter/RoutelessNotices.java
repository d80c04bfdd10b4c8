package org.ipam.harvester.adapter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the claims no pool's pass sees: one that no pool serves is told so (a LoadBalancer's
 * {@code Ready=False} with upstream's {@code no matched IPPool with requirement ...}, a Service's
 * condition), a {@code dhcp} LoadBalancer that it gets its address by DHCP ({@code
 * allocatedAddress.ip: 0.0.0.0}, as upstream), and one being released that no pool holds loses its
 * finalizer. On a thread of its own, after a short delay and only if things still stand so: at
 * start the pools may not be known yet.
 */
final class RoutelessNotices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoutelessNotices.class);
  static final Duration SETTLE = Duration.ofSeconds(2);

  private final ClaimRoutes routes;
  private final ClaimWriters writers;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "harvester-routeless-notices");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, HarvesterClaim> due = new ConcurrentHashMap<>();

  RoutelessNotices(ClaimRoutes routes, ClaimWriters writers) {
    this.routes = routes;
    this.writers = writers;
  }

  void tell(HarvesterClaim claim) {
    if (due.put(claim.uid(), claim) == null) {
      writer.schedule(() -> write(claim.uid()), SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void write(String uid) {
    HarvesterClaim claim = due.remove(uid);
    if (claim == null || routes.routeOf(uid).isPresent()) {
      return;
    }
    try {
      if (claim.releasing()) {
        // Held by no pool (as far as every ledger seen says): nothing to release but the finalizer.
        // Should a ledger not seen yet hold it after all, its entry goes as an orphan's.
        if (!routes.holdsSomewhere(uid)) {
          claim.letGo(writers);
        }
        return;
      }
      claim.tellUnrouted(writers, routes.selectionOf(claim));
    } catch (RuntimeException e) {
      LOG.warn("{}: status not written: {}", claim.describe(), e.getMessage());
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
