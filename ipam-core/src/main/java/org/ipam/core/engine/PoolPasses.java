package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a dialect's pool reconciler runs a pass: a 409 (the pool changed between a read and a write)
 * is routine and tried again at once, quietly; any other failure is logged in one line and tried
 * again after {@link #ERROR_RETRY}. Never left to the operator framework's retry, which gives up
 * after a few attempts and would leave the pool's claims waiting for an event that may not come.
 */
public final class PoolPasses {
  private static final Logger LOG = LoggerFactory.getLogger(PoolPasses.class);

  /** After a 409 on the pool. */
  public static final Duration CONFLICT_RETRY = Duration.ofMillis(200);

  /** After any other failure (an API server outage, a timeout). */
  public static final Duration ERROR_RETRY = Duration.ofSeconds(5);

  private PoolPasses() {}

  /**
   * Runs a pass; whatever it throws but a {@linkplain #isFatal fatal} error is logged and the pass
   * tried again: an Error too (a StackOverflowError, a class that failed to load), which would
   * otherwise go to the operator framework's limited retry.
   */
  public static <P extends HasMetadata> UpdateControl<P> guarded(
      P pool, Supplier<UpdateControl<P>> pass) {
    try {
      return pass.get();
    } catch (Throwable e) {
      if (isFatal(e)) {
        throw (Error) e;
      }
      String what =
          pool.getKind()
              + " "
              + (pool.getMetadata().getNamespace() == null
                  ? ""
                  : pool.getMetadata().getNamespace() + "/")
              + pool.getMetadata().getName();
      if (Conflicts.isConflict(e)) {
        LOG.debug("{}: conflict, tried again: {}", what, e.getMessage());
        return UpdateControl.<P>noUpdate().rescheduleAfter(CONFLICT_RETRY);
      }
      if (e instanceof RuntimeException) {
        LOG.warn(
            "{}: pass failed, tried again in {} s: {}",
            what,
            ERROR_RETRY.toSeconds(),
            e.toString());
      } else {
        // An Error is a bug or a broken deployment, not an outage: its stack trace says where.
        LOG.warn("{}: pass failed, tried again in {} s", what, ERROR_RETRY.toSeconds(), e);
      }
      return UpdateControl.<P>noUpdate().rescheduleAfter(ERROR_RETRY);
    }
  }

  /**
   * Whether a throwable means the JVM itself is failing (out of memory, an internal error): the
   * engine and the passes let only those go. Everything else costs what threw it alone (one claim's
   * decision, one write, one pass), an Error included: a {@link StackOverflowError} unwound the
   * stack as it was thrown and leaves the thread sound, a {@link LinkageError} (a class that failed
   * to load) fails the same way on every try, and an {@link AssertionError} is a bug in one place.
   * Stopping a pool's passes for any of them would stall every claim of the pool for good.
   */
  static boolean isFatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }
}
