package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * Whether a CRD keeps a field, as the API server's pruning decides it. CRDs tried: the field
 * declared; missing; missing under a root that keeps unknown fields but declares {@code status}
 * (pruned all the same); under a {@code status} that keeps unknown fields (kept); the version not
 * served; another version only; array items without the field.
 */
class CrdsTest {
  private static CustomResourceDefinition crd(
      String version, boolean served, String rootExtra, String status) {
    return Serialization.unmarshal(
        ("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: pools.example.org}
        spec:
          group: example.org
          names: {kind: Pool, plural: pools}
          scope: Namespaced
          versions:
          - name: %s
            served: %s
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                %s
                properties:
                  status:
                    %s
        """)
            .formatted(version, served, rootExtra, status.indent(12).strip()),
        CustomResourceDefinition.class);
  }

  private static final String LEDGER =
      """
      type: object
      properties:
        allocations:
          type: array
          items:
            type: object
            properties:
              uid: {type: string}
              address: {type: string}
      """;

  private static boolean keepsUid(CustomResourceDefinition crd) {
    return Crds.declares(crd, "v1alpha2", "status", "allocations", "[]", "uid");
  }

  @Test
  void aDeclaredFieldIsKept() {
    assertThat(keepsUid(crd("v1alpha2", true, "", LEDGER))).isTrue();
    assertThat(Crds.declares(crd("v1alpha2", true, "", LEDGER), "v1alpha2", "status")).isTrue();
  }

  @Test
  void aMissingFieldIsPrunedEvenUnderARootThatKeepsUnknownFields() {
    String withoutLedger = "type: object\nproperties:\n  conditions: {type: array}";
    assertThat(keepsUid(crd("v1alpha2", true, "", withoutLedger))).isFalse();
    assertThat(
            keepsUid(
                crd("v1alpha2", true, "x-kubernetes-preserve-unknown-fields: true", withoutLedger)))
        .isFalse();
  }

  @Test
  void aStatusThatKeepsUnknownFieldsKeepsTheLedger() {
    assertThat(
            keepsUid(
                crd(
                    "v1alpha2",
                    true,
                    "",
                    "type: object\nx-kubernetes-preserve-unknown-fields: true")))
        .isTrue();
  }

  @Test
  void aVersionNotServedOrAbsentOrItemsWithoutTheFieldKeepNothing() {
    assertThat(keepsUid(crd("v1alpha2", false, "", LEDGER))).isFalse();
    assertThat(keepsUid(crd("v1alpha1", true, "", LEDGER))).isFalse();
    assertThat(keepsUid(crd("v1alpha2", true, "", LEDGER.replace("uid: {type: string}", ""))))
        .isFalse();
    assertThat(keepsUid(null)).isFalse();
  }
}
