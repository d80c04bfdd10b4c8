package org.ipam.incluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import org.ipam.core.webhook.AdmissionValidator.Verdict;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.pool.IPPoolAddresses;
import org.ipam.incluster.pool.IpSet;
import org.ipam.incluster.webhook.IPPoolValidator;
import org.ipam.incluster.webhook.InUseAddresses;
import org.junit.jupiter.api.Test;

/**
 * The seed document's pool (seeds/004), as written: admitted, and handing out 10.0.0.10 first, then
 * 10.0.0.24 onwards, 26 addresses in all (the gateway 10.0.0.1 and the subnet's network and
 * broadcast addresses lie outside the addresses anyway).
 */
class SeedExampleTest {
  @Test
  void theSeedPoolIsAdmittedAndHandsOutWhatTheDocumentSays() throws Exception {
    InClusterIPPool pool;
    try (InputStream in =
        getClass().getResourceAsStream("/seeds/incluster/004-0-InClusterIPPool.yaml")) {
      pool = Serialization.unmarshal(in, InClusterIPPool.class);
    }
    pool.getMetadata().setNamespace("default");
    assertThat(IPPoolValidator.namespaced(InUseAddresses.none()).review(pool, null))
        .isEqualTo(new Verdict(java.util.List.of(), java.util.List.of()));
    IpSet allocatable = IPPoolAddresses.allocatable(pool.getSpec());
    assertThat(allocatable.toString())
        .isEqualTo("[10.0.0.10 10.0.0.24-10.0.0.32 10.0.0.128-10.0.0.143]");
    assertThat(allocatable.lowest())
        .hasValueSatisfying(ip -> assertThat(ip).hasToString("10.0.0.10"));
    assertThat(allocatable.sizeCapped()).isEqualTo(26);
  }
}
