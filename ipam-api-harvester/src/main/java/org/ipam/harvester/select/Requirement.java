package org.ipam.harvester.select;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;

/**
 * What a LoadBalancer asks of a pool it does not name (reference 2.1): its VM network, project,
 * namespace and guest cluster, from its annotations; the namespace falls back to the LoadBalancer's
 * own.
 */
public record Requirement(String network, String project, String namespace, String cluster) {
  public Requirement {
    network = network == null ? "" : network;
    project = project == null ? "" : project;
    namespace = namespace == null ? "" : namespace;
    cluster = cluster == null ? "" : cluster;
  }

  public static Requirement of(LoadBalancer lb) {
    Map<String, String> annotations = lb.getMetadata().getAnnotations();
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    String namespace = a.getOrDefault(HarvesterApi.NAMESPACE_ANNOTATION, "");
    return new Requirement(
        a.get(HarvesterApi.NETWORK_ANNOTATION),
        a.get(HarvesterApi.PROJECT_ANNOTATION),
        namespace.isEmpty() ? lb.getMetadata().getNamespace() : namespace,
        a.get(HarvesterApi.CLUSTER_ANNOTATION));
  }

  /**
   * A core Service's: the same annotations as a LoadBalancer's, but always the Service's own
   * namespace (no upstream mutator rewrites a Service's annotation, so one could otherwise claim
   * another namespace's pool).
   */
  public static Requirement of(Service service) {
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    return new Requirement(
        a.get(HarvesterApi.NETWORK_ANNOTATION),
        a.get(HarvesterApi.PROJECT_ANNOTATION),
        service.getMetadata().getNamespace(),
        a.get(HarvesterApi.CLUSTER_ANNOTATION));
  }

  /** Upstream's words for it, which its users search for. */
  @Override
  public String toString() {
    return "&{Network:"
        + network
        + " Project:"
        + project
        + " Namespace:"
        + namespace
        + " Cluster:"
        + cluster
        + "}";
  }
}
