package org.ipam.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Plain-HTTP endpoints on the JDK's server: {@code /healthz}, {@code /readyz} and {@code
 * /readyz/controllers} on the health port (200 or 503 with a text that says why; see {@link
 * Readiness}), {@code /metrics} on the metrics port.
 */
final class HttpEndpoints implements AutoCloseable {
  /** What a probe answers: whether all is well, and a line that says so or says what is not. */
  record Probe(boolean ok, String text) {}

  private final HttpServer server;

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * @param address the address to listen on; null for every interface
   */
  static HttpEndpoints health(
      InetAddress address,
      int port,
      Supplier<Probe> liveness,
      Supplier<Probe> serving,
      Supplier<Probe> controllers)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/healthz", exchange -> answer(exchange, liveness.get()));
    // The JDK server picks the longest matching prefix: /readyz/controllers is not /readyz.
    server.createContext("/readyz", exchange -> answer(exchange, serving.get()));
    server.createContext("/readyz/controllers", exchange -> answer(exchange, controllers.get()));
    server.start();
    return new HttpEndpoints(server);
  }

  static HttpEndpoints metrics(InetAddress address, int port, Supplier<String> scrape)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/metrics", exchange -> answer(exchange, new Probe(true, scrape.get())));
    server.start();
    return new HttpEndpoints(server);
  }

  private static void answer(HttpExchange exchange, Probe probe) throws IOException {
    byte[] body = (probe.text() + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(probe.ok() ? 200 : 503, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
