package org.ipam.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipam.core.testing.LocalControlPlane;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The cluster the suite drives: the cluster of {@code -Dipam.e2e.kubeconfig=FILE} when given (kind,
 * through hack/e2e-kind.sh), else one local kube-apiserver and etcd for the whole run. Declare a
 * {@link Cluster} parameter and use {@code @ExtendWith(TargetCluster.class)}.
 */
final class TargetCluster implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TargetCluster.class);

  /** A cluster: its kubeconfig as a file (for the controller's --kubeconfig) and clients. */
  record Cluster(Path kubeconfig) {
    KubernetesClient newClient() {
      try {
        return new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent("cluster", key -> open(), Open.class)
        .cluster();
  }

  private static Open open() {
    var external = E2eSettings.externalKubeconfig();
    if (external.isPresent()) {
      return new Open(new Cluster(external.get()), null);
    }
    LocalControlPlane plane = new LocalControlPlane().start();
    try {
      Path file = E2eSettings.logDirectory().resolve("local-control-plane.kubeconfig");
      Files.createDirectories(file.getParent());
      Files.writeString(file, plane.kubeconfig());
      return new Open(new Cluster(file), plane);
    } catch (IOException e) {
      plane.close();
      throw new UncheckedIOException(e);
    }
  }

  private record Open(Cluster cluster, LocalControlPlane plane) implements AutoCloseable {
    @Override
    public void close() {
      if (plane != null) {
        plane.close();
      }
    }
  }
}
