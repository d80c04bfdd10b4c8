package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A burst's events on one object become one event per window; a single one stays as it is. */
class CoalescedEventsTest {
  private final List<Runnable> due = new ArrayList<>();
  private boolean fenced;
  private final List<String> written = new ArrayList<>();
  private final CoalescedEvents events =
      new CoalescedEvents(
          (object, type, reason, message) ->
              written.add(
                  object.getMetadata().getName()
                      + " "
                      + object.getMetadata().getResourceVersion()
                      + " "
                      + type
                      + " "
                      + reason
                      + ": "
                      + message),
          (task, delay) -> {
            assertThat(delay).isEqualTo(Duration.ofSeconds(1));
            due.add(task);
          },
          Duration.ofSeconds(1),
          () -> fenced);

  @Test
  void aSingleMessageIsWrittenAsItIsOnceItsWindowEnds() {
    events.normal(range("a", "1"), "allocation", "cidr 10.0.0.1/32 allocated");
    assertThat(written).isEmpty();

    runDue();

    assertThat(written).containsExactly("a 1 Normal allocation: cidr 10.0.0.1/32 allocated");
  }

  @Test
  void aBurstOnOneObjectIsOneEventListingTheFirstTenAndCountingTheRest() {
    for (int i = 1; i <= 25; i++) {
      events.normal(
          range("a", String.valueOf(i)), "allocation", "cidr 10.0.0." + i + "/32 allocated");
    }
    events.normal(range("a", "26"), "release", "cidr 10.0.0.1/32 released");
    events.normal(range("b", "1"), "allocation", "cidr 10.1.0.1/32 allocated");
    assertThat(due).as("one window per object and reason").hasSize(3);

    runDue();

    assertThat(written).hasSize(3);
    assertThat(written.get(0))
        .startsWith("a 25 Normal allocation: 25 within 1 s: cidr 10.0.0.1/32 allocated; ")
        .contains("cidr 10.0.0.10/32 allocated; and 15 more")
        .doesNotContain("10.0.0.11/32");
    assertThat(written.get(1)).isEqualTo("a 26 Normal release: cidr 10.0.0.1/32 released");
    assertThat(written.get(2)).isEqualTo("b 1 Normal allocation: cidr 10.1.0.1/32 allocated");
  }

  @Test
  void aMessageAfterItsWindowEndedStartsAnother() {
    events.normal(range("a", "1"), "allocation", "first");
    runDue();
    events.normal(range("a", "2"), "allocation", "second");
    events.normal(range("a", "3"), "allocation", "third");
    runDue();

    assertThat(written)
        .containsExactly(
            "a 1 Normal allocation: first", "a 3 Normal allocation: 2 within 1 s: second; third");
  }

  @Test
  void nothingIsWrittenOnceFenced() {
    events.normal(range("a", "1"), "allocation", "cidr 10.0.0.1/32 allocated");
    fenced = true;

    runDue();

    assertThat(written).isEmpty();
  }

  @Test
  void aScheduleThatFailsLeavesNothingPending() {
    java.util.concurrent.atomic.AtomicBoolean refuse =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    CoalescedEvents failing =
        new CoalescedEvents(
            (object, type, reason, message) -> written.add(message),
            (task, delay) -> {
              if (refuse.getAndSet(false)) {
                throw new java.util.concurrent.RejectedExecutionException("shut down");
              }
              due.add(task);
            },
            Duration.ofSeconds(1),
            () -> false);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> failing.normal(range("a", "1"), "allocation", "lost"))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);

    failing.normal(range("a", "2"), "allocation", "second");
    runDue();

    assertThat(written).containsExactly("second");
  }

  private void runDue() {
    List<Runnable> now = new ArrayList<>(due);
    due.clear();
    now.forEach(Runnable::run);
  }

  private static HasMetadata range(String name, String resourceVersion) {
    ConfigMap object =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName(name)
            .withUid("uid-" + name)
            .withResourceVersion(resourceVersion)
            .endMetadata()
            .build();
    return object;
  }
}
