package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The Cluster API pause contract: an object is paused when it carries the {@code
 * cluster.x-k8s.io/paused} annotation, or when the Cluster it belongs to has {@code spec.paused:
 * true} (clusterctl move sets it) or carries the annotation.
 */
public final class ClusterPause {
  public static final String PAUSED_ANNOTATION = "cluster.x-k8s.io/paused";
  public static final String CLUSTER_NAME_LABEL = "cluster.x-k8s.io/cluster-name";

  public static final String GROUP = "cluster.x-k8s.io";

  private ClusterPause() {}

  public static boolean hasPausedAnnotation(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(PAUSED_ANNOTATION);
  }

  /**
   * The newest Cluster API version the server serves for Cluster, for an informer; empty when
   * Cluster API is not installed (a pool's {@code clusterName} then pauses nothing).
   */
  public static Optional<String> servedVersion(KubernetesClient client) {
    var crd =
        client.apiextensions().v1().customResourceDefinitions().withName("clusters." + GROUP).get();
    if (crd == null) {
      return Optional.empty();
    }
    for (String version : new String[] {"v1beta2", "v1beta1"}) {
      boolean served =
          crd.getSpec().getVersions().stream()
              .anyMatch(v -> version.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
      if (served) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  /** Whether this Cluster is paused, by spec or by annotation. */
  public static boolean isPaused(GenericKubernetesResource cluster) {
    Object spec = cluster.getAdditionalProperties().get("spec");
    boolean pausedBySpec =
        spec instanceof Map<?, ?> fields && Boolean.TRUE.equals(fields.get("paused"));
    return pausedBySpec || hasPausedAnnotation(cluster);
  }
}
