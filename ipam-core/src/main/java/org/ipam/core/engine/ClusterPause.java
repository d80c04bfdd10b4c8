package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
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

  private static final String GROUP = "cluster.x-k8s.io";

  private ClusterPause() {}

  public static boolean hasPausedAnnotation(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(PAUSED_ANNOTATION);
  }

  /**
   * The Cluster of this name in this namespace, from the newest Cluster API version the server
   * serves; empty when there is none, or when Cluster API is not installed at all.
   */
  public static Optional<GenericKubernetesResource> findCluster(
      KubernetesClient client, String namespace, String name) {
    for (String version : new String[] {"v1beta2", "v1beta1"}) {
      ResourceDefinitionContext clusters =
          new ResourceDefinitionContext.Builder()
              .withGroup(GROUP)
              .withVersion(version)
              .withKind("Cluster")
              .withPlural("clusters")
              .withNamespaced(true)
              .build();
      try {
        GenericKubernetesResource cluster =
            client.genericKubernetesResources(clusters).inNamespace(namespace).withName(name).get();
        if (cluster != null) {
          return Optional.of(cluster);
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
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
