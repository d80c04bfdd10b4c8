package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
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
}
