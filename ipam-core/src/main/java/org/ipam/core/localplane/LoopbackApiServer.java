package org.ipam.core.localplane;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.util.List;

/**
 * A kube-apiserver and etcd on the loopback interface, through io.fabric8:kube-api-test, from the
 * binaries {@code hack/kube-bins/build.sh} installs under {@code ~/.kubeapitest}. The controller's
 * local mode and the tests start their control planes here, so both run the same configuration.
 */
public final class LoopbackApiServer {
  /**
   * Sandboxes often have no default route, and a loopback advertise address needs the endpoint
   * reconciler off (reference/apiserver.md, section 3).
   */
  private static final List<String> FLAGS =
      List.of(
          "--advertise-address=127.0.0.1",
          "--endpoint-reconciler-type=none",
          "--bind-address=127.0.0.1");

  private LoopbackApiServer() {}

  /**
   * A control plane not yet started. Offline mode is set in code: kube-api-test would otherwise try
   * to download binaries from hosts these machines cannot reach, and its offline environment
   * variable is broken in 7.5.2.
   *
   * @param version the Kubernetes version to run, or null for the newest installed one
   */
  public static KubeAPIServer create(String version) {
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withOfflineMode(true)
            .withApiServerFlags(FLAGS)
            .withStartupTimeout(120_000);
    if (version != null && !version.isBlank()) {
      config.withApiServerVersion(version);
    }
    return new KubeAPIServer(config.build());
  }
}
