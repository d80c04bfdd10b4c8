package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A pool's pass that throws is tried again by {@link PoolPasses#guarded}, never left to the
 * operator framework's limited retry: whatever it threw, short of the JVM itself failing.
 */
class PoolPassesTest {
  private static final ConfigMap POOL =
      new ConfigMapBuilder()
          .withNewMetadata()
          .withNamespace("ns")
          .withName("pool")
          .endMetadata()
          .build();

  /**
   * Before: only RuntimeExceptions were caught; a StackOverflowError or a class that failed to load
   * went to the operator framework, whose retry gives up after a few attempts and leaves the pool's
   * claims waiting for an event that may never come.
   */
  @Test
  void aPassThatThrowsAnErrorThatLeavesTheJvmSoundIsTriedAgainAfterTheErrorRetry() {
    for (Throwable thrown :
        new Throwable[] {
          new IllegalStateException("connection refused"),
          new StackOverflowError(),
          new NoClassDefFoundError("io/fabric8/Gone"),
          new AssertionError("a bug")
        }) {
      UpdateControl<ConfigMap> control = PoolPasses.guarded(POOL, throwing(thrown));
      assertThat(control.getScheduleDelay())
          .as("%s", thrown)
          .contains(PoolPasses.ERROR_RETRY.toMillis());
    }
  }

  @Test
  void aConflictIsTriedAgainAtOnceQuietly() {
    UpdateControl<ConfigMap> control =
        PoolPasses.guarded(POOL, throwing(new KubernetesClientException("changed", 409, null)));
    assertThat(control.getScheduleDelay()).contains(PoolPasses.CONFLICT_RETRY.toMillis());
  }

  @Test
  void anOutOfMemoryErrorIsNotSwallowed() {
    assertThatThrownBy(() -> PoolPasses.guarded(POOL, throwing(new OutOfMemoryError("heap"))))
        .isInstanceOf(OutOfMemoryError.class);
  }

  private static Supplier<UpdateControl<ConfigMap>> throwing(Throwable thrown) {
    return () -> {
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      throw (Error) thrown;
    };
  }
}
