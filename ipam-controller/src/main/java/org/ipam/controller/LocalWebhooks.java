package org.ipam.controller;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ipam.core.webhook.AdmissionValidator;

/**
 * Local mode's ValidatingWebhookConfiguration: the same webhooks as {@code config/webhook}, but
 * reached by URL on the loopback interface, trusting the self-signed certificate.
 */
final class LocalWebhooks {
  static final String NAME = "ipam-local-webhooks";

  private LocalWebhooks() {}

  static void install(
      KubernetesClient client, int port, String caBundle, List<AdmissionValidator<?>> validators) {
    String ca = Base64.getEncoder().encodeToString(caBundle.getBytes(StandardCharsets.UTF_8));
    List<ValidatingWebhook> webhooks = new ArrayList<>();
    for (AdmissionValidator<?> validator : validators) {
      AdmissionValidator.Target target = validator.target();
      webhooks.add(
          new ValidatingWebhookBuilder()
              .withName("validate." + target.plural() + "." + target.group())
              .withNewClientConfig()
              .withUrl("https://127.0.0.1:" + port + validator.path())
              .withCaBundle(ca)
              .endClientConfig()
              .addNewRule()
              .withApiGroups(target.group())
              .withApiVersions(target.version())
              .withResources(target.plural())
              .withOperations("CREATE", "UPDATE")
              .endRule()
              .withFailurePolicy("Fail")
              .withSideEffects("None")
              .withMatchPolicy("Equivalent")
              .withAdmissionReviewVersions("v1")
              .withTimeoutSeconds(10)
              .build());
    }
    ValidatingWebhookConfiguration configuration =
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .withWebhooks(webhooks)
            .build();
    client.resource(configuration).forceConflicts().serverSideApply();
  }
}
