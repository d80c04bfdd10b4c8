package org.ipam.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the processes the tests start (controllers, a restartable control plane), below the
 * kernel's ephemeral range (Linux's default is 32768-60999). A port picked with {@code new
 * ServerSocket(0)} lies inside that range, where an outgoing connection of any process may take it
 * as its local port before the process it was picked for binds it ("Address already in use": a
 * controller that failed to start in a full {@code mvn verify}). Each port is handed out once per
 * JVM, and only when it can be bound at that moment; JVMs start at different places (by pid).
 */
final class LocalPorts {
  private static final int FIRST = 20_000;
  private static final int LAST = 32_700;
  private static final AtomicInteger NEXT =
      new AtomicInteger(FIRST + (int) (ProcessHandle.current().pid() % 100) * 100);

  private LocalPorts() {}

  /** A port no other test of this JVM was given, free on 127.0.0.1 and every interface now. */
  static int next() {
    for (int tries = 0; tries < LAST - FIRST; tries++) {
      int port = NEXT.getAndUpdate(p -> p >= LAST ? FIRST : p + 1);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port from " + FIRST + " to " + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
