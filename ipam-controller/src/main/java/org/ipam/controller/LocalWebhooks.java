package org.ipam.controller;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceConversion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceConversionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.core.webhook.ConversionHandler;

/**
 * Local mode's webhooks: the same as {@code config/webhook} and the CRDs' conversion stanzas in
 * {@code config/crd}, but reached by URL on the loopback interface, trusting the self-signed
 * certificate.
 */
final class LocalWebhooks {
  static final String NAME = "ipam-local-webhooks";

  private LocalWebhooks() {}

  static void install(
      KubernetesClient client, int port, String caBundle, List<AdmissionValidator<?>> validators) {
    String ca = base64(caBundle);
    List<ValidatingWebhook> webhooks = new ArrayList<>();
    for (AdmissionValidator<?> validator : validators) {
      AdmissionValidator.Target target = validator.target();
      webhooks.add(
          new ValidatingWebhookBuilder()
              .withName("validate." + target.plural() + "." + target.group())
              .withNewClientConfig()
              .withUrl(url(port, validator.path()))
              .withCaBundle(ca)
              .endClientConfig()
              .addNewRule()
              .withApiGroups(target.group())
              .withApiVersions(target.version())
              .withResources(target.plural())
              .withOperations(validator.operations())
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

  /**
   * The claim finalizer webhooks, as a MutatingWebhookConfiguration of the same name: CREATE only,
   * failurePolicy Ignore (a claim made while the controller is away gets its finalizer from the
   * controller, as without the webhook), no side effects, never reinvoked.
   */
  static void installFinalizers(
      KubernetesClient client, int port, String caBundle, List<ClaimFinalizerWebhook> finalizers) {
    if (finalizers.isEmpty()) {
      // None served: an earlier local run's configuration would only cost failed calls.
      client.resources(MutatingWebhookConfiguration.class).withName(NAME).delete();
      return;
    }
    String ca = base64(caBundle);
    List<MutatingWebhook> webhooks = new ArrayList<>();
    for (ClaimFinalizerWebhook finalizer : finalizers) {
      AdmissionValidator.Target target = finalizer.target();
      webhooks.add(
          new MutatingWebhookBuilder()
              .withName(finalizer.name())
              .withNewClientConfig()
              .withUrl(url(port, finalizer.path()))
              .withCaBundle(ca)
              .endClientConfig()
              .addNewRule()
              .withApiGroups(target.group())
              .withApiVersions(target.version())
              .withResources(target.plural())
              .withOperations("CREATE")
              .endRule()
              .withFailurePolicy("Ignore")
              .withSideEffects("None")
              .withMatchPolicy("Equivalent")
              .withReinvocationPolicy("Never")
              .withAdmissionReviewVersions("v1")
              .withTimeoutSeconds(5)
              .build());
    }
    MutatingWebhookConfiguration configuration =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .withWebhooks(webhooks)
            .build();
    client.resource(configuration).forceConflicts().serverSideApply();
  }

  /**
   * Points the CRDs of the kinds the handlers convert at this process's conversion endpoint ({@code
   * strategy: Webhook}). The generated CRDs local mode installs have no conversion stanza: without
   * it the API server would convert by rewriting {@code apiVersion} alone, and the fields one
   * version has and the other lacks would be lost.
   */
  static void installConversions(
      KubernetesClient client, int port, String caBundle, List<ConversionHandler> handlers) {
    if (handlers.isEmpty()) {
      return;
    }
    String ca = base64(caBundle);
    for (CustomResourceDefinition crd :
        client.resources(CustomResourceDefinition.class).list().getItems()) {
      for (ConversionHandler handler : handlers) {
        if (handler.group().equals(crd.getSpec().getGroup())
            && handler.kinds().contains(crd.getSpec().getNames().getKind())) {
          CustomResourceConversion conversion =
              new CustomResourceConversionBuilder()
                  .withStrategy("Webhook")
                  .withNewWebhook()
                  .withConversionReviewVersions("v1")
                  .withNewClientConfig()
                  .withUrl(url(port, handler.path()))
                  .withCaBundle(ca)
                  .endClientConfig()
                  .endWebhook()
                  .build();
          client
              .resources(CustomResourceDefinition.class)
              .withName(crd.getMetadata().getName())
              .edit(
                  current -> {
                    current.getSpec().setConversion(conversion);
                    return current;
                  });
        }
      }
    }
  }

  private static String url(int port, String path) {
    return "https://127.0.0.1:" + port + path;
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
