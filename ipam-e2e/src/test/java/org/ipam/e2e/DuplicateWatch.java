package org.ipam.e2e;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * Looks for an address held for two claims while a campaign run goes on, every {@value
 * #INTERVAL_MILLIS} ms, and remembers every one it saw: a duplicate that a later release hides is
 * still one. A look that fails (the API server is away) is skipped.
 *
 * <p>One look is several lists, read one after the other while the controller works: an address
 * released and handed out again between two of them can look held twice. So a duplicate counts only
 * when a second look, taken at once, still shows it. (The final audit, taken once everything has
 * settled, needs no second look.)
 */
final class DuplicateWatch {
  private static final long INTERVAL_MILLIS = 2_000;

  private final Callable<CampaignAudit> audit;
  private final Set<String> seen = new TreeSet<>();
  private volatile boolean stopped;
  private Thread thread;
  private int looks;

  DuplicateWatch(Callable<CampaignAudit> audit) {
    this.audit = audit;
  }

  void start() {
    thread = new Thread(this::watch, "duplicate-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    while (!stopped) {
      try {
        CampaignAudit look = audit.call();
        Set<String> confirmed = new TreeSet<>(look.heldTwice());
        if (!confirmed.isEmpty()) {
          confirmed.retainAll(audit.call().heldTwice());
        }
        synchronized (this) {
          seen.addAll(confirmed);
          looks++;
        }
      } catch (Exception awayOrBusy) {
        // The API server is being killed: the next look counts.
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() throws InterruptedException {
    stopped = true;
    thread.interrupt();
    thread.join(Duration.ofMinutes(1).toMillis());
  }

  synchronized Set<String> heldTwiceSeen() {
    return new TreeSet<>(seen);
  }

  synchronized int looks() {
    return looks;
  }
}
