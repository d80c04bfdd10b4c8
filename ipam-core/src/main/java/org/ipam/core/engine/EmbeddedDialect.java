package org.ipam.core.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.Set;

/**
 * A dialect embedded in an operator of one's own (docs/library.md): its reconcilers registered by
 * the same {@link DialectModule#register} the controller binary calls, with an allocation engine of
 * its own. Each dialect's library entry (Metal3Dialect, InClusterDialect) is one of these.
 */
public abstract class EmbeddedDialect implements AutoCloseable {
  /** The controller binary's default: enough writes in flight for a burst of claims. */
  private static final int WRITE_THREADS = 8;

  private final AllocationEngine engine;

  protected EmbeddedDialect(AllocationEngine engine) {
    this.engine = engine;
  }

  /**
   * Registers the module's reconcilers on the operator, watching these namespaces (empty: all), and
   * returns the engine they share. Before operator.start().
   */
  protected static AllocationEngine registerModule(
      DialectModule module, Operator operator, KubernetesClient client, Set<String> namespaces) {
    AllocationEngine engine = new AllocationEngine(WRITE_THREADS, EngineListener.NONE);
    module.register(
        operator, OperatorStartup.parent(client, engine, Clock.systemUTC()), namespaces);
    return engine;
  }

  /** Installs the module's CRDs (server-side apply) and waits until the API server serves them. */
  protected static void installModuleCrds(
      KubernetesClient client, DialectModule module, Class<?> resourcesOf) {
    Crds.install(client, resourcesOf.getClassLoader(), module.crdResources());
  }

  /**
   * The engine that serialises the dialect's pools. An operator that runs more than one replica
   * with leader election calls {@code engine().fence()} when it loses the Lease, so that nothing
   * more is written (the controller binary does the same).
   */
  public AllocationEngine engine() {
    return engine;
  }

  /** Stops the engine's writer threads; call after {@code operator.stop()}. */
  @Override
  public void close() {
    engine.close();
  }
}
