package org.ipam.incluster.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.ipam.incluster.model.IPAddressCounts;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha1.GlobalInClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolSpecV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.junit.jupiter.api.Test;

/**
 * v1alpha1 and v1alpha2 of the IP pools, with upstream's conversion vectors (conv-001..004 up,
 * conv-005 down, conv-006..008 round trips, from {@code api/v1alpha1/conversion_test.go}), each for
 * both kinds, and the differences of docs/compat/incluster.md.
 */
class IPPoolConversionTest {
  static InClusterIPPoolSpecV1alpha1 v1(
      String gateway,
      String subnet,
      String start,
      String end,
      Integer prefix,
      String... addresses) {
    InClusterIPPoolSpecV1alpha1 spec = new InClusterIPPoolSpecV1alpha1();
    spec.setGateway(gateway);
    spec.setSubnet(subnet);
    spec.setStart(start);
    spec.setEnd(end);
    spec.setPrefix(prefix);
    spec.setAddresses(addresses.length == 0 ? null : List.of(addresses));
    return spec;
  }

  static InClusterIPPoolSpec v2(String gateway, int prefix, String... addresses) {
    InClusterIPPoolSpec spec = new InClusterIPPoolSpec();
    spec.setGateway(gateway);
    spec.setPrefix(prefix);
    spec.setAddresses(List.of(addresses));
    return spec;
  }

  static InClusterIPPoolV1alpha1 namespaced(InClusterIPPoolSpecV1alpha1 spec) {
    InClusterIPPoolV1alpha1 pool = new InClusterIPPoolV1alpha1();
    pool.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    pool.setSpec(spec);
    return pool;
  }

  static GlobalInClusterIPPoolV1alpha1 global(InClusterIPPoolSpecV1alpha1 spec) {
    GlobalInClusterIPPoolV1alpha1 pool = new GlobalInClusterIPPoolV1alpha1();
    pool.setMetadata(new ObjectMetaBuilder().withName("g").build());
    pool.setSpec(spec);
    return pool;
  }

  /** The v1alpha2 spec as JSON-like text, for comparing. */
  static String text(InClusterIPPoolSpec spec) {
    return spec.getAddresses() + " /" + spec.getPrefix() + " gw " + spec.getGateway();
  }

  static String text(InClusterIPPoolSpecV1alpha1 spec) {
    return "addresses "
        + spec.getAddresses()
        + " subnet "
        + spec.getSubnet()
        + " start "
        + spec.getStart()
        + " end "
        + spec.getEnd()
        + " /"
        + spec.getPrefix()
        + " gw "
        + spec.getGateway();
  }

  private static void assertUp(InClusterIPPoolSpecV1alpha1 in, InClusterIPPoolSpec expected) {
    assertThat(text(IPPoolConversion.toV1alpha2(namespaced(in)).getSpec()))
        .isEqualTo(text(expected));
    assertThat(text(IPPoolConversion.toV1alpha2(global(in)).getSpec())).isEqualTo(text(expected));
  }

  private static void assertRoundTrip(
      InClusterIPPoolSpecV1alpha1 in, InClusterIPPoolSpecV1alpha1 expected) {
    InClusterIPPoolV1alpha1 back =
        IPPoolConversion.toV1alpha1(IPPoolConversion.toV1alpha2(namespaced(in)));
    assertThat(text(back.getSpec())).isEqualTo(text(expected));
    GlobalInClusterIPPoolV1alpha1 globalBack =
        IPPoolConversion.toV1alpha1(IPPoolConversion.toV1alpha2(global(in)));
    assertThat(text(globalBack.getSpec())).isEqualTo(text(expected));
  }

