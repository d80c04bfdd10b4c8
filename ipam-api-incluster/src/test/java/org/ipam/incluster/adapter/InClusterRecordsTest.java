package org.ipam.incluster.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressSpec;
import org.ipam.core.capi.LocalReference;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.PoolKey;
import org.ipam.incluster.model.InClusterApi;
import org.junit.jupiter.api.Test;

/**
 * Which claims and IPAddresses are this dialect's, and what an IPAddress holds. Bad inputs tried: a
 * poolRef of another group (Metal3's), of a prefix pool kind, without a name; an IPAddress whose
 * address does not parse; one without an owner reference (made by hand).
 */
class InClusterRecordsTest {
  private static final String IP_POOL = InClusterApi.IN_CLUSTER_IP_POOL;
  private static final String GLOBAL = InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL;

  private static IPAddressClaim claim(String group, String kind, String pool) {
    IPAddressClaim claim = InClusterHarness.claim("ns", "c", kind, pool);
    claim.getSpec().setPoolRef(new PoolReference(group, kind, pool));
    return claim;
  }

  @Test
  void claimsNamingAnIpPoolOfThisGroupOrNoGroupAreRoutedToIt() {
    assertThat(InClusterRecords.poolOf(claim(InClusterApi.GROUP, IP_POOL, "p"), IP_POOL))
        .contains(new PoolKey("incluster", IP_POOL, "ns", "p"));
    assertThat(InClusterRecords.poolOf(claim("", IP_POOL, "p"), IP_POOL))
        .contains(new PoolKey("incluster", IP_POOL, "ns", "p"));
    assertThat(InClusterRecords.poolOf(claim(InClusterApi.GROUP, GLOBAL, "p"), GLOBAL))
        .as("a Global pool is keyed without namespace")
        .contains(new PoolKey("incluster", GLOBAL, null, "p"));
    assertThat(
            InClusterRecords.poolOf(
                claim(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_PREFIX_POOL, "p"),
                InClusterApi.IN_CLUSTER_PREFIX_POOL))
        .as("a prefix pool of the same name is another pool")
        .contains(new PoolKey("incluster", InClusterApi.IN_CLUSTER_PREFIX_POOL, "ns", "p"))
        .isNotEqualTo(InClusterRecords.poolOf(claim(InClusterApi.GROUP, IP_POOL, "p"), IP_POOL));
  }

  @Test
  void claimsOfOtherGroupsKindsOrWithoutAPoolNameAreLeftAlone() {
    assertThat(InClusterRecords.poolOf(claim("ipam.metal3.io", "IPPool", "p"), IP_POOL)).isEmpty();
    assertThat(InClusterRecords.poolOf(claim("ipam.metal3.io", IP_POOL, "p"), IP_POOL)).isEmpty();
    assertThat(InClusterRecords.poolOf(claim(InClusterApi.GROUP, GLOBAL, "p"), IP_POOL)).isEmpty();
    assertThat(
            InClusterRecords.poolOf(
                claim(InClusterApi.GROUP, InClusterApi.IN_CLUSTER_PREFIX_POOL, "p"), IP_POOL))
        .isEmpty();
    assertThat(InClusterRecords.poolOf(claim(InClusterApi.GROUP, IP_POOL, null), IP_POOL))
        .isEmpty();
  }

  private static IPAddress address(String text, String ownerUid) {
    IPAddress address = new IPAddress();
    ObjectMetaBuilder metadata = new ObjectMetaBuilder().withNamespace("ns").withName("c");
    if (ownerUid != null) {
      metadata.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion("ipam.cluster.x-k8s.io/v1beta2")
              .withKind("IPAddressClaim")
              .withName("c")
              .withUid(ownerUid)
              .build());
    }
    address.setMetadata(metadata.build());
    IPAddressSpec spec = new IPAddressSpec();
    spec.setAddress(text);
    spec.setClaimRef(new LocalReference("c"));
    spec.setPoolRef(new PoolReference(InClusterApi.GROUP, IP_POOL, "p"));
    address.setSpec(spec);
    return address;
  }

  @Test
  void anIpAddressHoldsItsAddressForTheClaimOfItsOwnerReference() {
    var holding = InClusterRecords.holding(address("10.0.0.10", "uid-1")).orElseThrow();
    assertThat(holding.addresses().first()).hasToString("10.0.0.10");
    assertThat(holding.claimUid()).isEqualTo("uid-1");
    assertThat(holding.claimName()).isEqualTo("c");
    assertThat(InClusterRecords.poolOf(address("10.0.0.10", "uid-1"), IP_POOL))
        .contains(new PoolKey("incluster", IP_POOL, "ns", "p"));
  }

  @Test
  void anIpAddressMadeByHandHasNoClaimUidAndOneThatDoesNotParseHoldsNothing() {
    assertThat(InClusterRecords.holding(address("10.0.0.10", null)).orElseThrow().claimUid())
        .isNull();
    assertThat(InClusterRecords.holding(address("10.0.0.300", "uid-1"))).isEmpty();
  }
}
