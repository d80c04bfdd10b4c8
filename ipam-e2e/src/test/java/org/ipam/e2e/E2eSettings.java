package org.ipam.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the suite finds the controller and writes its logs, set by failsafe (ipam-e2e/pom.xml). */
final class E2eSettings {
  private E2eSettings() {}

  static Path controllerJar() {
    Path jar = path("ipam.e2e.jar", "../ipam-controller/target/ipam-controller.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the e2e suite runs the packaged controller (mvn verify builds it)");
    }
    return jar;
  }

  static Path repositoryRoot() {
    return path("ipam.e2e.root", "..");
  }

  static Path logDirectory() {
    return path("ipam.e2e.logs", "target/e2e-logs");
  }

  /** A cluster to run against instead of the suite's own control plane (hack/e2e-kind.sh). */
  static Optional<Path> externalKubeconfig() {
    String file = System.getProperty("ipam.e2e.kubeconfig", "");
    return file.isBlank() ? Optional.empty() : Optional.of(Path.of(file).toAbsolutePath());
  }

  private static Path path(String property, String fallback) {
    return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
  }
}
