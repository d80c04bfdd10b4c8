package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.ipam.core.capi.IPAddressClaim;
import org.junit.jupiter.api.Test;

class ControllerClientTest {
  private static final String MANAGED =
      "\"managedFields\":[{\"manager\":\"kubectl\",\"operation\":\"Update\",\"fieldsType\":"
          + "\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:a\":{}}}}]";

  @Test
  void objectsAreReadWithoutManagedFieldsAndOtherwiseWhole() {
    Config config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build();
    try (KubernetesClient client = ControllerClient.build(config)) {
      ConfigMap map =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
                      + "\"uid\":\"u1\","
                      + MANAGED
                      + ",\"finalizers\":[\"x\"]},\"data\":{\"a\":\"b\"}}",
                  ConfigMap.class);
      assertThat(map.getMetadata().getManagedFields()).isEmpty();
      assertThat(map.getMetadata().getUid()).isEqualTo("u1");
      assertThat(map.getMetadata().getFinalizers()).containsExactly("x");
      assertThat(map.getData()).containsEntry("a", "b");
      IPAddressClaim claim =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  "{\"apiVersion\":\"ipam.cluster.x-k8s.io/v1beta2\",\"kind\":\"IPAddressClaim\","
                      + "\"metadata\":{\"name\":\"c\","
                      + MANAGED
                      + "},\"spec\":{\"poolRef\":{\"apiGroup\":\"g\",\"kind\":\"K\",\"name\":\"p\"}}}",
                  IPAddressClaim.class);
      assertThat(claim.getMetadata().getManagedFields()).isEmpty();
      assertThat(claim.getSpec().getPoolRef().getName()).isEqualTo("p");
    }
  }
}
