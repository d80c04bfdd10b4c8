package org.ipam.core.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The client the controller talks to the API server with. Objects are read without {@code
 * metadata.managedFields}: the controller never uses them, and every object in the informers'
 * caches would otherwise carry one entry per field manager (a kilobyte or more each, for every
 * claim and address), built anew on every watch event. Writes are patches or creates, which leave
 * the server's managed fields as they are.
 */
public final class ControllerClient {
  private ControllerClient() {}

  @JsonIgnoreProperties({"managedFields"})
  private abstract static class WithoutManagedFields {}

  /** A client with no cap on its writes (tests, tools). */
  public static KubernetesClient build(Config config) {
    return build(config, null);
  }

  /**
   * A client whose writes go through {@code limit} (null for none): the controller's {@code
   * --kube-api-qps} and {@code --kube-api-burst}.
   */
  public static KubernetesClient build(Config config, ApiRateLimit limit) {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    KubernetesClientBuilder builder =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withKubernetesSerialization(new KubernetesSerialization(mapper, true));
    if (limit != null) {
      builder.withHttpClientBuilderConsumer(
          http -> http.addOrReplaceInterceptor(ApiRateLimit.NAME, limit));
    }
    return builder.build();
  }
}
