package org.ipam.incluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipam.core.capi.IPAddress;
import org.ipam.core.capi.IPAddressClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The webhooks of Cluster API IPAddressClaims and IPAddresses of in-cluster pools, as Cluster API's
 * own (reference/incluster.md 1.6, the {@code wh-capi-*} vectors). Refused: an IPAddress whose
 * address does not parse, whose prefix is longer than its family (IPv4 33, IPv6 129), whose gateway
 * does not parse, whose poolRef is not its claim's, whose claim cannot be read; an update of an
 * IPAddress's address or poolRef; an update of a claim's poolRef or clusterName. Left alone: the
 * same objects on a Metal3 pool.
 */
class CapiValidatorsTest {
  private static final String OURS =
      "{apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: p}";
  private static final String METAL3 = "{apiGroup: ipam.metal3.io, kind: IPPool, name: p}";

  private final List<String> asked = new ArrayList<>();
  private final CapiAddressValidator addresses =
      new CapiAddressValidator(
          (namespace, name) -> {
            asked.add(namespace + "/" + name);
            return name.equals("c") ? Optional.of(claim(OURS, null)) : Optional.empty();
          });
  private final CapiClaimValidator claims = new CapiClaimValidator();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an address that does not parse | abc | 24 | '' | spec.address \"abc\"",
        "an IPv4 prefix of 33 | 10.0.0.1 | 33 | '' | spec.prefix \"33\" is not a prefix length of an IPv4 address (0 to 32) such as spec.address 10.0.0.1",
        "an IPv6 prefix of 129 | fd00::1 | 129 | '' | spec.prefix \"129\" is not a prefix length of an IPv6 address (0 to 128)",
        "a gateway that does not parse | 10.0.0.1 | 24 | 10.0.0.256 | spec.gateway \"10.0.0.256\"",
      })
  void refusesAnIPAddressOfAnInClusterPoolThatIsNotAnAddress(
      String name, String address, int prefix, String gateway, String expected) {
    IPAddress ip = address(OURS, "c", address, prefix, gateway);
    assertThat(addresses.validate(ip, null))
        .singleElement()
        .asString()
        .startsWith("IPAddress ns/a: ")
        .contains(expected);
    assertThat(addresses.validate(address(METAL3, "c", address, prefix, gateway), null)).isEmpty();
  }

  @Test
  void anIPAddressComesFromItsClaimsPool() {
    assertThat(addresses.validate(address(OURS, "c", "10.0.0.1", 24, ""), null)).isEmpty();
    assertThat(
            addresses.validate(
                address(
                    "{apiGroup: ipam.cluster.x-k8s.io, kind: InClusterIPPool, name: other}",
                    "c",
                    "10.0.0.1",
                    24,
                    ""),
                null))
        .containsExactly(
            "IPAddress ns/a: spec.poolRef \"ipam.cluster.x-k8s.io/InClusterIPPool/other\" is not"
                + " the pool of IPAddressClaim ns/c (\"ipam.cluster.x-k8s.io/InClusterIPPool/p\"): an"
                + " IPAddress comes from the pool its claim names");
    // No such claim (yet): nothing to compare, as upstream.
    assertThat(addresses.validate(address(OURS, "gone", "10.0.0.1", 24, ""), null)).isEmpty();
    assertThat(asked).containsExactly("ns/c", "ns/c", "ns/gone");
  }

  @Test
  void anEmptyApiGroupIsTheDialectsOwnOnEitherSide() {
    CapiAddressValidator judge =
        new CapiAddressValidator(
            (namespace, name) ->
                Optional.of(claim("{apiGroup: '', kind: InClusterIPPool, name: p}", null)));
    assertThat(judge.validate(address(OURS, "c", "10.0.0.1", 24, ""), null)).isEmpty();
  }

  @Test
  void aClaimThatCannotBeReadRefusesTheIPAddressWithTryAgain() {
    CapiAddressValidator judge =
        new CapiAddressValidator(
            (namespace, name) -> {
              throw new IllegalStateException("no answer from the API server within 6 s");
            });
    assertThat(judge.validate(address(OURS, "c", "10.0.0.1", 24, ""), null))
        .containsExactly(
            "IPAddress ns/a: spec.claimRef.name \"c\" cannot be checked: IPAddressClaim ns/c could"
                + " not be read (no answer from the API server within 6 s); try again in a moment");
  }

  @Test
  void theSpecOfAnIPAddressIsImmutable() {
    IPAddress old = address(OURS, "c", "10.0.0.1", 24, "");
    assertThat(addresses.validate(address(OURS, "c", "10.0.0.2", 24, ""), old))
        .containsExactly(
            "IPAddress ns/a: spec.address \"10.0.0.2\" cannot be modified (it was \"10.0.0.1\"): the"
                + " spec of an IPAddress is immutable");
    assertThat(addresses.validate(address(METAL3, "c", "10.0.0.1", 24, ""), old))
        .singleElement()
        .asString()
        .contains("spec.poolRef \"ipam.metal3.io/IPPool/p\" cannot be modified");
    assertThat(addresses.validate(address(OURS, "c", "10.0.0.1", 24, ""), old)).isEmpty();
    IPAddress metal3 = address(METAL3, "c", "10.0.0.1", 24, "");
    assertThat(addresses.validate(address(METAL3, "c", "10.0.0.9", 24, ""), metal3)).isEmpty();
  }

  @Test
  void theSpecOfAClaimIsImmutable() {
    IPAddressClaim old = claim(OURS, null);
    assertThat(claims.validate(claim(OURS, null), null)).isEmpty();
    assertThat(claims.validate(claim(OURS, "c1"), old))
        .containsExactly(
            "IPAddressClaim ns/c: spec.clusterName \"c1\" cannot be modified (it was \"\"): the spec"
                + " of an IPAddressClaim is immutable");
    assertThat(claims.validate(claim(METAL3, null), old))
        .containsExactly(
            "IPAddressClaim ns/c: spec.poolRef \"ipam.metal3.io/IPPool/p\" cannot be modified (it was"
                + " \"ipam.cluster.x-k8s.io/InClusterIPPool/p\"): the spec of an IPAddressClaim is"
                + " immutable");
    assertThat(claims.validate(claim(METAL3, "x"), claim(METAL3, null))).isEmpty();
    assertThat(claims.operations()).containsExactly("CREATE", "UPDATE");
    assertThat(claims.path()).isEqualTo("/validate-ipam-cluster-x-k8s-io-v1beta2-ipaddressclaim");
    assertThat(addresses.path()).isEqualTo("/validate-ipam-cluster-x-k8s-io-v1beta2-ipaddress");
  }

  @Test
  void theControllerServesSixValidators() {
    assertThat(InClusterValidators.all(InUseAddresses.none(), ClaimLookup.none()))
        .extracting(v -> v.target().plural())
        .containsExactly(
            "inclusterippools",
            "globalinclusterippools",
            "inclusterprefixpools",
            "globalinclusterprefixpools",
            "ipaddressclaims",
            "ipaddresses");
  }

  private static IPAddress address(
      String poolRef, String claim, String address, int prefix, String gateway) {
    return Serialization.unmarshal(
        """
        apiVersion: ipam.cluster.x-k8s.io/v1beta2
        kind: IPAddress
        metadata: {name: a, namespace: ns}
        spec:
          claimRef: {name: %s}
          poolRef: %s
          address: "%s"
          prefix: %d
        %s"""
            .formatted(
                claim, poolRef, address, prefix, gateway.isEmpty() ? "" : "  gateway: " + gateway),
        IPAddress.class);
  }

  private static IPAddressClaim claim(String poolRef, String clusterName) {
    return Serialization.unmarshal(
        """
        apiVersion: ipam.cluster.x-k8s.io/v1beta2
        kind: IPAddressClaim
        metadata: {name: c, namespace: ns}
        spec:
          poolRef: %s
        %s"""
            .formatted(poolRef, clusterName == null ? "" : "  clusterName: " + clusterName),
        IPAddressClaim.class);
  }
}
