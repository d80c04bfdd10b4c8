package org.ipam.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-cluster webhooks as a user meets them: the controller in local mode registers the
 * validating webhooks of the four pool kinds (CREATE, UPDATE, DELETE) and of Cluster API claims and
 * IPAddresses of in-cluster pools, and points the two IP pool CRDs at its {@code /convert}; kubectl
 * apply of a bad object is refused with a message that names the field and the value. Where the CRD
 * schema (or its CEL rule) refuses first, the API server answers before the webhook, also naming
 * field and value; both count.
 *
 * <p>Bad inputs tried, 55 refused, each message naming the field and the value (but the empty
 * address list, which names the field). IP pools: an address 10.0.0.300, a range that ends before
 * it starts, {@code a-b-c}, a CIDR /33, a leading zero, the short form 10.1, a zone on an IPv4
 * address, an IPv6 address that does not parse, IPv4 beside IPv6, an IPv4-mapped IPv6 address
 * beside IPv4, a range from IPv4 to IPv6, prefixes -1 (schema), 33 and 129 (schema), a gateway
 * 10.0.0.256, an IPv6 gateway for IPv4 addresses, excluded entries that do not parse, are of the
 * other family, or end before they start, a negative grace period (schema), addresses in two /24s,
 * IPv6 addresses in two /64s, a /16 in a /24 pool, an empty address list; Global IP pools: a bad
 * address, a gateway of the other family, prefix 40. Prefix pools: an entry that is no CIDR, one
 * not network-aligned, one longer than the allocation length, allocation length 129 (schema), an
 * IPv4 pool left at the default 64, prefixes of two families, a gateway that does not parse and one
 * of the other family, excluded prefixes that do not parse or are of the other family; a Global
 * prefix pool not network-aligned. Updates: a changed allocationPrefixLength; a pool shrunk below
 * the address a claim holds, the address excluded, made the gateway. Deletes: a pool in use, a
 * Global pool in use. v1alpha1: a subnet that is no CIDR (the conversion webhook refuses it), start
 * after end (refused once converted). Claims: a poolRef kind, name and apiGroup the schema refuses,
 * a poolRef moved to another pool (CEL). IPAddresses of in-cluster pools: an address "abc", IPv4
 * prefix 33, a gateway 1.2.3, a poolRef that is not its claim's, a changed address (CEL).
 *
 * <p>Admitted: the seed pool, IPv6, Global and prefix pools (IPv6, IPv4, Global), claims, a pool
 * delete with {@code ipam.cluster.x-k8s.io/skip-validate-delete-webhook} and a Global one with
 * {@code clusterctl.cluster.x-k8s.io/delete-for-move}, and an IPAddress of a Metal3 pool that the
 * in-cluster webhook leaves alone. Conversion through the live webhook: a v1alpha1 pool read as
 * v1alpha2 (with the {@code cluster.x-k8s.io/conversion-data} annotation) and back as v1alpha1
 * (what was written, defaults filled in, no annotation); a v1alpha2 Global pool read as v1alpha1; a
 * v1alpha1 pool changed through v1alpha2 read as v1alpha1 with the change; a v1alpha1 list.
 */