  @Test
  void theConversionDataKeepsTheCountsButNeverTheLedger() {
    var pool = new org.ipam.incluster.model.v1alpha1.InClusterIPPoolV1alpha1();
    pool.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    pool.setSpec(v1("1.1.1.1", null, null, null, 28, "1.1.1.1-1.1.1.10"));
    PoolStatus status = new PoolStatus();
    status.setAllocations(
        List.of(new org.ipam.incluster.model.AllocationRecord("1.1.1.1", null, "c", "uid-c")));
    IPAddressCounts counts = new IPAddressCounts();
    counts.setTotal(10L);
    status.setIpAddresses(counts);
    pool.setStatus(status);

    var hub = IPPoolConversion.toV1alpha2(pool);

    String data = hub.getMetadata().getAnnotations().get(InClusterApi.CONVERSION_DATA_ANNOTATION);
    assertThat(data).contains("\"total\":10").doesNotContain("allocations").doesNotContain("uid-c");
    assertThat(hub.getStatus().getAllocations()).as("the object keeps its ledger").hasSize(1);
  }

  @Test
  void conv001ConvertsStartEndSubnetPrefix() {
    assertUp(
        v1("1.1.1.1", "1.1.1.1/28", "1.1.1.1", "1.1.1.10", 28),
        v2("1.1.1.1", 28, "1.1.1.1-1.1.1.10"));
  }

  @Test
  void conv002ConvertsAddressesOnly() {
    assertUp(
        v1("1.1.1.1", null, null, null, 28, "1.1.1.1-1.1.1.10"),
        v2("1.1.1.1", 28, "1.1.1.1-1.1.1.10"));
  }

  @Test
  void conv003DefaultsThePrefixFromTheSubnet() {
    assertUp(
        v1("1.1.1.1", "1.1.1.0/24", "1.1.1.10", "1.1.1.15", null),
        v2("1.1.1.1", 24, "1.1.1.10-1.1.1.15"));
  }

  @Test
  void conv004DefaultsStartAndEndFromTheSubnet() {
    assertUp(v1("1.1.1.1", "1.1.1.0/24", null, null, null), v2("1.1.1.1", 24, "1.1.1.1-1.1.1.254"));
  }

  @Test
  void conv005DownKeepsAddressesPrefixGateway() {
    InClusterIPPool hub = new InClusterIPPool();
    hub.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    hub.setSpec(v2("1.2.3.5", 10, "1.1.1.1-1.1.1.10"));
    assertThat(text(IPPoolConversion.toV1alpha1(hub).getSpec()))
        .isEqualTo(text(v1("1.2.3.5", null, null, null, 10, "1.1.1.1-1.1.1.10")));
    GlobalInClusterIPPool globalHub = new GlobalInClusterIPPool();
    globalHub.setMetadata(new ObjectMetaBuilder().withName("g").build());
    globalHub.setSpec(v2("1.2.3.5", 10, "1.1.1.1-1.1.1.10"));
    assertThat(text(IPPoolConversion.toV1alpha1(globalHub).getSpec()))
        .isEqualTo(text(v1("1.2.3.5", null, null, null, 10, "1.1.1.1-1.1.1.10")));
  }

  @Test
  void conv006RoundTripWithAddressesGatewayPrefix() {
    assertRoundTrip(
        v1("1.1.1.1", null, null, null, 16, "1.1.1.1-1.1.1.10"),
        v1("1.1.1.1", null, null, null, 16, "1.1.1.1-1.1.1.10"));
  }

  @Test
  void conv007RoundTripWithStartEndSubnet() {
    assertRoundTrip(
        v1("1.1.1.1", "1.1.1.1/16", "1.1.1.2", "1.1.1.10", 16),
        v1("1.1.1.1", "1.1.1.1/16", "1.1.1.2", "1.1.1.10", 16));
  }

  @Test
  void conv008RoundTripFillsTheDefaultsOfAV1alpha1Pool() {
    assertRoundTrip(
        v1("1.1.1.1", "1.1.1.1/24", null, null, null),
        v1("1.1.1.1", "1.1.1.1/24", "1.1.1.1", "1.1.1.254", 24));
  }

