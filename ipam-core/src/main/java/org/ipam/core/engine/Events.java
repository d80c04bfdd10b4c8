package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on claims, so that {@code kubectl describe} tells what happened. An event is
 * best effort: one that cannot be written is logged and forgotten, never retried, and never fails
 * the allocation it describes. Callers emit an event when something changed (an address given, a
 * new reason for failing), not on every pass.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  static final String COMPONENT = "ipam-controller";

  private Events() {}

  public static void normal(
      KubernetesClient client, Clock clock, HasMetadata object, String reason, String message) {
    record(client, clock, object, "Normal", reason, message);
  }

  public static void warning(
      KubernetesClient client, Clock clock, HasMetadata object, String reason, String message) {
    record(client, clock, object, "Warning", reason, message);
  }

  static void record(
      KubernetesClient client,
      Clock clock,
      HasMetadata object,
      String type,
      String reason,
      String message) {
    String now = Conditions.timestamp(clock.instant());
    var metadata = object.getMetadata();
    // An event about a cluster-scoped object (a Global pool, a Harvester IPPool) lives in
    // "default", as client-go's recorder puts it; its involved object keeps no namespace.
    String eventNamespace =
        metadata.getNamespace() == null || metadata.getNamespace().isEmpty()
            ? "default"
            : metadata.getNamespace();
    try {
      client
          .v1()
          .events()
          .inNamespace(eventNamespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(metadata.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(eventNamespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(object.getApiVersion())
                          .withKind(object.getKind())
                          .withName(metadata.getName())
                          .withNamespace(metadata.getNamespace())
                          .withUid(metadata.getUid())
                          .withResourceVersion(metadata.getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withReportingComponent(COMPONENT)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debug(
          "event {} on {} {} not written: {}",
          reason,
          object.getKind(),
          metadata.getName(),
          e.getMessage());
    }
  }
}
