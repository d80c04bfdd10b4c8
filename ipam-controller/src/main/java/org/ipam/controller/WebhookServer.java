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

  /**
   * The webhook paths of dialects this process does not run (path to dialect), set by {@link
   * #serve}: until then none, so nothing is admitted unchecked.
   */
  private volatile Map<String, String> notRun = Map.of();

  /** Those of them that reviews came to, each logged once. */
  private final java.util.Set<String> notRunLogged =
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
    serve(validators, List.of(), namespace -> true, conversions, Map.of());
  }

  /**
   * Serves the validating webhooks, the claim finalizer webhooks (adding the finalizer only to
   * claims in a namespace {@code watched} admits) and the conversion webhooks, each at its path;
   * and admits with a warning the reviews at the webhook paths of dialects this process does not
   * run ({@code notRun}, path to dialect).
   */
  void serve(
      List<AdmissionValidator<?>> validators,
      List<ClaimFinalizerWebhook> finalizers,
      Predicate<String> watched,
      List<ConversionHandler> conversions,
      Map<String, String> notRun) {
    Map<String, String> others = new LinkedHashMap<>(notRun);
    validators.forEach(v -> others.remove(v.path()));
    finalizers.forEach(f -> others.remove(f.path()));
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
    this.notRun = Map.copyOf(others);
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
   * A path no webhook of this process takes. The webhook path of a dialect it does not run (not in
   * {@code --adapters}, or unnamed and left out: {@link #serve}'s {@code notRun}), whose webhooks
   * the cluster registers all the same (the shipped manifests register every dialect's): its
   * reviews are admitted with a warning, logged once per path, rather than failed, which with
   * {@code failurePolicy: Fail} would stop every write of that dialect's kinds, whatever serves
   * them. Any other path, and every path before {@link #serve}: 404, so nothing is admitted
   * unchecked that this process should check (a dialect named in {@code --adapters} but left out
   * fails its reviews, as its readiness does).
   */
  private void notServed(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String dialect = notRun.get(path);
    if (dialect != null && "POST".equals(exchange.getRequestMethod())) {
      if (notRunLogged.add(path)) {
        LOG.warn(
            "webhook {}: the {} dialect is not run here (--adapters); its reviews are admitted"
                + " unchecked: register only the webhooks of the dialects this controller runs",
            path,
            dialect);
      }
      answer(
          exchange,
          path,
          body ->
              AdmissionReviews.answerUnserved(
                  body,
                  "ipam: the "
                      + dialect
                      + " dialect is not run by this controller (--adapters): "
                      + path
                      + " admitted this unchecked"));
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
