package org.ipam.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/** Awaitility waits that report, rather than throw, when the condition does not come in time. */
final class Awaits {
  private Awaits() {}

  /**
   * Polls a condition every 3 s (API errors of a busy API server count as "not yet") until it
   * holds; false when it does not within the timeout, so that the test can still print what it
   * found before it fails.
   */
  static boolean quietly(Duration timeout, Callable<Boolean> condition) {
    try {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ofSeconds(1))
          .pollInterval(Duration.ofSeconds(3))
          .ignoreExceptions()
          .until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
