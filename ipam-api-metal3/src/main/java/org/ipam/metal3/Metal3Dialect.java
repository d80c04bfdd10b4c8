package org.ipam.metal3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.List;
import java.util.Set;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EmbeddedDialect;
import org.ipam.metal3.adapter.Metal3DialectModule;

/**
 * The Metal3 dialect as a library, for a team that runs its own Java Operator SDK operator
 * (docs/library.md): {@link #register} adds the dialect's reconcilers to that operator, by the same
 * {@code DialectModule#register} the controller binary calls, so the embedded dialect behaves as
 * the binary's. Needs no ipam-controller on the class path.
 *
 * <pre>{@code
 * Operator operator = new Operator(o -> o.withKubernetesClient(client));
 * Metal3Dialect metal3 = Metal3Dialect.register(operator, client);
 * operator.start();
 * // on shutdown: operator.stop(); metal3.close();
 * }</pre>
 */
public final class Metal3Dialect extends EmbeddedDialect {
  private Metal3Dialect(AllocationEngine engine) {
    super(engine);
  }

  /** Registers the dialect on the operator, watching every namespace. Before operator.start(). */
  public static Metal3Dialect register(Operator operator, KubernetesClient client) {
    return register(operator, client, Set.of());
  }

  /**
   * Registers the dialect on the operator, watching these namespaces (empty: all), with an
   * allocation engine of its own. Before operator.start().
   */
  public static Metal3Dialect register(
      Operator operator, KubernetesClient client, Set<String> namespaces) {
    return new Metal3Dialect(
        registerModule(new Metal3DialectModule(), operator, client, namespaces));
  }

  /**
   * The CRD manifests the dialect needs, as class-path resources (the same as {@code config/crd}):
   * Metal3 IPPool, IPClaim, IPAddress, and Cluster API IPAddressClaim and IPAddress.
   */
  public static List<String> crdResources() {
    return new Metal3DialectModule().crdResources();
  }

  /**
   * Installs those CRDs (server-side apply) and waits until the API server serves them: for tests
   * and development clusters; a production cluster usually applies {@code config/crd}.
   */
  public static void installCrds(KubernetesClient client) {
    installModuleCrds(client, new Metal3DialectModule(), Metal3Dialect.class);
  }
}
