package org.ipam.incluster.conversion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.ipam.core.webhook.ConversionHandler;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.v1alpha1.GlobalInClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;

/**
 * The conversion webhook of the InClusterIPPool and GlobalInClusterIPPool CRDs ({@code /convert}):
 * reads each object in its version, converts it with {@link IPPoolConversion}, and writes it in the
 * desired one. The prefix pools have one version and need no conversion.
 */
public final class IPPoolConversionHandler implements ConversionHandler {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private static final String V1ALPHA1 = InClusterApi.apiVersion(InClusterApi.V1ALPHA1);
  private static final String V1ALPHA2 = InClusterApi.apiVersion(InClusterApi.V1ALPHA2);

  @Override
  public String group() {
    return InClusterApi.GROUP;
  }

  @Override
  public Set<String> kinds() {
    return Set.of(InClusterApi.IN_CLUSTER_IP_POOL, InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL);
  }

  @Override
  public ObjectNode convert(ObjectNode object, String desiredApiVersion) {
    String from = object.path("apiVersion").asText();
    boolean global = InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL.equals(object.path("kind").asText());
    if (from.equals(V1ALPHA1) && desiredApiVersion.equals(V1ALPHA2)) {
      return global
          ? tree(IPPoolConversion.toV1alpha2(read(object, GlobalInClusterIPPoolV1alpha1.class)))
          : tree(IPPoolConversion.toV1alpha2(read(object, InClusterIPPoolV1alpha1.class)));
    }
    if (from.equals(V1ALPHA2) && desiredApiVersion.equals(V1ALPHA1)) {
      return global
          ? tree(IPPoolConversion.toV1alpha1(read(object, GlobalInClusterIPPool.class)))
          : tree(IPPoolConversion.toV1alpha1(read(object, InClusterIPPool.class)));
    }
    throw new IllegalArgumentException(
        describe(object)
            + ": cannot convert from "
            + from
            + " to "
            + desiredApiVersion
            + " (the served versions are "
            + V1ALPHA1
            + " and "
            + V1ALPHA2
            + ")");
  }

  private static <T> T read(ObjectNode object, Class<T> type) {
    try {
      return JSON.treeToValue(object, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          describe(object)
              + ": cannot be read as "
              + object.path("apiVersion").asText()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static ObjectNode tree(Object object) {
    return JSON.valueToTree(object);
  }

  private static String describe(ObjectNode object) {
    String namespace = object.path("metadata").path("namespace").asText("");
    return object.path("kind").asText()
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + object.path("metadata").path("name").asText();
  }
}
