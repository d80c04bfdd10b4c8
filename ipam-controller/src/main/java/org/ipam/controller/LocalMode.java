package org.ipam.controller;

import io.fabric8.kubeapitest.KubeAPIServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipam.core.localplane.LoopbackApiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a kube-apiserver and etcd of our own, from the binaries {@code
 * hack/kube-bins/build.sh} builds from the Go module proxy (built first if missing, when the script
 * is at hand), with the kubeconfig written to a file. Stopping it stops both processes.
 */
final class LocalMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
  static final String KUBE_VERSION = "1.36.5";
  private static final Path BUILD_SCRIPT = Path.of("hack", "kube-bins", "build.sh");

  private final KubeAPIServer server;
  private final String kubeconfig;

  private LocalMode(KubeAPIServer server, String kubeconfig) {
    this.server = server;
    this.kubeconfig = kubeconfig;
  }

  static LocalMode start(Path kubeconfigFile) throws IOException, InterruptedException {
    ensureBinaries();
    KubeAPIServer server = LoopbackApiServer.start(KUBE_VERSION);
    String kubeconfig = server.getKubeConfigYaml();
    Files.writeString(kubeconfigFile, kubeconfig);
    LOG.info(
        "local control plane (kube-apiserver {}) is up; use it with: kubectl --kubeconfig {} get ippools -A",
        KUBE_VERSION,
        kubeconfigFile.toAbsolutePath());
    return new LocalMode(server, kubeconfig);
  }

  private static void ensureBinaries() throws IOException, InterruptedException {
    Path home =
        Path.of(
            System.getProperty("user.home"), ".kubeapitest", "k8s", KUBE_VERSION + "-linux-amd64");
    if (Files.isExecutable(home.resolve("kube-apiserver"))) {
      return;
    }
    if (!Files.isExecutable(BUILD_SCRIPT)) {
      throw new IOException(
          "no kube-apiserver in "
              + home
              + ", and "
              + BUILD_SCRIPT
              + " is not here to build it: run"
              + " the controller from the repository root, or run hack/kube-bins/build.sh once");
    }
    LOG.info(
        "building kube-apiserver, etcd and kubectl {} from the Go module proxy (minutes, once)",
        KUBE_VERSION);
    ProcessBuilder builder = new ProcessBuilder(BUILD_SCRIPT.toString()).inheritIO();
    builder.environment().put("K8S_VERSION", KUBE_VERSION);
    Process build = builder.start();
    if (build.waitFor() != 0) {
      throw new IOException(BUILD_SCRIPT + " failed with exit code " + build.exitValue());
    }
  }

  String kubeconfig() {
    return kubeconfig;
  }

  @Override
  public void close() {
    server.stop();
  }
}
