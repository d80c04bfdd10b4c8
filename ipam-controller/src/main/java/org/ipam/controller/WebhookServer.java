package org.ipam.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.ipam.core.webhook.AdmissionReviews;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.core.webhook.ConversionHandler;
import org.ipam.core.webhook.ConversionReviews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS server for every enabled dialect's webhooks: each validating webhook and each claim
 * finalizer (mutating) webhook at its own path, and the conversion webhooks at theirs ({@code
 * /convert}), where one ConversionReview endpoint hands each object to the dialect that owns its
 * group and kind. Answers on a small pool of threads, so that a slow review does not hold up the
 * others.
 */
final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService threads;
  private final TlsMaterial tls;

  /** Whether {@link #serve} has added the webhooks. */
  private volatile boolean serving;

  /** The paths of dialects not enabled that reviews came to, each logged once. */
  private final java.util.Set<String> unservedPaths =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private WebhookServer(HttpsServer server, ExecutorService threads, TlsMaterial tls) {
    this.server = server;
    this.threads = threads;
    this.tls = tls;
  }

  /** More than the API server's concurrent admission calls to one webhook in a burst. */
  static final int THREADS = 64;

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "webhook-server");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Takes the port at once (before anything else can), answering 404 until {@link #serve} adds the
   * webhooks; on {@code address}, or on every interface when it is null.
   */
  static WebhookServer bind(InetAddress address, int port, TlsMaterial tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(address, port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    // The JDK server reads each request (TLS handshake included) on an executor thread, and the
    // API server opens connections before it sends on them: with 4 threads, a burst of admission
    // calls left all four waiting on idle connections while the API server's 10 s timeout ran out
    // (MixedDialectsIT, 40 concurrent writes). Threads are cheap next to a refused user write.
    ExecutorService threads = Executors.newFixedThreadPool(THREADS, WebhookServer::daemon);
    server.setExecutor(threads);
    // Every path the webhooks do not take: the JDK server's own 404 closes the connection without
    // reading the request body, and the unread bytes make the socket close with a reset that the
    // client can see before the answer (a flaky WebhookServerTest under load).
    WebhookServer webhooks = new WebhookServer(server, threads, tls);
    server.createContext("/", webhooks::notServed);
    server.start();
    return webhooks;
  }

  void serve(List<AdmissionValidator<?>> validators, List<ConversionHandler> conversions) {
    serve(validators, List.of(), namespace -> true, conversions);
  }

  /**
   * Serves the validating webhooks, the claim finalizer webhooks (adding the finalizer only to
   * claims in a namespace {@code watched} admits) and the conversion webhooks, each at its path.
   */
  void serve(
      List<AdmissionValidator<?>> validators,
      List<ClaimFinalizerWebhook> finalizers,
      Predicate<String> watched,
      List<ConversionHandler> conversions) {
    for (ClaimFinalizerWebhook finalizer : finalizers) {
      server.createContext(
          finalizer.path(),
          exchange ->
              answer(
                  exchange,
                  finalizer.path(),
                  body -> AdmissionReviews.answerFinalizer(finalizer, watched, body)));
    }
    for (AdmissionValidator<?> validator : validators) {
      server.createContext(
          validator.path(),
          exchange ->
              answer(exchange, validator.path(), body -> AdmissionReviews.answer(validator, body)));
    }
    Map<String, List<ConversionHandler>> byPath = new LinkedHashMap<>();
    for (ConversionHandler handler : conversions) {
      byPath.computeIfAbsent(handler.path(), p -> new ArrayList<>()).add(handler);
    }
    byPath.forEach(
        (path, handlers) ->
            server.createContext(
                path,
                exchange ->
                    answer(exchange, path, body -> ConversionReviews.answer(handlers, body))));
    serving = true;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The PEM the apiserver must trust; null unless the certificate is self-signed. */
  String caBundle() {
    return tls.caBundle();
  }

  /** What answers a review: the JSON answer to the body, or IOException when it is not JSON. */
  @FunctionalInterface
  private interface Reviewer {
    byte[] answer(byte[] body) throws IOException;
  }

  private static void answer(HttpExchange exchange, String path, Reviewer reviewer)
      throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(
            exchange,
            405,
            "text/plain",
            "POST an AdmissionReview or ConversionReview\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY);
      }
      byte[] answer;
      try {
        answer = reviewer.answer(body);
      } catch (IOException e) {
        LOG.warn("webhook {}: unreadable review: {}", path, e.getMessage());
        send(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(exchange, 200, "application/json", answer);
    }
  }

  /**
   * A path no webhook takes. Once the webhooks are served, a validating or claim finalizer webhook
   * path is one of a dialect this controller does not run ({@code --adapters}) whose webhooks the
   * cluster registers all the same (the shipped manifests register every dialect's): its reviews
   * are admitted with a warning, logged once per path, rather than failed, which with {@code
   * failurePolicy: Fail} would stop every write of that dialect's kinds, whatever serves them.
   * Before {@link #serve}, and for any other path, 404: nothing is admitted unchecked while the
   * controller's own webhooks are not there yet.
   */
  private void notServed(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (serving
        && "POST".equals(exchange.getRequestMethod())
        && (path.startsWith("/validate-") || path.startsWith("/mutate-"))) {
      if (unservedPaths.add(path)) {
        LOG.warn(
            "webhook {}: no enabled dialect serves it (--adapters); its reviews are admitted"
                + " unchecked: register only the webhooks of the enabled dialects",
            path);
      }
      answer(
          exchange,
          path,
          body ->
              AdmissionReviews.answerUnserved(
                  body,
                  "ipam: "
                      + path
                      + " is not served by this controller (its dialect is not enabled):"
                      + " admitted unchecked"));
      return;
    }
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] discard = new byte[8192];
        for (long read = 0; read < MAX_BODY; ) {
          int n = in.read(discard);
          if (n < 0) {
            break;
          }
          read += n;
        }
      }
      send(
          exchange,
          404,
          "text/plain",
          ("no webhook at " + exchange.getRequestURI().getPath() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
