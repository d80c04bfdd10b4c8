package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPITestException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The midnight case of kube-api-test's readiness deadline: CI failed once because two control
 * planes started at 23:59:52 and 23:59:53, and kube-api-test saw its deadline (00:01:52) as past.
 */
class LoopbackApiServerTest {
  private static final Duration TIMEOUT = LoopbackApiServer.STARTUP_TIMEOUT;

  @Test
  void aStartJustBeforeMidnightHasADeadlineOnTheNextDay() {
    assertThat(LoopbackApiServer.deadlineWrapsMidnight(LocalTime.of(23, 59, 52), TIMEOUT)).isTrue();
    assertThat(LoopbackApiServer.deadlineWrapsMidnight(LocalTime.of(23, 58, 1), TIMEOUT)).isTrue();
  }

  @Test
  void aStartEarlierInTheDayKeepsItsDeadlineOnTheSameDay() {
    assertThat(LoopbackApiServer.deadlineWrapsMidnight(LocalTime.of(23, 57, 59), TIMEOUT))
        .isFalse();
    assertThat(LoopbackApiServer.deadlineWrapsMidnight(LocalTime.MIDNIGHT, TIMEOUT)).isFalse();
    assertThat(LoopbackApiServer.deadlineWrapsMidnight(LocalTime.NOON, TIMEOUT)).isFalse();
  }

  /** A control plane that fails to start the first {@code failures} times it is asked. */
  private static final class Flaky extends KubeAPIServer {
    private final List<String> calls;
    private final boolean fails;

    Flaky(List<String> calls, boolean fails) {
      this.calls = calls;
      this.fails = fails;
    }

    @Override
    public void start() {
      calls.add("start");
      if (fails) {
        throw new KubeAPITestException("API Server process stopped unexpectedly");
      }
    }

    @Override
    public void stop() {
      calls.add("stop");
      // As kube-api-test does when its own handler has already cleaned up.
      throw new KubeAPITestException(new NoSuchFileException("/tmp/etcddata1"));
    }
  }

  /**
   * CI (a series with another build beside it): the API server exited at start, its port taken
   * between kube-api-test's probe and its bind; the stop that followed failed on the data directory
   * kube-api-test had already removed, and hid why. A failed start is stopped and started afresh.
   */
  @Test
  void aFailedStartIsStoppedAndTriedAgainWithAFreshServer() {
    List<String> calls = new ArrayList<>();
    AtomicInteger made = new AtomicInteger();

    KubeAPIServer started =
        LoopbackApiServer.startFresh(() -> new Flaky(calls, made.incrementAndGet() < 3));

    assertThat(made).hasValue(3);
    assertThat(calls).containsExactly("start", "stop", "start", "stop", "start");
    assertThat(started).isInstanceOf(Flaky.class);
  }

  @Test
  void whenEveryStartFailsTheStartFailureIsThrownNotTheStopFailure() {
    List<String> calls = new ArrayList<>();

    assertThatThrownBy(() -> LoopbackApiServer.startFresh(() -> new Flaky(calls, true)))
        .isInstanceOf(KubeAPITestException.class)
        .hasMessageContaining("stopped unexpectedly");
    assertThat(calls).hasSize(2 * LoopbackApiServer.START_ATTEMPTS);
  }
}