  @Test
  void theHubKeepsTheDefaultedV1alpha1ObjectInTheAnnotationAndTheSpokeDoesNotShowIt() {
    InClusterIPPoolV1alpha1 pool = namespaced(v1("10.0.0.1", "10.0.0.0/24", null, null, null));
    pool.getMetadata().setLabels(Map.of("l", "v"));
    pool.getMetadata().setAnnotations(Map.of("keep", "me"));
    pool.setStatus(status(254, 0));
    InClusterIPPool hub = IPPoolConversion.toV1alpha2(pool);
    assertThat(hub.getApiVersion()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha2");
    assertThat(hub.getMetadata().getLabels()).containsEntry("l", "v");
    assertThat(hub.getMetadata().getAnnotations())
        .containsEntry("keep", "me")
        .containsEntry(
            InClusterApi.CONVERSION_DATA_ANNOTATION,
            "{\"apiVersion\":\"ipam.cluster.x-k8s.io/v1alpha1\",\"kind\":\"InClusterIPPool\","
                + "\"spec\":{\"end\":\"10.0.0.254\",\"gateway\":\"10.0.0.1\",\"prefix\":24,"
                + "\"start\":\"10.0.0.1\",\"subnet\":\"10.0.0.0/24\"},"
                + "\"status\":{\"ipAddresses\":{\"free\":254,\"outOfRange\":0,\"total\":254,\"used\":0}}}");
    assertThat(hub.getStatus().getIpAddresses().getTotal()).isEqualTo(254);

    InClusterIPPoolV1alpha1 back = IPPoolConversion.toV1alpha1(hub);
    assertThat(back.getApiVersion()).isEqualTo("ipam.cluster.x-k8s.io/v1alpha1");
    assertThat(back.getKind()).isEqualTo("InClusterIPPool");
    assertThat(back.getMetadata().getAnnotations()).containsOnlyKeys("keep");
    assertThat(back.getStatus().getIpAddresses().getTotal()).isEqualTo(254);
    // The input objects are left as they were.
    assertThat(pool.getSpec().getStart()).isNull();
    assertThat(hub.getMetadata().getAnnotations())
        .containsKey(InClusterApi.CONVERSION_DATA_ANNOTATION);
  }

  @Test
  void aV1alpha2ChangeIsShownToV1alpha1ReadersOfBothKinds() {
    InClusterIPPool hub =
        IPPoolConversion.toV1alpha2(namespaced(v1("10.0.0.1", "10.0.0.0/24", null, null, null)));
    hub.getSpec().setAddresses(List.of("10.0.0.1-10.0.0.100"));
    assertThat(text(IPPoolConversion.toV1alpha1(hub).getSpec()))
        .isEqualTo(text(v1("10.0.0.1", null, null, null, 24, "10.0.0.1-10.0.0.100")));

    // Upstream gives a Global pool's v1alpha1 readers the stale spec here; this one does not.
    GlobalInClusterIPPool globalHub =
        IPPoolConversion.toV1alpha2(global(v1("10.0.0.1", "10.0.0.0/24", null, null, null)));
    globalHub.getSpec().setGateway("10.0.0.254");
    assertThat(text(IPPoolConversion.toV1alpha1(globalHub).getSpec()))
        .isEqualTo(text(v1("10.0.0.254", null, null, null, 24, "10.0.0.1-10.0.0.254")));
  }

  @Test
  void theV1alpha2OnlyFieldsAreDroppedGoingDownAsUpstream() {
    InClusterIPPool hub = new InClusterIPPool();
    hub.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").build());
    InClusterIPPoolSpec spec = v2("10.0.0.1", 24, "10.0.0.0/24");
    spec.setExcludedAddresses(List.of("10.0.0.5"));
    spec.setAllocateReservedIPAddresses(true);
    spec.setAddressReuseGracePeriodSeconds(30);
    hub.setSpec(spec);
    InClusterIPPool again = IPPoolConversion.toV1alpha2(IPPoolConversion.toV1alpha1(hub));
    assertThat(again.getSpec().getExcludedAddresses()).isNull();
    assertThat(again.getSpec().getAllocateReservedIPAddresses()).isNull();
    assertThat(again.getSpec().getAddressReuseGracePeriodSeconds()).isNull();
  }

  @Test
  void anAnnotationWrittenByUpstreamIsRestoredAndAnUnreadableOneIgnored() {
    InClusterIPPool hub = new InClusterIPPool();
    hub.setMetadata(
        new ObjectMetaBuilder()
            .withName("p")
            .withNamespace("ns")
            .withAnnotations(
                Map.of(
                    InClusterApi.CONVERSION_DATA_ANNOTATION,
                    "{\"apiVersion\":\"ipam.cluster.x-k8s.io/v1alpha1\",\"kind\":\"InClusterIPPool\","
                        + "\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"end\":\"10.0.0.20\","
                        + "\"prefix\":24,\"start\":\"10.0.0.10\",\"subnet\":\"10.0.0.0/24\"},"
                        + "\"status\":{\"ipAddresses\":{\"free\":0,\"outOfRange\":0,\"total\":0,\"used\":0}}}"))
            .build());
    hub.setSpec(v2(null, 24, "10.0.0.10-10.0.0.20"));
    assertThat(text(IPPoolConversion.toV1alpha1(hub).getSpec()))
        .isEqualTo(text(v1(null, "10.0.0.0/24", "10.0.0.10", "10.0.0.20", 24)));

    hub.getMetadata().setAnnotations(Map.of(InClusterApi.CONVERSION_DATA_ANNOTATION, "{not json"));
    InClusterIPPoolV1alpha1 down = IPPoolConversion.toV1alpha1(hub);
    assertThat(text(down.getSpec()))
        .isEqualTo(text(v1(null, null, null, null, 24, "10.0.0.10-10.0.0.20")));
    assertThat(down.getMetadata().getAnnotations()).isNull();
  }

  @Test
  void ipv6SubnetsDefaultInRfc5952Text() {
    assertUp(
        v1(null, "fd00:0:0:1::/120", null, null, null),
        v2(null, 120, "fd00:0:0:1::1-fd00:0:0:1::fe"));
    assertUp(
        v1(null, "::ffff:10.0.0.0/120", null, null, null),
        v2(null, 120, "::ffff:10.0.0.1-::ffff:10.0.0.254"));
  }

  @Test
  void aSubnetWithoutNeighboursAddsNoRange() {
    // Upstream appends Go's "invalid IP" text here: 0.0.0.1-invalid IP.
    InClusterIPPoolSpec noAddresses = new InClusterIPPoolSpec();
    noAddresses.setPrefix(32);
    assertUp(v1(null, "0.0.0.0/32", null, null, null), noAddresses);
    // /31 and /32 elsewhere give an inverted range, as upstream; the webhook then refuses it.
    assertUp(v1(null, "10.0.0.8/31", null, null, null), v2(null, 31, "10.0.0.9-10.0.0.8"));
  }

  @Test
  void aBadSubnetFailsTheConversionNamingObjectFieldAndValue() {
    assertThatThrownBy(
            () ->
                IPPoolConversion.toV1alpha2(namespaced(v1(null, "10.0.0.0/33", null, null, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "InClusterIPPool ns/p: spec.subnet \"10.0.0.0/33\" is not a CIDR: the prefix length must be 0..32");
    assertThatThrownBy(
            () -> IPPoolConversion.toV1alpha2(global(v1(null, "nope", null, null, null))))
        .hasMessageStartingWith("GlobalInClusterIPPool g: spec.subnet \"nope\" is not a CIDR");
  }

  static PoolStatus status(long total, long used) {
    PoolStatus status = new PoolStatus();
    status.setIpAddresses(new IPAddressCounts(total, used, total - used, 0));
    return status;
  }
}
