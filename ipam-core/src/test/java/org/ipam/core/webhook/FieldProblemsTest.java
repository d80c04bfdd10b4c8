package org.ipam.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

class FieldProblemsTest {
  @Test
  void namesKindNamespaceNameFieldAndValue() {
    FieldProblems problems =
        new FieldProblems(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName("a")
                .endMetadata()
                .build());
    assertThat(problems.isEmpty()).isTrue();
    problems.add("data.address", "10.0.0.300", "is not an IP address");
    problems.add("data", "is required");
    problems.addObjectProblem("is in use");
    assertThat(problems.lines())
        .containsExactly(
            "ConfigMap ns/a: data.address \"10.0.0.300\" is not an IP address",
            "ConfigMap ns/a: data is required",
            "ConfigMap ns/a: is in use");
  }

  @Test
  void aClusterScopedObjectHasNoNamespaceInItsName() {
    var namespace = new NamespaceBuilder().withNewMetadata().withName("n1").endMetadata().build();
    namespace.setKind(null);
    assertThat(FieldProblems.describe(namespace)).isEqualTo("Namespace n1");
  }
}
