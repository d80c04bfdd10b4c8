package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ipam.core.engine.Crds;

/**
 * The API server's raw write limit for a claim-like load: a trivial custom resource ({@code
 * ThroughputProbe}, any spec and status, a status subresource) created and then given a status, one
 * object after the other on each of {@code concurrency} workers. A served claim needs at least that
 * much of the API server (the workload's create, and a status write); the limit is {@code N /
 * (seconds for N creates plus N status updates)}.
 */
final class ThroughputRawLimit {
  static final String GROUP = "throughput.ipam.org";
  static final String PLURAL = "throughputprobes";
  static final ResourceDefinitionContext PROBE =
      new ResourceDefinitionContext.Builder()
          .withGroup(GROUP)
          .withVersion("v1")
          .withKind("ThroughputProbe")
          .withPlural(PLURAL)
          .withNamespaced(true)
          .build();

  private ThroughputRawLimit() {}

  /** Installs the probe's CRD and waits until it is established. */
  static void installCrd(KubernetesClient client) {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(PLURAL + "." + GROUP)
            .endMetadata()
            .withNewSpec()
            .withGroup(GROUP)
            .withScope("Namespaced")
            .withNewNames()
            .withKind("ThroughputProbe")
            .withListKind("ThroughputProbeList")
            .withPlural(PLURAL)
            .withSingular("throughputprobe")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSubresources()
            .withNewStatus()
            .endStatus()
            .endSubresources()
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(PLURAL + "." + GROUP)
        .waitUntilCondition(Crds::established, 2, TimeUnit.MINUTES);
  }

  /**
   * Creates {@code count} probes named {@code prefix-00000}... and writes each one's status, from
   * {@code concurrency} workers; returns the seconds from the first create to the last status.
   */
  static double run(
      KubernetesClient client, String namespace, String prefix, int count, int concurrency)
      throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String name = prefix + "-%05d".formatted(i);
        int index = i;
        done.add(
            workers.submit(
                () -> {
                  GenericKubernetesResource probe = new GenericKubernetesResource();
                  probe.setApiVersion(GROUP + "/v1");
                  probe.setKind("ThroughputProbe");
                  probe.setMetadata(
                      new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
                  probe.setAdditionalProperty("spec", Map.of("index", index));
                  GenericKubernetesResource created =
                      client
                          .genericKubernetesResources(PROBE)
                          .inNamespace(namespace)
                          .resource(probe)
                          .create();
                  created.setAdditionalProperty("status", Map.of("served", true));
                  client
                      .genericKubernetesResources(PROBE)
                      .inNamespace(namespace)
                      .resource(created)
                      .updateStatus();
                }));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.MINUTES);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the raw writes failed", e);
    } finally {
      workers.shutdownNow();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
