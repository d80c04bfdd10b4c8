package org.ipam.incluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.List;
import java.util.Set;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EmbeddedDialect;
import org.ipam.incluster.adapter.InClusterDialectModule;

/**
 * The in-cluster dialect as a library, for a team that runs its own Java Operator SDK operator
 * (docs/library.md): {@link #register} adds the reconcilers of the four pool kinds to that
 * operator, by the same {@code DialectModule#register} the controller binary calls, so the embedded
 * dialect serves Cluster API IPAddressClaims as the binary does. Needs no ipam-controller on the
 * class path.
 *
 * <pre>{@code
 * Operator operator = new Operator(o -> o.withKubernetesClient(client));
 * InClusterDialect inCluster = InClusterDialect.register(operator, client);
 * operator.start();
 * // on shutdown: operator.stop(); inCluster.close();
 * }</pre>
 */
public final class InClusterDialect extends EmbeddedDialect {
  private InClusterDialect(AllocationEngine engine) {
    super(engine);
  }

  /** Registers the dialect on the operator, watching every namespace. Before operator.start(). */
  public static InClusterDialect register(Operator operator, KubernetesClient client) {
    return register(operator, client, Set.of());
  }

  /**
   * Registers the dialect on the operator, watching these namespaces (empty: all), with an
   * allocation engine of its own. Before operator.start(). A Global pool serves the claims of the
   * watched namespaces only.
   */
  public static InClusterDialect register(
      Operator operator, KubernetesClient client, Set<String> namespaces) {
    return new InClusterDialect(
        registerModule(new InClusterDialectModule(), operator, client, namespaces));
  }

  /**
   * The CRD manifests the dialect needs, as class-path resources: the four pool kinds, and Cluster
   * API IPAddressClaim and IPAddress.
   */
  public static List<String> crdResources() {
    return new InClusterDialectModule().crdResources();
  }

  /**
   * Installs those CRDs (server-side apply) and waits until the API server serves them: for tests
   * and development clusters. They are the generated CRDs, without what docs/incluster.md
   * ("Installing the CRDs") adds at install time: the conversion webhook of the IP pools' v1alpha1
   * and clusterctl's move-hierarchy label; a production cluster applies {@code config/crd}.
   */
  public static void installCrds(KubernetesClient client) {
    installModuleCrds(client, new InClusterDialectModule(), InClusterDialect.class);
  }
}
