package org.ipam.incluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRDs crd-generator-maven-plugin writes from the model (target/classes/META-INF/fabric8),
 * against reference/incluster.md 1.1-1.4: names, scope, versions, columns, markers.
 */
class PoolCrdTest {
  static CustomResourceDefinition crd(String plural) throws Exception {
    String resource = "META-INF/fabric8/" + plural + ".ipam.cluster.x-k8s.io-v1.yml";
    try (InputStream in = PoolCrdTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd, String name) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static List<String> columns(CustomResourceDefinitionVersion version) {
    return version.getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "inclusterippools, InClusterIPPool, Namespaced, 'v1alpha2,v1alpha1'",
    "globalinclusterippools, GlobalInClusterIPPool, Cluster, 'v1alpha2,v1alpha1'",
    "inclusterprefixpools, InClusterPrefixPool, Namespaced, v1alpha2",
    "globalinclusterprefixpools, GlobalInClusterPrefixPool, Cluster, v1alpha2",
  })
  void namesScopeVersionsAndCommonProperties(
      String plural, String kind, String scope, String versions) throws Exception {
    CustomResourceDefinition crd = crd(plural);
    assertThat(crd.getMetadata().getName()).isEqualTo(plural + ".ipam.cluster.x-k8s.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("ipam.cluster.x-k8s.io");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(kind);
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(plural);
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("cluster-api", "ipam");
    assertThat(crd.getSpec().getNames().getShortNames()).isNullOrEmpty();
    assertThat(crd.getSpec().getScope()).isEqualTo(scope);
    assertThat(crd.getSpec().getVersions())
        .extracting(CustomResourceDefinitionVersion::getName)
        .containsExactly(versions.split(","));
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      assertThat(version.getServed()).isTrue();
      assertThat(version.getStorage()).isEqualTo(version.getName().equals("v1alpha2"));
      assertThat(version.getDeprecated())
          .isEqualTo(version.getName().equals("v1alpha1") ? true : null);
      assertThat(version.getSubresources().getStatus()).isNotNull();
      JSONSchemaProps counts =
          version
              .getSchema()
              .getOpenAPIV3Schema()
              .getProperties()
              .get("status")
              .getProperties()
              .get("ipAddresses");
      assertThat(counts.getRequired())
          .containsExactlyInAnyOrder("total", "used", "free", "outOfRange");
      assertThat(counts.getProperties().get("total").getType()).isEqualTo("integer");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "inclusterippools, v1alpha2, 'Addresses,Total,Free,Used'",
    "globalinclusterippools, v1alpha2, 'Addresses,Total,Free,Used'",
    "inclusterippools, v1alpha1, 'Subnet,Addresses,Total,Free,Used'",
    "globalinclusterippools, v1alpha1, 'Subnet,Addresses,Total,Free,Used'",
    "inclusterprefixpools, v1alpha2, 'Prefixes,Total,Free,Used'",
    "globalinclusterprefixpools, v1alpha2, 'Prefixes,Total,Free,Used'",
  })
  void printerColumnsInUpstreamsOrderWithoutTheEmptyFirstAndLast(
      String plural, String versionName, String expected) throws Exception {
    CustomResourceDefinitionVersion version = version(crd(plural), versionName);
    assertThat(columns(version)).containsExactly(expected.split(","));
    for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
      assertThat(column.getType())
          .isEqualTo(
              List.of("Total", "Free", "Used").contains(column.getName()) ? "integer" : "string");
      assertThat(column.getJsonPath()).startsWith(".");
    }
  }

  @Test
  void ipPoolSpecMarkers() throws Exception {
    JSONSchemaProps spec =
        version(crd("inclusterippools"), "v1alpha2")
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("addresses", "prefix");
    assertThat(spec.getProperties())
        .containsOnlyKeys(
            "addresses",
            "prefix",
            "gateway",
            "allocateReservedIPAddresses",
            "excludedAddresses",
            "addressReuseGracePeriodSeconds");
    assertThat(spec.getProperties().get("prefix").getMinimum()).isEqualTo(0.0);
    assertThat(spec.getProperties().get("prefix").getMaximum()).isEqualTo(128.0);
    assertThat(spec.getProperties().get("addressReuseGracePeriodSeconds").getMinimum())
        .isEqualTo(0.0);
    assertThat(spec.getProperties().get("allocateReservedIPAddresses").getType())
        .isEqualTo("boolean");

    JSONSchemaProps v1 =
        version(crd("globalinclusterippools"), "v1alpha1")
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    assertThat(v1.getRequired()).isNullOrEmpty();
    assertThat(v1.getProperties())
        .containsOnlyKeys("addresses", "subnet", "start", "end", "prefix", "gateway");
    assertThat(v1.getProperties().get("prefix").getMaximum()).isEqualTo(128.0);
  }

  @Test
  void prefixPoolSpecMarkers() throws Exception {
    JSONSchemaProps spec =
        version(crd("globalinclusterprefixpools"), "v1alpha2")
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    assertThat(spec.getRequired()).containsExactly("prefixes");
    assertThat(spec.getProperties())
        .containsOnlyKeys("prefixes", "allocationPrefixLength", "gateway", "excludedPrefixes");
    JSONSchemaProps length = spec.getProperties().get("allocationPrefixLength");
    assertThat(length.getDefault().asInt()).isEqualTo(64);
    assertThat(length.getMinimum()).isEqualTo(1.0);
    assertThat(length.getMaximum()).isEqualTo(128.0);
  }

  @Test
  void theWireNamesAreUpstreams() {
    assertThat(InClusterApi.RELEASE_ADDRESS_FINALIZER)
        .isEqualTo("ipam.cluster.x-k8s.io/ReleaseAddress");
    assertThat(InClusterApi.PROTECT_ADDRESS_FINALIZER)
        .isEqualTo("ipam.cluster.x-k8s.io/ProtectAddress");
    assertThat(InClusterApi.PROTECT_POOL_FINALIZER).isEqualTo("ipam.cluster.x-k8s.io/ProtectPool");
    assertThat(InClusterApi.SKIP_DELETE_VALIDATION_ANNOTATION)
        .isEqualTo("ipam.cluster.x-k8s.io/skip-validate-delete-webhook");
    assertThat(InClusterApi.CLUSTER_NAME_LABEL).isEqualTo("cluster.x-k8s.io/cluster-name");
    assertThat(InClusterApi.CONVERSION_DATA_ANNOTATION)
        .isEqualTo("cluster.x-k8s.io/conversion-data");
    assertThat(InClusterApi.MOVE_HIERARCHY_LABEL)
        .isEqualTo("clusterctl.cluster.x-k8s.io/move-hierarchy");
  }
}
