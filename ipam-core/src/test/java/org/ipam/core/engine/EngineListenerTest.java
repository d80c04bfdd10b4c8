package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.PoolCounts;
import org.junit.jupiter.api.Test;

/**
 * What the engine tells its listener (the metrics): each allocation, failure reason and release
 * once, however many passes see it; and the claims that wait, with the oldest one's age.
 */
class EngineListenerTest {
  private final FakeClock clock = new FakeClock();
  private final InMemoryApi api = new InMemoryApi(clock);
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private volatile int pendingClaims = -1;
  private volatile Optional<Instant> oldestPending = Optional.empty();

  private final EngineListener listener =
      new EngineListener() {
        @Override
        public void decided(PoolKey pool, String result, double seconds) {
          heard.add(result);
        }

        @Override
        public void failed(PoolKey pool, AllocationFailure failure) {
          heard.add("failed " + failure.getClass().getSimpleName());
        }

        @Override
        public void released(PoolKey pool) {
          heard.add("released");
        }

        @Override
        public void pending(PoolKey pool, int claims, Optional<Instant> oldestCreated) {
          pendingClaims = claims;
          oldestPending = oldestCreated;
        }

        @Override
        public void counted(PoolKey pool, PoolCounts counts) {}

        @Override
        public void forgotten(PoolKey pool) {}
      };

  @Test
  void aClaimThatWaitsThroughManyPassesIsOneFailureAndIsCountedAsPending() {
    try (Writer writer =
        Writer.withListener(
            api, clock, AllocationEngineTest.v4("10.0.0.1", "10.0.0.1"), listener)) {
      api.createClaim("IPClaim", "first");
      clock.advance(Duration.ofSeconds(1));
      FakeClaim waiting = api.createClaim("IPClaim", "second");
      for (int i = 0; i < 5; i++) {
        writer.flushAndPass();
        clock.advance(Duration.ofSeconds(2));
      }

      assertThat(heard).containsExactly("allocated", "failed Exhausted");
      assertThat(pendingClaims).isEqualTo(1);
      assertThat(oldestPending).contains(waiting.created());

      api.deleteClaim("IPClaim", "first");
      for (int i = 0; i < 5; i++) {
        writer.flushAndPass();
        clock.advance(Duration.ofSeconds(2));
      }

      assertThat(heard).containsExactly("allocated", "failed Exhausted", "released", "allocated");
      assertThat(pendingClaims).isZero();
      assertThat(oldestPending).isEmpty();
    }
  }
}
