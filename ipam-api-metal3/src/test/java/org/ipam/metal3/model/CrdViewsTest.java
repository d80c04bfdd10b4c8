package org.ipam.metal3.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code kubectl get} shows of each kind the Metal3 dialect ships, as the CRD generator wrote
 * it: the columns (name = JSON path), the category {@code ipam} that {@code kubectl get ipam}
 * lists, and the short names. One row a CRD.
 */
class CrdViewsTest {
  record View(String crd, List<String> columns, List<String> categories, List<String> shortNames) {}

  static List<View> views() {
    return List.of(
        new View(
            "ippools.ipam.metal3.io",
            List.of(
                "Cluster=.metadata.labels.cluster\\.x-k8s\\.io/cluster-name",
                "Ready=.status.conditions[?(@.type==\"Ready\")].status",
                "Reason=.status.conditions[?(@.type==\"Ready\")].reason",
                "Age=.metadata.creationTimestamp"),
            List.of("cluster-api", "ipam"),
            List.of("ipp", "m3ipp")),
        new View(
            "ipclaims.ipam.metal3.io",
            List.of(
                "Pool=.spec.pool.name",
                "IPAddress=.status.address.name",
                "Error=.status.errorMessage",
                "Age=.metadata.creationTimestamp"),
            List.of("cluster-api", "ipam"),
            List.of("ipc", "m3ipc")),
        new View(
            "ipaddresses.ipam.metal3.io",
            List.of(
                "Address=.spec.address",
                "Prefix=.spec.prefix",
                "Pool=.spec.pool.name",
                "Claim=.spec.claim.name",
                "Age=.metadata.creationTimestamp"),
            List.of("metal3", "ipam"),
            List.of("ipa", "m3ipa")),
        new View(
            "ipaddressclaims.ipam.cluster.x-k8s.io",
            List.of(
                "Pool Name=.spec.poolRef.name",
                "Pool Kind=.spec.poolRef.kind",
                "Ready=.status.conditions[?(@.type==\"Ready\")].status",
                "IPAddress=.status.addressRef.name",
                "Age=.metadata.creationTimestamp"),
            List.of("cluster-api", "ipam"),
            List.of("ipac")),
        new View(
            "ipaddresses.ipam.cluster.x-k8s.io",
            List.of(
                "Address=.spec.address",
                "Pool Name=.spec.poolRef.name",
                "Pool Kind=.spec.poolRef.kind",
                "Claim=.spec.claimRef.name",
                "Age=.metadata.creationTimestamp"),
            List.of("cluster-api", "ipam"),
            List.of("capiipa")));
  }

  @ParameterizedTest
  @MethodSource("views")
  void generatedCrdHasTheColumnsCategoriesAndShortNames(View view) throws IOException {
    CustomResourceDefinition crd;
    try (InputStream yaml =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/fabric8/" + view.crd() + "-v1.yml")) {
      assertThat(yaml).as(view.crd()).isNotNull();
      crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    }
    assertThat(crd.getSpec().getVersions())
        .allSatisfy(
            version ->
                assertThat(version.getAdditionalPrinterColumns())
                    .extracting(CrdViewsTest::column)
                    .as("%s %s columns", view.crd(), version.getName())
                    // The generator orders columns by JSON path, whatever the annotations' order.
                    .containsExactlyInAnyOrderElementsOf(view.columns()));
    assertThat(crd.getSpec().getNames().getCategories()).isEqualTo(view.categories());
    assertThat(crd.getSpec().getNames().getShortNames()).containsAll(view.shortNames());
  }

  private static String column(CustomResourceColumnDefinition column) {
    return column.getName() + "=" + column.getJsonPath();
  }
}