@ExtendWith(ControllerLogsOnFailure.class)
class InClusterWebhookIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1ALPHA1 = "inclusterippools.v1alpha1.ipam.cluster.x-k8s.io";
  private static final String V1ALPHA2 = "inclusterippools.v1alpha2.ipam.cluster.x-k8s.io";
  private static final String GLOBAL_V1ALPHA1 =
      "globalinclusterippools.v1alpha1.ipam.cluster.x-k8s.io";
  private static final String GLOBAL_V1ALPHA2 =
      "globalinclusterippools.v1alpha2.ipam.cluster.x-k8s.io";

  private Kubectl kubectl;
  private Path dir;
  private int refusals;

  /** With webhooks off: the bad pools applied, each with what its Ready condition must say. */
  private final List<Judged> judged = new ArrayList<>();

  private boolean webhooksOff;

  /** kind/namespace/name of every object this test created, to tell an update from a create. */
  private final Set<String> created = new HashSet<>();

  /** With webhooks off: refused updates the API server admitted (not judged, see refused). */
  private int updatesAdmitted;

  private record Judged(String kind, String namespace, String name, String[] fragments) {}

  /**
   * The same bad pools with no webhook served: the API server admits what its schema admits, and
   * the controller says on each pool (Ready False, InvalidSpec) what the webhook would have said,
   * naming field and value, and serves nothing from it; a good pool beside them keeps serving.
   */
  @Test
  void withWebhooksOffEachBadPoolSaysWhyOnItsStatusAndAGoodPoolServes(@TempDir Path dir) {
    this.dir = dir;
    this.webhooksOff = true;
    Path kubeconfig = dir.resolve("local.kubeconfig");
    ControllerProcess controller =
        ControllerProcess.start(
            "incluster-webhooks-off",
            List.of(
                "--local",
                "--local-kubeconfig=" + kubeconfig,
                "--webhook-port=0",
                "--adapters=incluster"));
    controller.awaitReady(Duration.ofMinutes(20));
    kubectl = new Kubectl(kubeconfig);

    SoftAssertions soft = new SoftAssertions();
    ipPools(soft);
    prefixPools(soft);
    applied(soft, ipPool("fine", "addresses: [10.9.0.2-10.9.0.9]\nprefix: 24"));
    applied(
        soft,
        "apiVersion: ipam.cluster.x-k8s.io/v1beta2\nkind: IPAddressClaim\nmetadata:\n"
            + "  name: fine-claim\n  namespace: default\nspec:\n  poolRef:\n"
            + "    apiGroup: ipam.cluster.x-k8s.io\n    kind: InClusterIPPool\n    name: fine\n");
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(
                      kubectl
                          .attempt(
                              "get",
                              "ipaddresses.ipam.cluster.x-k8s.io",
                              "fine-claim",
                              "-n",
                              "default",
                              "-o",
                              "jsonpath={.spec.address}")
                          .output())
                  .isEqualTo("10.9.0.2");
              // Every pool checked in one go, so that a failure lists all that differ.
              SoftAssertions.assertSoftly(
                  each -> {
                    for (Judged pool : judged) {
                      each.assertThat(readyOf(pool))
                          .as("%s %s Ready", pool.kind(), pool.name())
                          .startsWith("False|InvalidSpec|")
                          .contains(pool.fragments());
                    }
                  });
            });
    soft.assertThat(refusals - updatesAdmitted).as("bad pools created").isGreaterThanOrEqualTo(40);
    System.out.printf(
        "E2E in-cluster webhooks off: %d bad pools, %d admitted and told on their status,"
            + " %d updates the webhook alone refuses%n",
        refusals, judged.size(), updatesAdmitted);
    soft.assertAll();
  }

  /** {@code status|reason|message} of the pool's Ready condition. */
  private String readyOf(Judged pool) {
    String resource = pool.kind().toLowerCase() + "s.ipam.cluster.x-k8s.io";
    List<String> args = new ArrayList<>(List.of("get", resource, pool.name()));
    if (pool.namespace() != null) {
      args.addAll(List.of("-n", pool.namespace()));
    }
    args.addAll(
        List.of(
            "-o",
            "jsonpath={range .status.conditions[?(@.type==\"Ready\")]}"
                + "{.status}|{.reason}|{.message}{end}"));
    return kubectl.attempt(args.toArray(String[]::new)).output();
  }

  @Test
  void refusesBadPoolsAndClaimsNamingFieldAndValueAndConvertsV1alpha1(@TempDir Path dir) {
    this.dir = dir;
    Path kubeconfig = dir.resolve("local.kubeconfig");
    ControllerProcess controller =
        ControllerProcess.start(
            "incluster-webhooks-local",
            List.of(
                "--local",
                "--local-kubeconfig=" + kubeconfig,
                "--webhook-port=" + ControllerProcess.freePort()));
    controller.awaitReady(Duration.ofMinutes(20));
    kubectl = new Kubectl(kubeconfig);
    // The API server picks the webhook configuration up shortly after it is written.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(apply(ipPool("probe", "addresses: [10.0.0.300]\nprefix: 24")).output())
                    .contains("denied the request"));
    kubectl.run("create", "namespace", "other");

    SoftAssertions soft = new SoftAssertions();
    ipPools(soft);
    prefixPools(soft);
    inUse(soft);
    v1alpha1(soft);
    capiObjects(soft);
    soft.assertThat(refusals).as("refusals").isGreaterThanOrEqualTo(40);
    System.out.printf("E2E in-cluster webhooks: %d bad objects refused%n", refusals);
    soft.assertAll();
  }

  private void ipPools(SoftAssertions soft) {
    String prefix24 = "\nprefix: 24";
    refused(soft, ipPool("a1", "addresses: [10.0.0.300]" + prefix24), field(0, "10.0.0.300"));
    refused(
        soft,
        ipPool("a2", "addresses: [10.0.0.9-10.0.0.1]" + prefix24),
        field(0, "10.0.0.9-10.0.0.1"),
        "is not a range");
    refused(
        soft,
        ipPool("a3", "addresses: [10.0.0.1-10.0.0.4-10.0.0.9]" + prefix24),
        field(0, "10.0.0.1-10.0.0.4-10.0.0.9"));
    refused(soft, ipPool("a4", "addresses: [10.0.0.0/33]" + prefix24), field(0, "10.0.0.0/33"));
    refused(soft, ipPool("a5", "addresses: [010.0.0.1]" + prefix24), field(0, "010.0.0.1"));
    refused(soft, ipPool("a6", "addresses: [\"10.1\"]" + prefix24), field(0, "10.1"));
    refused(soft, ipPool("a7", "addresses: [10.0.0.1%eth0]" + prefix24), field(0, "10.0.0.1%eth0"));
    refused(soft, ipPool("a8", "addresses: [\"fd00::g\"]\nprefix: 64"), field(0, "fd00::g"));
    refused(
        soft,
        ipPool("a9", "addresses: [10.0.0.1, \"fd00::1\"]" + prefix24),
        "spec.addresses[1] \"fd00::1\" is IPv6 but");
    refused(
        soft,
        ipPool("a10", "addresses: [10.0.0.1, \"::ffff:10.0.0.2\"]" + prefix24),
        "spec.addresses[1] \"::ffff:10.0.0.2\" is IPv6");
    refused(
        soft,
        ipPool("a11", "addresses: [\"10.0.0.1-fd00::1\"]" + prefix24),
        field(0, "10.0.0.1-fd00::1"));
    refused(soft, ipPool("p1", "addresses: [10.0.0.1]\nprefix: -1"), "spec.prefix", "-1");
    refused(
        soft,
        ipPool("p2", "addresses: [10.0.0.1]\nprefix: 33"),
        "spec.prefix \"33\" is longer than 32");
    refused(soft, ipPool("p3", "addresses: [\"fd00::1\"]\nprefix: 129"), "spec.prefix", "129");
    refused(
        soft,
        ipPool("g1", "addresses: [10.0.0.2]" + prefix24 + "\ngateway: 10.0.0.256"),
        "spec.gateway \"10.0.0.256\"");
    refused(
        soft,
        ipPool("g2", "addresses: [10.0.0.2]" + prefix24 + "\ngateway: \"fd00::1\""),
        "spec.gateway \"fd00::1\" is IPv6 but the addresses are IPv4");
    refused(
        soft,
        ipPool("e1", "addresses: [10.0.0.2]" + prefix24 + "\nexcludedAddresses: [nope]"),
        "spec.excludedAddresses[0] \"nope\"");
    refused(
        soft,
        ipPool("e2", "addresses: [10.0.0.2]" + prefix24 + "\nexcludedAddresses: [\"fd00::5\"]"),
        "spec.excludedAddresses[0] \"fd00::5\" is IPv6");
    refused(
        soft,
        ipPool(
            "e3", "addresses: [10.0.0.2]" + prefix24 + "\nexcludedAddresses: [10.0.0.9-10.0.0.2]"),
        "spec.excludedAddresses[0] \"10.0.0.9-10.0.0.2\"");
    refused(
        soft,
        ipPool("r1", "addresses: [10.0.0.2]" + prefix24 + "\naddressReuseGracePeriodSeconds: -5"),
        "spec.addressReuseGracePeriodSeconds",
        "-5");
    refused(
        soft,
        ipPool("s1", "addresses: [10.0.0.1, 10.0.1.1]" + prefix24),
        "spec.addresses[1] \"10.0.1.1\" is outside 10.0.0.0/24");
    refused(
        soft,
        ipPool("s2", "addresses: [\"fd00::1\", \"fd00:0:0:1::1\"]\nprefix: 64"),
        "spec.addresses[1] \"fd00:0:0:1::1\" is outside fd00::/64");
    refused(
        soft,
        ipPool("s3", "addresses: [10.0.0.0/16]" + prefix24),
        "spec.addresses[0] \"10.0.0.0/16\" is outside");
    refused(soft, ipPool("n1", "addresses: []" + prefix24), "spec.addresses is required");
    refused(
        soft,
        globalIpPool("gbad", "addresses: [192.168.0.256]" + prefix24),
        "GlobalInClusterIPPool gbad: spec.addresses[0] \"192.168.0.256\"");
    refused(
        soft,
        globalIpPool("ggw", "addresses: [\"fd00::2\"]\nprefix: 64\ngateway: 10.0.0.1"),
        "GlobalInClusterIPPool ggw: spec.gateway \"10.0.0.1\" is IPv4");
    refused(
        soft,
        globalIpPool("gprefix", "addresses: [10.0.0.2]\nprefix: 40"),
        "spec.prefix \"40\" is longer than 32");

    refused(
        soft,
        ipPool("a12", "addresses: [10.0.0.1/24-10.0.0.9]" + prefix24),
        field(0, "10.0.0.1/24-10.0.0.9"));
    refused(
        soft,
        globalIpPool("gmix", "addresses: [10.0.0.1, \"fd00::1\"]" + prefix24),
        "GlobalInClusterIPPool gmix: spec.addresses[1] \"fd00::1\" is IPv6 but");

    applied(soft, read(seed()));
    applied(
        soft, ipPool("v6", "addresses: [\"fd00::10-fd00::20\"]\nprefix: 64\ngateway: \"fd00::1\""));
    applied(soft, globalIpPool("shared", "addresses: [10.50.0.0/28]\nprefix: 24"));
  }

  private void prefixPools(SoftAssertions soft) {
    refused(soft, prefixPool("q1", "prefixes: [\"fd00::1\"]"), "spec.prefixes[0] \"fd00::1\"");
    refused(
        soft,
        prefixPool("q2", "prefixes: [\"fd00::1/56\"]"),
        "spec.prefixes[0] \"fd00::1/56\" is not network-aligned");
    refused(
        soft,
        prefixPool("q3", "prefixes: [\"fd00::/72\"]"),
        "spec.prefixes[0] \"fd00::/72\" is longer than spec.allocationPrefixLength 64");
    refused(
        soft,
        prefixPool("q4", "prefixes: [\"fd00::/56\"]\nallocationPrefixLength: 129"),
        "spec.allocationPrefixLength",
        "129");
    refused(
        soft,
        prefixPool("q5", "prefixes: [10.20.0.0/24]"),
        "spec.allocationPrefixLength \"64\" is longer than 32");
    refused(
        soft,
        prefixPool("q6", "prefixes: [\"fd00::/56\", 10.0.0.0/24]"),
        "spec.prefixes[1] \"10.0.0.0/24\" is IPv4");
    refused(
        soft,
        prefixPool("q7", "prefixes: [\"fd00::/56\"]\ngateway: \"fd00::zz\""),
        "spec.gateway \"fd00::zz\"");
    refused(
        soft,
        prefixPool("q8", "prefixes: [\"fd00::/56\"]\ngateway: 10.0.0.1"),
        "spec.gateway \"10.0.0.1\" is IPv4 but the prefixes are IPv6");
    refused(
        soft,
        prefixPool("q9", "prefixes: [\"fd00::/56\"]\nexcludedPrefixes: [nope]"),
        "spec.excludedPrefixes[0] \"nope\"");
    refused(
        soft,
        prefixPool("q10", "prefixes: [\"fd00::/56\"]\nexcludedPrefixes: [10.0.0.0/24]"),
        "spec.excludedPrefixes[0] \"10.0.0.0/24\" is IPv4");
    refused(
        soft,
        globalPrefixPool("gq1", "prefixes: [10.20.0.1/24]\nallocationPrefixLength: 28"),
        "GlobalInClusterPrefixPool gq1: spec.prefixes[0] \"10.20.0.1/24\" is not network-aligned");

    refused(soft, prefixPool("q11", "prefixes: []"), "spec.prefixes is required");

    applied(soft, prefixPool("nodes-v6", "prefixes: [\"fd00:0:0:100::/56\"]"));
    applied(soft, prefixPool("nodes-v4", "prefixes: [10.20.0.0/24]\nallocationPrefixLength: 28"));
    applied(soft, globalPrefixPool("shared-v6", "prefixes: [\"fd01::/48\"]"));
    refused(
        soft,
        prefixPool("nodes-v6", "prefixes: [\"fd00:0:0:100::/56\"]\nallocationPrefixLength: 60"),
        "spec.allocationPrefixLength \"60\" cannot be modified (it was 64)");
  }

  /** The update and delete rules, against an address a claim really holds. */
  private void inUse(SoftAssertions soft) {
    String held = "addresses: [10.0.1.10-10.0.1.20]\nprefix: 24";
    applied(soft, ipPool("held", held));
    applied(soft, claim("held-c", "default", "InClusterIPPool", "held"));
    kubectl.awaitGet(
        "10.0.1.10",
        "ipaddresses.ipam.cluster.x-k8s.io",
        "held-c",
        "-n",
        "default",
        "-o",
        "jsonpath={.spec.address}");
    refused(
        soft,
        ipPool("held", "addresses: [10.0.1.15-10.0.1.20]\nprefix: 24"),
        "spec.addresses leave out addresses in use: 10.0.1.10 (IPAddress default/held-c)");
    refused(
        soft,
        ipPool("held", held + "\nexcludedAddresses: [10.0.1.10]"),
        "spec.excludedAddresses[0] \"10.0.1.10\" excludes addresses in use: 10.0.1.10 (IPAddress"
            + " default/held-c)");
    refused(
        soft,
        ipPool("held", held + "\ngateway: 10.0.1.10"),
        "spec.gateway \"10.0.1.10\" is in use: 10.0.1.10 (IPAddress default/held-c)");
    // Growing the pool takes nothing away.
    applied(soft, ipPool("held", "addresses: [10.0.1.10-10.0.1.30]\nprefix: 24"));
    refusedCommand(
        soft,
        List.of("delete", "inclusterippool", "held", "-n", "default", "--wait=false"),
        "InClusterIPPool default/held: Pool has IPAddresses allocated",
        "10.0.1.10 (IPAddress default/held-c)");
    kubectl.run(
        "annotate",
        "inclusterippool",
        "held",
        "-n",
        "default",
        "ipam.cluster.x-k8s.io/skip-validate-delete-webhook=");
    admittedCommand(
        soft, List.of("delete", "inclusterippool", "held", "-n", "default", "--wait=false"));

    applied(soft, claim("shared-c", "other", "GlobalInClusterIPPool", "shared"));
    kubectl.awaitGet(
        "10.50.0.1",
        "ipaddresses.ipam.cluster.x-k8s.io",
        "shared-c",
        "-n",
        "other",
        "-o",
        "jsonpath={.spec.address}");
    refusedCommand(
        soft,
        List.of("delete", "globalinclusterippool", "shared", "--wait=false"),
        "GlobalInClusterIPPool shared: Pool has IPAddresses allocated",
        "10.50.0.1 (IPAddress other/shared-c)");
    kubectl.run(
        "annotate",
        "globalinclusterippool",
        "shared",
        "clusterctl.cluster.x-k8s.io/delete-for-move=");
    admittedCommand(soft, List.of("delete", "globalinclusterippool", "shared", "--wait=false"));
  }

  /** v1alpha1 through the live conversion webhook, both ways, and its refusals. */
  private void v1alpha1(SoftAssertions soft) {
    applied(
        soft,
        """
        apiVersion: ipam.cluster.x-k8s.io/v1alpha1
        kind: InClusterIPPool
        metadata:
          name: legacy
          namespace: default
        spec:
          subnet: 10.0.0.0/24
          gateway: 10.0.0.1
        """);
    JsonNode hub = get(V1ALPHA2, "legacy", "default");
    soft.assertThat(hub.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha2");
    soft.assertThat(hub.path("spec").path("addresses").toString())
        .isEqualTo("[\"10.0.0.1-10.0.0.254\"]");
    soft.assertThat(hub.path("spec").path("prefix").asInt()).isEqualTo(24);
    soft.assertThat(hub.path("spec").path("gateway").asText()).isEqualTo("10.0.0.1");
    soft.assertThat(conversionData(hub))
        .as("conversion-data of the v1alpha1 pool")
        .contains("\"subnet\":\"10.0.0.0/24\"");
    JsonNode spoke = get(V1ALPHA1, "legacy", "default");
    soft.assertThat(spoke.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha1");
    soft.assertThat(spoke.path("spec").path("subnet").asText()).isEqualTo("10.0.0.0/24");
    soft.assertThat(spoke.path("spec").path("start").asText()).isEqualTo("10.0.0.1");
    soft.assertThat(spoke.path("spec").path("end").asText()).isEqualTo("10.0.0.254");
    soft.assertThat(conversionData(spoke)).as("no conversion-data shown to v1alpha1").isEmpty();

    applied(
        soft,
        globalIpPool(
            "modern",
            "addresses: [10.9.0.10-10.9.0.20]\nprefix: 24\ngateway: 10.9.0.1\n"
                + "excludedAddresses: [10.9.0.15]"));
    JsonNode old = get(GLOBAL_V1ALPHA1, "modern", null);
    soft.assertThat(old.path("apiVersion").asText()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha1");
    soft.assertThat(old.path("spec").path("addresses").toString())
        .isEqualTo("[\"10.9.0.10-10.9.0.20\"]");
    soft.assertThat(old.path("spec").path("prefix").asInt()).isEqualTo(24);
    soft.assertThat(old.path("spec").path("gateway").asText()).isEqualTo("10.9.0.1");
    soft.assertThat(old.path("spec").has("excludedAddresses")).isFalse();

    // Written as v1alpha1, changed through v1alpha2: a v1alpha1 reader sees the change.
    applied(
        soft,
        """
        apiVersion: ipam.cluster.x-k8s.io/v1alpha1
        kind: GlobalInClusterIPPool
        metadata:
          name: legacy-global
        spec:
          subnet: 10.8.0.0/24
          gateway: 10.8.0.1
        """);
    soft.assertThat(conversionData(get(GLOBAL_V1ALPHA2, "legacy-global", null)))
        .contains("\"subnet\":\"10.8.0.0/24\"");
    kubectl.run(
        "patch",
        GLOBAL_V1ALPHA2,
        "legacy-global",
        "--type=merge",
        "-p",
        "{\"spec\":{\"gateway\":\"10.8.0.2\"}}");
    JsonNode changed = get(GLOBAL_V1ALPHA1, "legacy-global", null);
    soft.assertThat(changed.path("spec").path("gateway").asText()).isEqualTo("10.8.0.2");
    soft.assertThat(changed.path("spec").has("subnet")).as("stale v1alpha1 spec").isFalse();
    soft.assertThat(changed.path("spec").path("addresses").toString())
        .isEqualTo("[\"10.8.0.1-10.8.0.254\"]");
    soft.assertThat(kubectl.run("get", V1ALPHA1, "-A", "-o", "name"))
        .contains("inclusterippool.ipam.cluster.x-k8s.io/legacy");

    refused(
        soft,
        """
        apiVersion: ipam.cluster.x-k8s.io/v1alpha1
        kind: InClusterIPPool
        metadata:
          name: legacy-bad
          namespace: default
        spec:
          subnet: 10.0.0.300/24
        """,
        "spec.subnet \"10.0.0.300/24\"");
    refused(
        soft,
        """
        apiVersion: ipam.cluster.x-k8s.io/v1alpha1
        kind: InClusterIPPool
        metadata:
          name: legacy-backwards
          namespace: default
        spec:
          start: 10.0.0.20
          end: 10.0.0.10
          prefix: 24
        """,
        "spec.addresses[0] \"10.0.0.20-10.0.0.10\" is not a range");
  }

  private void capiObjects(SoftAssertions soft) {
    refused(
        soft, claim("bad-kind", "default", "In Cluster", "p"), "spec.poolRef.kind", "In Cluster");
    refused(
        soft,
        claim("bad-name", "default", "InClusterIPPool", "Bad_Name"),
        "spec.poolRef.name",
        "Bad_Name");
    refused(
        soft,
        claim("bad-group", "default", "InClusterIPPool", "p")
            .replace("apiGroup: ipam.cluster.x-k8s.io", "apiGroup: \"\""),
        "spec.poolRef.apiGroup",
        "\"\"");
    applied(soft, claim("moving", "default", "InClusterIPPool", "v6"));
    refused(
        soft,
        claim("moving", "default", "InClusterIPPool", "elsewhere"),
        "spec",
        "spec is immutable");

    refused(
        soft,
        address("ipa-text", "InClusterIPPool", "v6", "moving", "abc", 24, ""),
        "IPAddress default/ipa-text: spec.address \"abc\"");
    refused(
        soft,
        address("ipa-prefix", "InClusterIPPool", "v6", "moving", "10.0.1.50", 33, ""),
        "spec.prefix \"33\" is not a prefix length of an IPv4 address (0 to 32)");
    refused(
        soft,
        address("ipa-gw", "InClusterIPPool", "v6", "moving", "10.0.1.50", 24, "1.2.3"),
        "spec.gateway \"1.2.3\"");
    refused(
        soft,
        address("ipa-pool", "InClusterIPPool", "other", "moving", "fd00::99", 64, ""),
        "spec.poolRef \"ipam.cluster.x-k8s.io/InClusterIPPool/other\" is not the pool of"
            + " IPAddressClaim default/moving");
    applied(soft, address("ipa-ok", "InClusterIPPool", "v6", "nobody", "fd00::99", 64, ""));
    refused(
        soft,
        address("ipa-ok", "InClusterIPPool", "v6", "nobody", "fd00::98", 64, ""),
        "spec",
        "spec is immutable");
    // Another dialect's pool: not this webhook's to judge.
    applied(
        soft,
        address("ipa-metal3", "IPPool", "pool-x", "c", "abc", 24, "")
            .replace("apiGroup: ipam.cluster.x-k8s.io", "apiGroup: ipam.metal3.io"));
  }

  private static String field(int index, String value) {
    return "spec.addresses[" + index + "] \"" + value + "\"";
  }

  private static Path seed() {
    return E2eSettings.repositoryRoot()
        .resolve(
            "ipam-api-incluster/src/test/resources/seeds/incluster/004-0-InClusterIPPool.yaml");
  }

  /** The seed example, applied unchanged (into the context's namespace, default). */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ipPool(String name, String spec) {
    return pool("InClusterIPPool", name, "default", spec);
  }

  private static String globalIpPool(String name, String spec) {
    return pool("GlobalInClusterIPPool", name, null, spec);
  }

  private static String prefixPool(String name, String spec) {
    return pool("InClusterPrefixPool", name, "default", spec);
  }

  private static String globalPrefixPool(String name, String spec) {
    return pool("GlobalInClusterPrefixPool", name, null, spec);
  }

  private static String pool(String kind, String name, String namespace, String spec) {
    return "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n"
        + (namespace == null ? "" : "  namespace: " + namespace + "\n")
        + "spec:\n"
        + spec.indent(2);
  }

  private static String claim(String name, String namespace, String poolKind, String pool) {
    return """
        apiVersion: ipam.cluster.x-k8s.io/v1beta2
        kind: IPAddressClaim
        metadata:
          name: %s
          namespace: %s
        spec:
          poolRef:
            apiGroup: ipam.cluster.x-k8s.io
            kind: %s
            name: %s
        """
        .formatted(name, namespace, poolKind, pool);
  }

  private static String address(
      String name,
      String poolKind,
      String pool,
      String claim,
      String ip,
      int prefix,
      String gateway) {
    return """
        apiVersion: ipam.cluster.x-k8s.io/v1beta2
        kind: IPAddress
        metadata:
          name: %s
          namespace: default
        spec:
          address: "%s"
          prefix: %d
          claimRef:
            name: %s
          poolRef:
            apiGroup: ipam.cluster.x-k8s.io
            kind: %s
            name: %s
        %s"""
        .formatted(
            name,
            ip,
            prefix,
            claim,
            poolKind,
            pool,
            gateway.isEmpty() ? "" : "  gateway: \"" + gateway + "\"\n");
  }

  private JsonNode get(String resource, String name, String namespace) {
    List<String> args =
        namespace == null
            ? List.of("get", resource, name, "-o", "json")
            : List.of("get", resource, name, "-n", namespace, "-o", "json");
    try {
      // kubectl's output carries the API server's warnings too (v1alpha1 is deprecated).
      String output = kubectl.run(args.toArray(String[]::new));
      return JSON.readTree(output.substring(Math.max(0, output.indexOf('{'))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String conversionData(JsonNode object) {
    return object
        .path("metadata")
        .path("annotations")
        .path("cluster.x-k8s.io/conversion-data")
        .asText("");
  }

  private Kubectl.Result apply(String yaml) {
    Path file = dir.resolve("object-" + System.nanoTime() + ".yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kubectl.attempt("apply", "-f", file.toString());
  }

  private void refused(SoftAssertions soft, String yaml, String... fragments) {
    refusals++;
    Kubectl.Result result = apply(yaml);
    if (webhooksOff) {
      if (result.exitCode() != 0) {
        // The CRD's schema refuses it before any webhook: the same answer, webhooks on or off.
        soft.assertThat(result.output()).as("schema refusal of:\n%s", yaml).contains("spec.");
        return;
      }
      if (!created.add(key(yaml))) {
        // An update the webhook alone refuses (an immutable field): the controller cannot tell
        // the old value from the new, and serves the new one without handing out anything twice
        // (docs/compat/incluster.md row 37).
        updatesAdmitted++;
        return;
      }
      judged.add(
          new Judged(
              line(yaml, "kind: "),
              line(yaml, "  namespace: "),
              line(yaml, "  name: "),
              fragments));
      return;
    }
    soft.assertThat(result.exitCode()).as("refused:\n%s", yaml).isNotZero();
    soft.assertThat(result.output()).as("message for:\n%s", yaml).contains(fragments);
  }

  /** The value of the first line of {@code yaml} that starts with {@code key}; null if none. */
  private static String line(String yaml, String key) {
    return yaml.lines()
        .filter(l -> l.startsWith(key))
        .map(l -> l.substring(key.length()).trim())
        .findFirst()
        .orElse(null);
  }

  private static String key(String yaml) {
    return line(yaml, "kind: ") + "/" + line(yaml, "  namespace: ") + "/" + line(yaml, "  name: ");
  }

  private void applied(SoftAssertions soft, String yaml) {
    created.add(key(yaml));
    Kubectl.Result result = apply(yaml);
    soft.assertThat(result.exitCode()).as("admitted: %s\n%s", result.output(), yaml).isZero();
  }

  private void refusedCommand(SoftAssertions soft, List<String> args, String... fragments) {
    refusals++;
    Kubectl.Result result = kubectl.attempt(args.toArray(String[]::new));
    soft.assertThat(result.exitCode()).as("refused: kubectl %s", args).isNotZero();
    soft.assertThat(result.output()).as("message for kubectl %s", args).contains(fragments);
  }

  private void admittedCommand(SoftAssertions soft, List<String> args) {
    Kubectl.Result result = kubectl.attempt(args.toArray(String[]::new));
    soft.assertThat(result.exitCode())
        .as("admitted: kubectl %s: %s", args, result.output())
        .isZero();
  }
}
