package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The latest value of a key is handled, none is dropped, and passing failures are retried. */
class LatestFirstTest {
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @Test
  void aValueGivenWhileOneIsHandledIsHandledAfterItAndOnlyTheNewestOfThoseWaiting()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (LatestFirst<String> worker =
        new LatestFirst<>(
            "test",
            Duration.ofMillis(10),
            value -> {
              if (value.equals("first")) {
                started.countDown();
                awaitQuietly(release);
              }
              handled.add(value);
            })) {
      worker.submit("a", "first");
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      worker.submit("a", "second");
      worker.submit("a", "third");
      worker.submit("b", "other");
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
      assertThat(handled).containsExactly("first", "third", "other");
      assertThat(worker.waiting()).isZero();
    }
  }

  @Test
  void passingFailuresAreTriedUntilTheyPassOthersAFewTimesAndBugsOnce() {
    try (LatestFirst<String> worker =
        new LatestFirst<>(
            "test",
            Duration.ofMillis(10),
            value -> {
              handled.add(value);
              long tries = handled.stream().filter(value::equals).count();
              if (value.equals("unavailable") && tries < 3) {
                throw new KubernetesClientException("unavailable", 503, null);
              }
              if (value.equals("unanswered") && tries < 3) {
                throw new KubernetesClientException("no answer", -1, null);
              }
              if (value.equals("conflict")) {
                throw new KubernetesClientException("conflict", 409, null);
              }
              if (value.equals("bug")) {
                throw new IllegalStateException("a bug");
              }
            })) {
      worker.submit("a", "unavailable");
      worker.submit("b", "conflict");
      worker.submit("c", "unanswered");
      worker.submit("d", "bug");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  handled.stream().filter("unavailable"::equals).count() == 3
                      && handled.stream().filter("unanswered"::equals).count() == 3
                      && handled.stream().filter("conflict"::equals).count()
                          == LatestFirst.OTHER_TRIES);
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.waiting() == 0);
      assertThat(handled.stream().filter("conflict"::equals).count())
          .as("given up after its tries")
          .isEqualTo(LatestFirst.OTHER_TRIES);
      assertThat(handled.stream().filter("bug"::equals).count()).isEqualTo(1);
      worker.submit("e", "after");
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("after"));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
