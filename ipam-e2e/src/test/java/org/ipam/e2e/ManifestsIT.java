package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ipam.e2e.TargetCluster.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy manifests: {@code config/} holds the CRDs the build generates, {@code
 * dist/ipam-components.yaml} is the current render of {@code config/default}, both variants are
 * accepted by a server-side dry run on the real kube-apiserver, and RBAC grants no wildcards. After
 * a change: {@code hack/render-manifests.sh}.
 */
@ExtendWith(TargetCluster.class)
class ManifestsIT {
  private static final Path ROOT = E2eSettings.repositoryRoot();
  private static final Path DIST = ROOT.resolve("dist/ipam-components.yaml");

  @Test
  void crdCopiesAreTheGeneratedOnes() throws IOException {
    assertSameFiles(
        ROOT.resolve("ipam-api-metal3/target/classes/META-INF/fabric8"),
        ROOT.resolve("config/crd/bases"));
    assertSameFiles(
        ROOT.resolve("ipam-core/target/classes/META-INF/fabric8"), ROOT.resolve("config/crd/capi"));
    assertSameFiles(
        ROOT.resolve("ipam-api-incluster/target/classes/META-INF/fabric8"),
        ROOT.resolve("config/crd/incluster"));
    assertSameFiles(
        ROOT.resolve("ipam-api-mandelsoft/target/classes/META-INF/fabric8"),
        ROOT.resolve("config/crd/mandelsoft"));
    assertSameFiles(
        ROOT.resolve("ipam-api-harvester/target/classes/META-INF/fabric8"),
        ROOT.resolve("config/crd/harvester"));
  }

