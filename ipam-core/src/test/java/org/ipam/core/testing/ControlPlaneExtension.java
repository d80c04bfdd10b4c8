package org.ipam.core.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a client for a real kube-apiserver. One control plane serves every test class of a
 * JVM (starting one costs seconds); tests keep apart by using their own namespaces or object names.
 * Each test class gets its own client, closed after the class. Use
 * {@code @ExtendWith(ControlPlaneExtension.class)} and declare a {@link KubernetesClient} or {@link
 * LocalControlPlane} parameter.
 */
public final class ControlPlaneExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == LocalControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalControlPlane plane = sharedControlPlane(context);
    if (parameter.getParameter().getType() == LocalControlPlane.class) {
      return plane;
    }
    return classContext(context)
        .getStore(NAMESPACE)
        .computeIfAbsent("client", key -> new ClosingClient(plane.newClient()), ClosingClient.class)
        .client();
  }

  /** The context of the test class, so that every method of a class shares one client. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static LocalControlPlane sharedControlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            "plane", key -> new ClosingPlane(new LocalControlPlane().start()), ClosingPlane.class)
        .plane();
  }

  private record ClosingPlane(LocalControlPlane plane) implements AutoCloseable {
    @Override
    public void close() {
      plane.close();
    }
  }

  private record ClosingClient(KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }
}
