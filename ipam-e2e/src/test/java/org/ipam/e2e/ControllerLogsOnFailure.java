package org.ipam.e2e;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints where each controller process's log is and its last lines (the whole
 * log stays in {@code target/e2e-logs}); after every test, stops whatever processes it left. (A
 * watcher, not an after-each callback: JUnit calls watchers last, so the logs are still there.)
 */
final class ControllerLogsOnFailure implements TestWatcher {
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (ControllerProcess process : ControllerProcess.STARTED) {
      System.err.printf(
          "%n----- %s failed; controller %s, log %s, last lines:%n%s%n-----%n",
          context.getDisplayName(), process.name(), process.logFile(), process.logTail());
    }
    stopAll();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    stopAll();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    stopAll();
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    stopAll();
  }

  private static void stopAll() {
    for (ControllerProcess process : List.copyOf(ControllerProcess.STARTED)) {
      process.close();
    }
  }
}
