package org.ipam.core.localplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipam.core.testing.ListeningSockets;
import org.ipam.core.testing.ListeningSockets.Listener;
import org.ipam.core.testing.LocalControlPlane;
import org.junit.jupiter.api.Test;

/**
 * The control plane that tests and {@code --local} start listens on 127.0.0.1 only: etcd has no
 * authentication, so a socket on any other address would hand the cluster's data to the network.
 * Read from the child processes' own sockets.
 */
class LoopbackOnlyIT {

  @Test
  void etcdAndTheApiServerListenOnTheLoopbackAddressOnly() {
    try (LocalControlPlane plane = new LocalControlPlane().start()) {
      List<Listener> listeners =
          ListeningSockets.of(ProcessHandle.current().descendants().toList());
      System.out.println("LoopbackOnlyIT listening sockets: " + listeners);
      // etcd is execed through wrapper scripts: its command is hack/kube-bins' etcd-server.
      assertThat(listeners)
          .extracting(Listener::command)
          .as("both processes listen")
          .contains("kube-apiserver")
          .anyMatch(command -> command.startsWith("etcd"));
      assertThat(listeners)
          .allSatisfy(
              listener ->
                  assertThat(listener.address().getHostAddress())
                      .as("address of %s", listener)
                      .isEqualTo("127.0.0.1"));
    }
  }
}
