package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The webhooks the deploy manifests register ({@code config/webhook/manifests.yaml} and {@code
 * mutating.yaml}), pointed by URL at a controller process on this machine instead of at the
 * Service, the way {@code --local} registers its own: the controller serves them with {@code
 * --webhook-port} and a certificate for 127.0.0.1 in {@code --webhook-cert-dir}, as in a cluster it
 * serves them with the Secret cert-manager writes.
 *
 * <p>Only the webhooks of the API groups asked for are registered, each narrowed by an {@code
 * objectSelector} to objects carrying one label, so that a control plane other tests share sends
 * none of their objects to this controller (and nothing of theirs fails once it has stopped).
 */
final class LoopbackWebhooks {
  private static final String STORE_PASSWORD = "e2e-webhooks";

  /** Where a controller serves the webhooks: its flags, and the PEM the API server must trust. */
  record Serving(int port, Path certificateDirectory, String caBundle) {
    List<String> flags() {
      return List.of("--webhook-port=" + port, "--webhook-cert-dir=" + certificateDirectory);
    }
  }

  /** How many writes {@link #admitted} sent again. */
  private static final AtomicInteger RESENT = new AtomicInteger();

  private LoopbackWebhooks() {}

  /**
   * Sends a write that these webhooks review, and sends it again (for up to a minute) while the API
   * server answers that calling the webhook timed out, or the write itself times out waiting for
   * that answer. Under a burst of reviews the controller's webhook server can stall for the API
   * server's whole webhook timeout (10 s): its four threads sit in blocking TLS reads on
   * connections the API server opened but sent no request on yet. The controller's own writes are
   * retried by its engine; a test's writes are retried here, so that the test checks what it is
   * about (and counts the resends, {@link #resent}). For creates use {@link #created}.
   */
  static <T> T admitted(Supplier<T> write) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (!webhookTimedOut(e) || System.nanoTime() > deadline) {
          throw e;
        }
        RESENT.incrementAndGet();
      }
    }
  }

  /**
   * Creates an object through the webhooks as {@link #admitted} sends writes; a create sent again
   * that answers AlreadyExists found the object the timed-out one made, which it returns.
   */
  static <T extends HasMetadata> T created(KubernetesClient client, T object) {
    return created(() -> client.resource(object).create(), () -> client.resource(object).get());
  }

  /**
   * The same for a create sent some other way: {@code create} sends it, {@code existing} reads the
   * object a timed-out create made.
   */
  static <T> T created(Supplier<T> create, Supplier<T> existing) {
    AtomicInteger attempts = new AtomicInteger();
    return admitted(
        () -> {
          try {
            attempts.incrementAndGet();
            return create.get();
          } catch (KubernetesClientException e) {
            if (e.getCode() == 409 && attempts.get() > 1) {
              return existing.get();
            }
            throw e;
          }
        });
  }

  /** How many writes were sent again because a webhook call timed out, since the JVM started. */
  static int resent() {
    return RESENT.get();
  }

  private static boolean webhookTimedOut(KubernetesClientException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("failed calling webhook") && message.contains("deadline exceeded")
        || message.contains("The timeout period of");
  }

  /**
   * A free port and a new self-signed certificate for 127.0.0.1 and localhost ({@code keytool}, as
   * the JDK ships it), written as {@code tls.crt} and {@code tls.key} (PKCS#8) into {@code dir}.
   */
  static Serving prepare(Path dir) {
    try {
      Files.createDirectories(dir);
      Path store = dir.resolve("webhook.p12");
      Files.deleteIfExists(store);
      run(
          Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair",
          "-alias",
          "webhook",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-dname",
          "CN=127.0.0.1",
          "-ext",
          "san=ip:127.0.0.1,dns:localhost",
          "-ext",
          "eku=serverAuth",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          store.toString(),
          "-storepass",
          STORE_PASSWORD,
          "-keypass",
          STORE_PASSWORD);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, STORE_PASSWORD.toCharArray());
      }
      Key key = keys.getKey("webhook", STORE_PASSWORD.toCharArray());
      Certificate certificate = keys.getCertificate("webhook");
      String certificatePem = pem("CERTIFICATE", certificate.getEncoded());
      Files.writeString(dir.resolve("tls.crt"), certificatePem);
      Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
      return new Serving(ControllerProcess.freePort(), dir, certificatePem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the certificate keytool made in " + dir, e);
    }
  }

  /**
   * Registers the shipped webhooks of these API groups (a configuration named {@code name}) for
   * objects labelled {@code labelKey=labelValue} (every object when {@code labelKey} is null), at
   * {@code https://127.0.0.1:<port><path>}: the validating ones, and the claim finalizer (mutating)
   * ones of {@code config/webhook/mutating.yaml}.
   */
  static void register(
      KubernetesClient client,
      String name,
      Serving serving,
      Set<String> groups,
      String labelKey,
      String labelValue) {
    ValidatingWebhookConfiguration validating =
        shipped(client, "manifests.yaml", ValidatingWebhookConfiguration.class);
    List<ValidatingWebhook> checks =
        validating.getWebhooks().stream()
            .filter(w -> w.getRules().stream().allMatch(r -> groups.containsAll(r.getApiGroups())))
            .toList();
    for (ValidatingWebhook webhook : checks) {
      webhook.setClientConfig(loopback(serving, webhook.getClientConfig()));
      webhook.setObjectSelector(selector(labelKey, labelValue));
    }
    validating.getMetadata().setName(name);
    validating.setWebhooks(checks);
    client.resource(validating).forceConflicts().serverSideApply();

    MutatingWebhookConfiguration mutating =
        shipped(client, "mutating.yaml", MutatingWebhookConfiguration.class);
    List<MutatingWebhook> finalizers =
        mutating.getWebhooks().stream()
            .filter(w -> w.getRules().stream().allMatch(r -> groups.containsAll(r.getApiGroups())))
            .toList();
    for (MutatingWebhook webhook : finalizers) {
      webhook.setClientConfig(loopback(serving, webhook.getClientConfig()));
      webhook.setObjectSelector(selector(labelKey, labelValue));
    }
    if (!finalizers.isEmpty()) {
      mutating.getMetadata().setName(name);
      mutating.setWebhooks(finalizers);
      client.resource(mutating).forceConflicts().serverSideApply();
    }
  }

  /** Removes the configurations {@link #register} made under {@code name}. */
  static void unregister(KubernetesClient client, String name) {
    // Tried again for a minute while the API server does not answer: a configuration left behind
    // fails every later write of its kinds (failurePolicy Fail).
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      try {
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(name)
            .delete();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name).delete();
        return;
      } catch (KubernetesClientException e) {
        if (!org.ipam.core.engine.ApiFailures.passing(e) || System.nanoTime() > deadline) {
          throw e;
        }
        ControllerProcess.sleep(Duration.ofSeconds(1));
      }
    }
  }

  private static <T> T shipped(KubernetesClient client, String file, Class<T> kind) {
    try (InputStream yaml =
        Files.newInputStream(E2eSettings.repositoryRoot().resolve("config/webhook/" + file))) {
      return client.getKubernetesSerialization().unmarshal(yaml, kind);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shipped client config's path, on this machine's controller, trusting its certificate. */
  private static WebhookClientConfig loopback(Serving serving, WebhookClientConfig shipped) {
    return new WebhookClientConfigBuilder()
        .withUrl("https://127.0.0.1:" + serving.port() + shipped.getService().getPath())
        .withCaBundle(
            Base64.getEncoder().encodeToString(serving.caBundle().getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private static LabelSelector selector(String labelKey, String labelValue) {
    return labelKey == null
        ? null
        : new LabelSelectorBuilder().addToMatchLabels(labelKey, labelValue).build();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
