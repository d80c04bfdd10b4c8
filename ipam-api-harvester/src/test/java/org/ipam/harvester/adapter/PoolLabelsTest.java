package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.junit.jupiter.api.Test;

/**
 * The labels upstream's mutating webhook keeps on a pool (reference 1.4, 4.1). Bad input tried: a
 * definition without VLAN, with a config that is not JSON, with a VLAN that is not a number; a
 * network whose definition is unknown.
 */
class PoolLabelsTest {
  private static IPPool pool(String selector) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata: {name: p}\n"
            + "spec: {ranges: [{subnet: 10.0.0.0/24}], selector: "
            + selector
            + "}",
        IPPool.class);
  }

  private static GenericKubernetesResource nad(String labels, String config) {
    return Serialization.unmarshal(
        "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\n"
            + "metadata: {name: vlan1, namespace: default, labels: "
            + labels
            + "}\nspec: {config: '"
            + config
            + "'}",
        GenericKubernetesResource.class);
  }

  @Test
  void aGlobalPoolWithoutNetworkIsLabelledGlobalAndVlanZero() {
    IPPool global = pool("{scope: {project: '*', namespace: '*', cluster: '*'}}");
    assertThat(PoolLabels.wanted(global, network -> Optional.of("9")))
        .containsOnly(
            Map.entry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "true"),
            Map.entry(HarvesterApi.VID_LABEL, "0"));
  }

  @Test
  void aPoolOnANetworkGetsItsVlanWhenTheDefinitionIsKnown() {
    IPPool pool = pool("{network: default/vlan1, scope: [{namespace: default}]}");
    assertThat(PoolLabels.wanted(pool, network -> Optional.of("100")))
        .containsOnly(
            Map.entry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "false"),
            Map.entry(HarvesterApi.VID_LABEL, "100"));
    assertThat(PoolLabels.wanted(pool, network -> Optional.empty()))
        .containsOnly(Map.entry(HarvesterApi.GLOBAL_IP_POOL_LABEL, "false"));
  }

  @Test
  void theVlanComesFromTheDefinitionsLabelElseFromItsConfig() {
    assertThat(
            PoolLabels.vidOf(
                nad("{network.harvesterhci.io/vlan-id: '42'}", "{\"type\":\"bridge\",\"vlan\":7}")))
        .contains("42");
    assertThat(PoolLabels.vidOf(nad("{}", "{\"type\":\"bridge\",\"vlan\":7}"))).contains("7");
    assertThat(PoolLabels.vidOf(nad("{}", "{\"type\":\"bridge\"}"))).isEmpty();
    assertThat(PoolLabels.vidOf(nad("{}", "not json"))).isEmpty();
    assertThat(PoolLabels.vidOf(nad("{}", "{\"vlan\":\"seven\"}"))).isEmpty();
  }
}
