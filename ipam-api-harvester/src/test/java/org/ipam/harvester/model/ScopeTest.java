package org.ipam.harvester.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both spellings of selector.scope, the seed's YAML, and bad values kept as problems. */
class ScopeTest {
  private static IPPoolSpec spec(String yaml) {
    return Serialization.unmarshal(yaml, IPPoolSpec.class);
  }

  static String seed(String name) {
    try (InputStream in = ScopeTest.class.getResourceAsStream("/seeds/harvester/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theListAndTheSingleMapMeanTheSame() {
    IPPoolSpec list =
        spec(
            "ranges: [{subnet: 10.0.0.0/24}]\n"
                + "selector:\n  scope:\n  - {project: p, namespace: n, guestCluster: c}\n");
    IPPoolSpec map =
        spec(
            "ranges: [{subnet: 10.0.0.0/24}]\n"
                + "selector:\n  scope: {project: p, namespace: n, cluster: c}\n");
    assertThat(list.getSelector().getScope().tuples())
        .isEqualTo(map.getSelector().getScope().tuples())
        .containsExactly(new ScopeTuple("p", "n", "c"));
    assertThat(list.getSelector().getScope()).isEqualTo(map.getSelector().getScope());
    assertThat(list.getSelector().getScope().form()).isEqualTo(Scope.Form.LIST);
    assertThat(map.getSelector().getScope().form()).isEqualTo(Scope.Form.MAP);
  }

  @Test
  void eachFormIsWrittenBackAsItWasWritten() {
    String map = "{\"scope\":{\"namespace\":\"default\"}}";
    String list = "{\"scope\":[{\"project\":\"*\",\"namespace\":\"*\",\"guestCluster\":\"*\"}]}";
    assertThat(Serialization.asJson(Serialization.unmarshal(map, Selector.class))).isEqualTo(map);
    assertThat(Serialization.asJson(Serialization.unmarshal(list, Selector.class))).isEqualTo(list);
  }

  @Test
  void theSeedsFourPoolsParse() {
    IPPool one = Serialization.unmarshal(seed("002-1-default-ip-pool.yaml"), IPPool.class);
    NetworkingIPPool two =
        Serialization.unmarshal(seed("002-2-rke2-ip-pool.yaml"), NetworkingIPPool.class);
    NetworkingIPPool three =
        Serialization.unmarshal(seed("002-3-default-ip-pool-2.yaml"), NetworkingIPPool.class);
    NetworkingIPPool four =
        Serialization.unmarshal(seed("002-4-global-ip-pool.yaml"), NetworkingIPPool.class);
    assertThat(one.getSpec().getSelector().getScope().tuples())
        .containsExactly(new ScopeTuple("", "default", ""));
    assertThat(two.getSpec().getSelector().getNetwork()).isEqualTo("default/vlan1");
    assertThat(two.getSpec().getSelector().getScope().tuples())
        .containsExactly(new ScopeTuple("product", "default", "rke2"));
    assertThat(two.getSpec().getRanges().get(0).getRangeStart()).isEqualTo("192.168.10.10");
    assertThat(three.getSpec().getSelector().getPriority()).isEqualTo(1);
    assertThat(four.getSpec().getSelector().getScope().tuples())
        .containsExactly(ScopeTuple.EVERYTHING);
    assertThat(four.getApiVersion()).isEqualTo("networking.harvesterhci.io/v1beta1");
  }

  @Test
  void aValueOfNeitherFormIsAProblemNamingTheFieldNotAnException() {
    List<String> bad =
        List.of(
            "scope: default",
            "scope: [default]",
            "scope: {namespace: default, zone: a}",
            "scope: [{namespace: 3}]",
            "scope: {cluster: a, guestCluster: b}");
    List<String> expected =
        List.of(
            "spec.selector.scope \"default\" is neither a list",
            "spec.selector.scope[0] \"default\" is not a {project, namespace, guestCluster} map",
            "spec.selector.scope.zone is not a scope field",
            "spec.selector.scope[0].namespace 3 is not a string",
            "spec.selector.scope names the guest cluster twice, \"a\" and \"b\"");
    for (int i = 0; i < bad.size(); i++) {
      Selector selector = Serialization.unmarshal(bad.get(i), Selector.class);
      assertThat(selector.getScope().problem()).get().asString().startsWith(expected.get(i));
      assertThat(selector.getScope().tuples()).isEmpty();
    }
  }

  @Test
  void anAbsentScopeHasNoTuples() {
    assertThat(spec("ranges: [{subnet: 10.0.0.0/24}]").getSelector()).isNull();
    assertThat(Serialization.unmarshal("scope: null", Selector.class).getScope()).isNull();
  }
}
