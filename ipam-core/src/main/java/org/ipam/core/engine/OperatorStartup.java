package org.ipam.core.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one way to start the operator, used by the controller binary and by every dialect's
 * integration tests, so that what protects the binary at start (an informer retried when the API
 * server drops a connection right after a CRD install) protects the tests too.
 */
public final class OperatorStartup {
  private OperatorStartup() {}

  /** The operator as the binary configures it; {@code more} adds what the caller needs. */
  public static Operator operator(
      KubernetesClient client, Consumer<ConfigurationServiceOverrider> more) {
    return new Operator(
        o -> {
          o.withKubernetesClient(client)
              .withCloseClientOnStop(false)
              // An API server that drops a connection while an informer starts (as one does right
              // after a CRD is installed) is retried, not fatal; readiness shows it.
              .withStopOnInformerErrorDuringStartup(false);
          more.accept(o);
        });
  }

  /**
   * What every dialect module gets from its parent injector: client, engine, clock, and the
   * process's {@link SharedWatches}.
   */
  public static Injector parent(KubernetesClient client, AllocationEngine engine, Clock clock) {
    return parent(client, engine, clock, WatchFilter.NONE);
  }

  /** The same, with Cluster API's {@code --watch-filter} for the dialects that honour it. */
  public static Injector parent(
      KubernetesClient client, AllocationEngine engine, Clock clock, WatchFilter watchFilter) {
    return Guice.createInjector(
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(KubernetesClient.class).toInstance(client);
            bind(AllocationEngine.class).toInstance(engine);
            bind(Clock.class).toInstance(clock);
            bind(WatchFilter.class).toInstance(watchFilter);
            bind(SharedWatches.class).toInstance(new SharedWatches(client));
          }
        });
  }

  /** The dialect's reconcilers, built by its Guice module under the parent injector. */
  public static Set<Reconciler<?>> reconcilers(Injector parent, DialectModule dialect) {
    return parent
        .createChildInjector(dialect)
        .getInstance(Key.get(new TypeLiteral<Set<Reconciler<?>>>() {}));
  }
}
