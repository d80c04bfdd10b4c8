package org.ipam.incluster.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.ipam.core.plan.ClaimPlan;
import org.ipam.core.plan.DialectPlan;
import org.ipam.core.plan.PlanObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which objects the in-cluster planner takes, and a claim served as the controller serves it. */
class InClusterPlannerTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static PlanObject object(int order, String yaml) throws Exception {
    return new PlanObject("test#" + order, order, (ObjectNode) YAML.readTree(yaml), "default");
  }

  private static PlanObject capi(String kind, String apiGroup, String poolKind) throws Exception {
    return object(
        1,
        "apiVersion: ipam.cluster.x-k8s.io/v1beta2\n"
            + "kind: "
            + kind
            + "\nmetadata: {name: c}\n"
            + "spec:\n  poolRef: {apiGroup: \""
            + apiGroup
            + "\", kind: "
            + poolKind
            + ", name: p}\n");
  }

  @ParameterizedTest(name = "{0} of {1}/{2}: {3}")
  @CsvSource({
    "IPAddressClaim, ipam.cluster.x-k8s.io, InClusterIPPool, true",
    "IPAddressClaim, ipam.cluster.x-k8s.io, GlobalInClusterPrefixPool, true",
    "IPAddress, ipam.cluster.x-k8s.io, InClusterPrefixPool, true",
    // A v1beta1 claim may leave the group out; the controller reads it as its own.
    "IPAddressClaim, '', InClusterIPPool, true",
    "IPAddressClaim, ipam.metal3.io, IPPool, false",
    "IPAddressClaim, ipam.example.com, InClusterIPPool, false",
    "IPAddressClaim, ipam.cluster.x-k8s.io, ExamplePool, false",
  })
  void aClusterApiObjectIsReadWhenItsPoolIsAnInClusterPool(
      String kind, String apiGroup, String poolKind, boolean read) throws Exception {
    assertThat(new InClusterPlanner().reads(capi(kind, apiGroup, poolKind))).isEqualTo(read);
  }

  @Test
  void thePoolKindsAreReadInEveryVersionAndOtherGroupsAreNot() throws Exception {
    InClusterPlanner planner = new InClusterPlanner();
    for (String kind :
        List.of(
            "InClusterIPPool",
            "GlobalInClusterIPPool",
            "InClusterPrefixPool",
            "GlobalInClusterPrefixPool")) {
      assertThat(
              planner.reads(
                  object(1, "apiVersion: ipam.cluster.x-k8s.io/v1alpha1\nkind: " + kind + "\n")))
          .as(kind)
          .isTrue();
    }
    assertThat(planner.reads(object(1, "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\n")))
        .isFalse();
  }

  @Test
  void aClaimWithoutApiGroupIsServedFromItsPool() throws Exception {
    DialectPlan plan =
        new InClusterPlanner()
            .plan(
                List.of(
                    object(
                        1,
                        """
                        apiVersion: ipam.cluster.x-k8s.io/v1alpha2
                        kind: InClusterIPPool
                        metadata: {name: p}
                        spec: {addresses: [10.1.0.0/29], prefix: 29, gateway: 10.1.0.1}
                        """),
                    capi("IPAddressClaim", "", "InClusterIPPool")));
    assertThat(plan.findings()).isEmpty();
    ClaimPlan claim = plan.pools().get(0).claims().get(0);
    assertThat(claim.claim()).isEqualTo("IPAddressClaim default/c");
    // 10.1.0.0 is the network address, 10.1.0.1 the gateway.
    assertThat(claim.allocation().address()).hasToString("10.1.0.2");
    assertThat(claim.note()).isEqualTo("IPAddress c");
  }
}
