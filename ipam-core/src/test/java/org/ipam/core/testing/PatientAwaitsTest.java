package org.ipam.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link PatientAwaits} is found by autodetection and makes a throwing condition "not yet". */
class PatientAwaitsTest {
  @Test
  void aConditionThatThrowsBeforeItHoldsIsWaitedFor() {
    AtomicInteger polls = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(
            () -> {
              if (polls.incrementAndGet() < 3) {
                throw new NullPointerException("status not written yet");
              }
            });
    assertThat(polls).hasValueGreaterThanOrEqualTo(3);
  }
}