  /**
   * What the Harvester dialect needs to be on by default: the IPPool CRDs of both groups with the
   * pools' ledger and a status subresource, the LoadBalancer CRD, RBAC for both kinds (status and
   * finalizers too) and for core Services and their status, and the three validating webhooks (the
   * pools' with DELETE).
   */
  @Test
  void harvesterCrdsRbacAndWebhooksAreShipped() throws IOException {
    String dist = Files.readString(DIST);
    List<String> documents = List.of(dist.split("(?m)^---$"));
    for (String crd :
        List.of(
            "ippools.loadbalancer.harvesterhci.io",
            "ippools.networking.harvesterhci.io",
            "loadbalancers.loadbalancer.harvesterhci.io")) {
      String document =
          documents.stream()
              .filter(d -> d.contains("\n  name: " + crd + "\n"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no CRD " + crd + " in " + DIST));
      assertThat(document).as(crd).contains("subresources:\n      status: {}");
      if (crd.startsWith("ippools.")) {
        assertThat(document).as(crd).contains("allocations:").contains("uid:");
      }
    }
    for (String path :
        List.of(
            "/validate-loadbalancer-harvesterhci-io-v1beta1-ippool",
            "/validate-networking-harvesterhci-io-v1beta1-ippool",
            "/validate-loadbalancer-harvesterhci-io-v1beta1-loadbalancer")) {
      assertThat(dist).contains("path: " + path + "\n");
      String webhook =
          dist.substring(dist.indexOf(path), dist.indexOf("timeoutSeconds", dist.indexOf(path)));
      assertThat(webhook.contains("- DELETE"))
          .as(path + " on DELETE")
          .isEqualTo(path.endsWith("ippool"));
    }
    String role =
        documents.stream()
            .filter(d -> d.contains("kind: ClusterRole\n") && d.contains("name: ipam-controller"))
            .findFirst()
            .orElseThrow();
    assertThat(role)
        .contains("loadbalancer.harvesterhci.io")
        .contains("networking.harvesterhci.io")
        .contains("ippools/status")
        .contains("ippools/finalizers")
        .contains("loadbalancers/status")
        .contains("loadbalancers/finalizers")
        .contains("services/status");
  }

  /**
   * What the kubipam dialect needs to be on by default: its two CRDs with the range's ledger, RBAC
   * for both kinds (status and finalizers too) and both validating webhooks.
   */
  @Test
  void mandelsoftCrdsRbacAndWebhooksAreShipped() throws IOException {
    String dist = Files.readString(DIST);
    List<String> documents = List.of(dist.split("(?m)^---$"));
    for (String plural : List.of("ipamranges", "ipamrequests")) {
      assertThat(documents)
          .as(plural + " CRD")
          .anyMatch(d -> d.contains("\n  name: " + plural + ".ipam.mandelsoft.org\n"));
      assertThat(dist)
          .contains(
              "path: /validate-ipam-mandelsoft-org-v1alpha1-"
                  + plural.substring(0, plural.length() - 1)
                  + "\n");
    }
    String ranges =
        documents.stream()
            .filter(d -> d.contains("\n  name: ipamranges.ipam.mandelsoft.org\n"))
            .findFirst()
            .orElseThrow();
    assertThat(ranges).contains("allocations:").contains("uid:").contains("cidr:");
    String role =
        documents.stream()
            .filter(d -> d.contains("kind: ClusterRole\n") && d.contains("name: ipam-controller"))
            .findFirst()
            .orElseThrow();
    assertThat(role)
        .contains("ipam.mandelsoft.org")
        .contains("ipamranges/status")
        .contains("ipamrequests/status")
        .contains("ipamranges/finalizers")
        .contains("ipamrequests/finalizers");
  }

  /**
   * The claim finalizer webhooks the dialects serve are exactly those the manifests register (name,
   * path and resource each), CREATE only and never a rule (failurePolicy Ignore).
   */
  @Test
  void everyClaimFinalizerWebhookIsRegistered() throws IOException {
    String dist = Files.readString(DIST);
    String mutating =
        List.of(dist.split("(?m)^---$")).stream()
            .filter(d -> d.contains("kind: MutatingWebhookConfiguration\n"))
            .findFirst()
            .orElseThrow();
    List<org.ipam.core.webhook.ClaimFinalizerWebhook> served =
        java.util.stream.Stream.of(
                new org.ipam.metal3.adapter.Metal3DialectModule(),
                new org.ipam.incluster.adapter.InClusterDialectModule(),
                new org.ipam.mandelsoft.adapter.MandelsoftDialectModule(),
                new org.ipam.harvester.adapter.HarvesterDialectModule())
            .flatMap(
                dialect ->
                    dialect
                        .finalizerWebhooks(pool -> true, org.ipam.core.engine.WatchFilter.NONE)
                        .stream())
            .toList();
    assertThat(served).hasSize(4);
    var registered =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                mutating,
                io.fabric8.kubernetes.api.model.admissionregistration.v1
                    .MutatingWebhookConfiguration.class)
            .getWebhooks();
    assertThat(registered)
        .extracting(
            w -> w.getName(),
            w -> w.getClientConfig().getService().getPath(),
            w -> w.getRules().get(0).getApiGroups().get(0),
            w -> w.getRules().get(0).getApiVersions().get(0),
            w -> w.getRules().get(0).getResources(),
            w -> w.getRules().get(0).getOperations(),
            w -> w.getFailurePolicy(),
            w -> w.getSideEffects())
        .containsExactlyInAnyOrderElementsOf(
            served.stream()
                .map(
                    webhook ->
                        org.assertj.core.groups.Tuple.tuple(
                            webhook.name(),
                            webhook.path(),
                            webhook.target().group(),
                            webhook.target().version(),
                            List.of(webhook.target().plural()),
                            List.of("CREATE"),
                            "Ignore",
                            "None"))
                .toList());
  }

  /**
   * What the generator cannot write and config/crd/incluster adds, as upstream's CRD patches do:
   * clusterctl's move-hierarchy label on the four pool kinds, and the conversion webhook on the two
   * kinds served in v1alpha1 and v1alpha2; and the in-cluster webhooks, pools with DELETE.
   */
  @Test
  void inClusterCrdsCarryTheMoveLabelAndTheConversionWebhook() throws IOException {
    List<String> documents = List.of(Files.readString(DIST).split("(?m)^---$"));
    for (String plural :
        List.of(
            "inclusterippools",
            "globalinclusterippools",
            "inclusterprefixpools",
            "globalinclusterprefixpools")) {
      String crd =
          documents.stream()
              .filter(d -> d.contains("\n  name: " + plural + ".ipam.cluster.x-k8s.io\n"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no CRD " + plural + " in " + DIST));
      assertThat(crd).as(plural).contains("clusterctl.cluster.x-k8s.io/move-hierarchy: \"\"");
      boolean converted = !plural.contains("prefix");
      assertThat(crd.contains("strategy: Webhook")).as(plural + " conversion").isEqualTo(converted);
      if (converted) {
        assertThat(crd).contains("path: /convert").contains("name: ipam-webhook-service");
      }
      assertThat(Files.readString(DIST))
          .contains(
              "path: /validate-ipam-cluster-x-k8s-io-v1alpha2-"
                  + plural.substring(0, plural.length() - 1));
    }
    assertThat(Files.readString(DIST))
        .contains("path: /validate-ipam-cluster-x-k8s-io-v1beta2-ipaddressclaim")
        .contains("path: /validate-ipam-cluster-x-k8s-io-v1beta2-ipaddress\n");
  }

  @Test
  void distIsTheRenderOfConfigDefault(Cluster cluster) throws IOException {
    String rendered = new Kubectl(cluster.kubeconfig()).run("kustomize", config("default"));
    assertThat(Files.readString(DIST).trim())
        .as("dist/ipam-components.yaml is stale: run hack/render-manifests.sh")
        .isEqualTo(rendered.trim());
  }

  @Test
  void rbacGrantsNoWildcards() throws IOException {
    assertThat(Files.readString(DIST)).doesNotContain("'*'").doesNotContain("\"*\"");
  }

  @Test
  void bothVariantsPassAServerSideDryRun(Cluster cluster, @TempDir Path dir) throws IOException {
    Kubectl kubectl = new Kubectl(cluster.kubeconfig());
    // A dry run cannot create the namespace the other objects go into.
    if (kubectl.attempt("get", "namespace", "ipam-system").exitCode() != 0) {
      kubectl.run("create", "namespace", "ipam-system");
    }
    String output = kubectl.run("apply", "--dry-run=server", "-f", DIST.toString());
    assertThat(output)
        .contains("deployment.apps/ipam-controller created (server dry run)")
        .contains(
            "validatingwebhookconfiguration.admissionregistration.k8s.io/ipam-validating-webhooks")
        .contains("clusterrole.rbac.authorization.k8s.io/ipam-controller");

    // cert-manager's own kinds need its CRDs, which this cluster does not have: the rest of that
    // variant (the annotated webhook configuration above all) must pass.
    String certManager = kubectl.run("kustomize", config("cert-manager"));
    String withoutCertManagerKinds =
        Arrays.stream(certManager.split("(?m)^---$"))
            .filter(document -> !document.contains("apiVersion: cert-manager.io/"))
            .collect(Collectors.joining("---"));
    assertThat(withoutCertManagerKinds).contains("cert-manager.io/inject-ca-from");
    Path file = dir.resolve("cert-manager-variant.yaml");
    Files.writeString(file, withoutCertManagerKinds);
    assertThat(kubectl.run("apply", "--dry-run=server", "-f", file.toString()))
        .contains("(server dry run)");
  }

  private static String config(String variant) {
    return ROOT.resolve("config").resolve(variant).toString();
  }

  private static void assertSameFiles(Path generated, Path copies) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(generated)) {
      files = listing.filter(file -> file.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Path copy = copies.resolve(file.getFileName());
      assertThat(copy).as("run hack/render-manifests.sh").exists();
      assertThat(Files.readString(copy))
          .as("%s is stale: run hack/render-manifests.sh", copy)
          .isEqualTo(Files.readString(file));
    }
  }
}
