package org.ipam.core.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.concurrent.TimeUnit;
import org.ipam.core.engine.Crds;

/**
 * A minimal Cluster API {@code Cluster} CRD for tests (any spec kept): enough for the pause
 * contract, which reads {@code spec.paused} and the paused annotation.
 */
public final class ClusterApiCrd {
  static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: clusters.cluster.x-k8s.io
      spec:
        group: cluster.x-k8s.io
        scope: Namespaced
        names: {kind: Cluster, plural: clusters, singular: cluster, listKind: ClusterList}
        versions:
          - name: v1beta2
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
      """;

  private ClusterApiCrd() {}

  /** Installs the CRD and waits until it is established. */
  public static void install(KubernetesClient client) {
    client.resource(Serialization.unmarshal(CRD, CustomResourceDefinition.class)).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("clusters.cluster.x-k8s.io")
        .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
  }
}
