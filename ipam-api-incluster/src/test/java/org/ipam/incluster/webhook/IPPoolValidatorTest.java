package org.ipam.incluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.webhook.Pools.annotated;
import static org.ipam.incluster.webhook.Pools.globalIpPool;
import static org.ipam.incluster.webhook.Pools.ipPool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ipam.core.webhook.AdmissionReviews;
import org.ipam.core.webhook.AdmissionValidator.Verdict;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The InClusterIPPool and GlobalInClusterIPPool webhook against upstream's rules
 * (reference/incluster.md 3.1), each row for both kinds. Invalid pools tried on CREATE (35): no
 * spec; no addresses; an empty address list; no prefix; a negative prefix; an IPv4 prefix of 33; an
 * IPv6 prefix of 129; an address 10.0.0.300; a range ending before it starts; {@code a-b-c}; {@code
 * a-b-}; {@code a/b-c}; an IPv4 CIDR /33; a CIDR with a zone; an IPv4 address with a zone; an empty
 * zone; an octet with a leading zero; an inet_aton short form; an empty entry; an entry with a
 * leading space; IPv4 and IPv6 addresses; a range from IPv4 to IPv6; an IPv4-mapped IPv6 address
 * beside IPv4; a gateway 10.0.0.256; an IPv6 gateway for IPv4 addresses; a zoned IPv6 gateway for
 * IPv4 addresses; an excluded entry that is no address; an IPv6 exclusion in an IPv4 pool; excluded
 * entries of two families; a reversed excluded range; a negative grace period; addresses in two
 * /24s; an address outside the subnet of the lowest (not the first) address; a /16 CIDR in a /24
 * pool; IPv6 addresses in two /64s. Invalid updates (6): addresses shrunk, an exclusion, a gateway
 * and reserved addresses taking addresses in use, a Global pool shrunk, and a shrink while the
 * addresses in use are not known. Invalid deletes (2): a pool in use, a pool whose use is not
 * known.
 */
class IPPoolValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IPPoolValidator<InClusterIPPool> validator =
      IPPoolValidator.namespaced(InUseAddresses.none());
  private final IPPoolValidator<GlobalInClusterIPPool> globalValidator =
      IPPoolValidator.global(InUseAddresses.none());

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no addresses | prefix: 24 | spec.addresses is required",
        "an empty address list | 'addresses: []\\nprefix: 24' | spec.addresses is required",
        "no prefix | 'addresses: [10.0.0.1]' | spec.prefix is required",
        "a negative prefix | 'addresses: [10.0.0.1]\\nprefix: -1' | spec.prefix \"-1\" must not be negative",
        "an IPv4 prefix of 33 | 'addresses: [10.0.0.1]\\nprefix: 33' | spec.prefix \"33\" is longer than 32, the length of an IPv4 address",
        "an IPv6 prefix of 129 | 'addresses: [\"fd00::1\"]\\nprefix: 129' | spec.prefix \"129\" is longer than 128",
        "an address 10.0.0.300 | 'addresses: [10.0.0.300]\\nprefix: 24' | spec.addresses[0] \"10.0.0.300\" is not a valid IP, range, nor CIDR",
        "a range ending before it starts | 'addresses: [10.0.0.9-10.0.0.1]\\nprefix: 24' | spec.addresses[0] \"10.0.0.9-10.0.0.1\" is not a range: it ends before it starts",
        "a-b-c | 'addresses: [10.0.0.1-10.0.0.4-10.0.0.9]\\nprefix: 24' | spec.addresses[0] \"10.0.0.1-10.0.0.4-10.0.0.9\" is not a range",
        "a-b- | 'addresses: [10.0.0.1-10.0.0.4-]\\nprefix: 24' | is not a range",
        "a/b-c | 'addresses: [10.0.0.1/24-10.0.0.5]\\nprefix: 24' | spec.addresses[0] \"10.0.0.1/24-10.0.0.5\" is not a range",
        "an IPv4 CIDR /33 | 'addresses: [10.0.0.0/33]\\nprefix: 24' | is not a CIDR: the prefix length must be 0..32",
        "a CIDR with a zone | 'addresses: [\"fe80::1%eth0/64\"]\\nprefix: 64' | spec.addresses[0] \"fe80::1%eth0/64\" is not a CIDR",
        "an IPv4 address with a zone | 'addresses: [\"10.0.0.1%eth0\"]\\nprefix: 24' | only an IPv6 address may carry a zone",
        "an empty zone | 'addresses: [\"fe80::1%\"]\\nprefix: 64' | its zone is empty",
        "an octet with a leading zero | 'addresses: [010.0.0.1]\\nprefix: 24' | spec.addresses[0] \"010.0.0.1\" is not a valid IP, range, nor CIDR",
        "an inet_aton short form | 'addresses: [\"10.1\"]\\nprefix: 24' | spec.addresses[0] \"10.1\" is not a valid IP, range, nor CIDR",
        "an empty entry | 'addresses: [\"\"]\\nprefix: 24' | spec.addresses[0] \"\" is not an IP address: it is empty",
        "an entry with a leading space | 'addresses: [\" 10.0.0.1\"]\\nprefix: 24' | it contains white space",
        "IPv4 and IPv6 addresses | 'addresses: [10.0.0.1, \"fd00::1\"]\\nprefix: 24' | spec.addresses[1] \"fd00::1\" is IPv6 but spec.addresses[0] \"10.0.0.1\" is IPv4: one pool holds one IP family",
        "a range from IPv4 to IPv6 | 'addresses: [\"10.0.0.1-fd00::1\"]\\nprefix: 24' | it runs from IPv4 to IPv6",
        "an IPv4-mapped address beside IPv4 | 'addresses: [10.0.0.1, \"::ffff:10.0.0.2\"]\\nprefix: 24' | spec.addresses[1] \"::ffff:10.0.0.2\" is IPv6 but",
        "a gateway 10.0.0.256 | 'addresses: [10.0.0.1]\\nprefix: 24\\ngateway: 10.0.0.256' | spec.gateway \"10.0.0.256\" is not an IP address",
        "an IPv6 gateway for IPv4 addresses | 'addresses: [10.0.0.1]\\nprefix: 24\\ngateway: \"fd00::1\"' | spec.gateway \"fd00::1\" is IPv6 but the addresses are IPv4",
        "a zoned IPv6 gateway for IPv4 addresses | 'addresses: [10.0.0.1]\\nprefix: 24\\ngateway: \"fe80::1%eth0\"' | spec.gateway \"fe80::1%eth0\" is IPv6 but the addresses are IPv4",
        "an exclusion that is no address | 'addresses: [10.0.0.0/24]\\nprefix: 24\\nexcludedAddresses: [nope]' | spec.excludedAddresses[0] \"nope\" is not a valid IP, range, nor CIDR",
        "an IPv6 exclusion in an IPv4 pool | 'addresses: [10.0.0.0/24]\\nprefix: 24\\nexcludedAddresses: [\"fd00::1\"]' | spec.excludedAddresses[0] \"fd00::1\" is IPv6 but the addresses are IPv4",
        "exclusions of two families | 'addresses: [10.0.0.300]\\nprefix: 24\\nexcludedAddresses: [10.0.0.1, \"fd00::1\"]' | spec.excludedAddresses[1] \"fd00::1\" is IPv6 but spec.excludedAddresses[0] \"10.0.0.1\" is IPv4",
        "a reversed excluded range | 'addresses: [10.0.0.0/24]\\nprefix: 24\\nexcludedAddresses: [10.0.0.9-10.0.0.2]' | spec.excludedAddresses[0] \"10.0.0.9-10.0.0.2\" is not a range: it ends before it starts",
        "a negative grace period | 'addresses: [10.0.0.1]\\nprefix: 24\\naddressReuseGracePeriodSeconds: -1' | spec.addressReuseGracePeriodSeconds \"-1\" must not be negative",
        "addresses in two /24s | 'addresses: [10.0.0.1, 10.0.1.1]\\nprefix: 24' | spec.addresses[1] \"10.0.1.1\" is outside 10.0.0.0/24, the subnet of the lowest address 10.0.0.1 with spec.prefix 24: all addresses must belong to one subnet",
        "outside the subnet of the lowest address | 'addresses: [10.0.1.5, 10.0.0.5]\\nprefix: 24' | spec.addresses[0] \"10.0.1.5\" is outside 10.0.0.0/24",
        "a /16 CIDR in a /24 pool | 'addresses: [10.0.0.0/16]\\nprefix: 24' | spec.addresses[0] \"10.0.0.0/16\" is outside 10.0.0.0/24",
        "IPv6 addresses in two /64s | 'addresses: [\"fd00::1\", \"fd00:0:0:1::1\"]\\nprefix: 64' | spec.addresses[1] \"fd00:0:0:1::1\" is outside fd00::/64",
      })
  void refusedOnCreate(String name, String spec, String refusal) {
    Verdict verdict = validator.review(ipPool(spec), null);
    assertThat(verdict.refusals())
        .anySatisfy(r -> assertThat(r).startsWith("InClusterIPPool ns/p: ").contains(refusal));
    assertThat(verdict.refusals())
        .allSatisfy(r -> assertThat(r).startsWith("InClusterIPPool ns/p: spec"));
    Verdict global = globalValidator.review(globalIpPool(spec), null);
    assertThat(global.refusals())
        .anySatisfy(r -> assertThat(r).startsWith("GlobalInClusterIPPool p: ").contains(refusal));
  }

  @Test
  void aPoolWithoutSpecIsRefused() {
    assertThat(validator.review(ipPool(null), null).refusals())
        .containsExactly("InClusterIPPool ns/p: spec is required");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(
            validator
                .review(
                    ipPool(
                        "addresses: [10.0.0.1, 10.0.1.1, bad]\\nprefix: 24\\ngateway: \"fd00::1\"\\naddressReuseGracePeriodSeconds: -5"),
                    null)
                .refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.addresses[2] \"bad\" is not a valid IP, range, nor CIDR",
            "InClusterIPPool ns/p: spec.gateway \"fd00::1\" is IPv6 but the addresses are IPv4",
            "InClusterIPPool ns/p: spec.addressReuseGracePeriodSeconds \"-5\" must not be negative");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "the seed example | 'addresses: [10.0.0.10, 10.0.0.24-10.0.0.32, 10.0.0.128/28]\\nprefix: 24\\ngateway: 10.0.0.1'",
        "prefix 0 (upstream #288) | 'addresses: [192.168.0.3-192.168.0.10]\\nprefix: 0\\ngateway: 192.168.0.1'",
        "a CIDR with host bits | 'addresses: [192.168.1.1/24]\\nprefix: 24'",
        "a gateway outside the subnet | 'addresses: [10.0.0.10]\\nprefix: 24\\ngateway: 10.9.9.9'",
        "IPv6 with a zoned gateway | 'addresses: [\"fe80::10-fe80::20\"]\\nprefix: 64\\ngateway: \"fe80::1%eth0\"'",
        "IPv4-mapped IPv6 | 'addresses: [\"::ffff:10.0.0.0/120\"]\\nprefix: 120'",
        "exclusions outside the pool | 'addresses: [10.0.0.0/24]\\nprefix: 24\\nexcludedAddresses: [10.9.0.0/16]'",
        "overlapping unordered entries | 'addresses: [10.0.0.20-10.0.0.30, 10.0.0.5, 10.0.0.6-10.0.0.25]\\nprefix: 24'",
        "a zero grace period | 'addresses: [10.0.0.1]\\nprefix: 24\\naddressReuseGracePeriodSeconds: 0'",
      })
  void admittedWithoutWarnings(String name, String spec) {
    assertThat(validator.review(ipPool(spec), null)).isEqualTo(new Verdict(List.of(), List.of()));
    assertThat(globalValidator.review(globalIpPool(spec), null).refusals()).isEmpty();
  }

  @Test
  void aPoolThatHandsOutNothingIsAdmittedWithAWarning() {
    Verdict slash32 = validator.review(ipPool("addresses: [10.0.0.5/32]\\nprefix: 32"), null);
    assertThat(slash32.refusals()).isEmpty();
    assertThat(slash32.warnings())
        .containsExactly(
            "InClusterIPPool ns/p: spec hands out no address: the network and broadcast addresses"
                + " of an IPv4 /32 subnet are reserved unless spec.allocateReservedIPAddresses is true");
    Verdict allExcluded =
        validator.review(
            ipPool(
                "addresses: [10.0.0.5-10.0.0.6]\\nprefix: 24\\nexcludedAddresses: [10.0.0.0/29]"),
            null);
    assertThat(allExcluded.warnings())
        .singleElement()
        .asString()
        .contains("every address is excluded");
    assertThat(
            validator
                .review(
                    ipPool(
                        "addresses: [10.0.0.5/32]\\nprefix: 32\\nallocateReservedIPAddresses: true"),
                    null)
                .warnings())
        .isEmpty();
  }

  // Updates.

  private static final String POOL =
      "addresses: [10.0.0.0-10.0.0.20]\\nprefix: 24\\ngateway: 10.0.0.1";

  @Test
  void anUpdateMayNotLeaveOutAnAddressInUse() {
    var inUse = Pools.FixedInUse.of("10.0.0.18", "10.0.0.5");
    Verdict verdict =
        IPPoolValidator.namespaced(inUse)
            .review(
                ipPool("addresses: [10.0.0.0-10.0.0.15]\\nprefix: 24\\ngateway: 10.0.0.1"),
                ipPool(POOL));
    assertThat(verdict.refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.addresses leave out addresses in use: 10.0.0.18 (IPAddress ns/c1)"
                + " (pool addresses do not contain allocated addresses)");
    assertThat(inUse.asked)
        .containsExactly(new InUseAddresses.PoolRef("InClusterIPPool", "ns", "p"));
  }

  /**
   * An allocation is committed to the pool's ledger before its IPAddress exists: in that moment the
   * ledger alone says the address is taken, and a shrink admitted then would strand the claim.
   */
  @Test
  void anUpdateMayNotLeaveOutAnAddressOnlyTheLedgerRecordsYet() {
    InClusterIPPool stored = ipPool(POOL);
    stored.setStatus(new PoolStatus());
    stored
        .getStatus()
        .setAllocations(
            List.of(
                new AllocationRecord("10.0.0.5", null, "c1", "u1"),
                new AllocationRecord("10.0.0.19", null, "young", "u2")));
    Verdict verdict =
        IPPoolValidator.namespaced(Pools.FixedInUse.of("10.0.0.5"))
            .review(
                ipPool("addresses: [10.0.0.0-10.0.0.15]\\nprefix: 24\\ngateway: 10.0.0.1"), stored);
    assertThat(verdict.refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.addresses leave out addresses in use: 10.0.0.19"
                + " (IPAddressClaim (in the pool's status.allocations) ns/young) (pool addresses do"
                + " not contain allocated addresses)");
    assertThat(IPPoolValidator.namespaced(InUseAddresses.none()).validateDelete(stored))
        .singleElement()
        .asString()
        .contains("10.0.0.5 (IPAddressClaim (in the pool's status.allocations) ns/c1)");
  }

  @Test
  void anUpdateMayNotExcludeAnAddressInUseNorMakeItTheGatewayNorReserveIt() {
    var inUse = Pools.FixedInUse.of("10.0.0.12", "10.0.0.13", "10.0.0.11", "10.0.0.0");
    IPPoolValidator<InClusterIPPool> judge = IPPoolValidator.namespaced(inUse);
    String before = POOL + "\\nallocateReservedIPAddresses: true";
    assertThat(
            judge
                .review(
                    ipPool(before + "\\nexcludedAddresses: [10.0.0.2, 10.0.0.12-10.0.0.13]"),
                    ipPool(before))
                .refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.excludedAddresses[1] \"10.0.0.12-10.0.0.13\" excludes addresses in use:"
                + " 10.0.0.12 (IPAddress ns/c1), 10.0.0.13 (IPAddress ns/c2)");
    assertThat(
            judge
                .review(
                    ipPool(
                        "addresses: [10.0.0.0-10.0.0.20]\\nprefix: 24\\ngateway: 10.0.0.11\\nallocateReservedIPAddresses: true"),
                    ipPool(before))
                .refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.gateway \"10.0.0.11\" is in use: 10.0.0.11 (IPAddress ns/c3)");
    assertThat(judge.review(ipPool(POOL), ipPool(before)).refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec.allocateReservedIPAddresses \"false\" reserves addresses in use:"
                + " 10.0.0.0 (IPAddress ns/c4) (the network and broadcast addresses of 10.0.0.0/24)");
  }

  @Test
  void anAddressAlreadyOutOfRangeDoesNotBlockOtherChanges() {
    // 10.0.0.50 was left outside with webhooks off; upstream refuses every later update.
    var inUse = Pools.FixedInUse.of("10.0.0.50", "10.0.0.3");
    Verdict verdict =
        IPPoolValidator.namespaced(inUse)
            .review(
                ipPool("addresses: [10.0.0.0-10.0.0.20]\\nprefix: 24\\ngateway: 10.0.0.2"),
                ipPool(POOL));
    assertThat(verdict.refusals()).isEmpty();
  }

  @Test
  void anUpdateThatTakesNothingAwayNeedsNoLookup() {
    IPPoolValidator<InClusterIPPool> judge = IPPoolValidator.namespaced(InUseAddresses.unknown());
    assertThat(
            judge
                .review(
                    ipPool("addresses: [10.0.0.0-10.0.0.40]\\nprefix: 24\\ngateway: 10.0.0.1"),
                    ipPool(POOL))
                .refusals())
        .isEmpty();
    assertThat(
            judge
                .review(ipPool("addresses: [10.0.0.0-10.0.0.10]\\nprefix: 24"), ipPool(POOL))
                .refusals())
        .containsExactly(
            "InClusterIPPool ns/p: spec takes addresses out of the pool ([10.0.0.11-10.0.0.20]) while the"
                + " addresses in use are not known (the IPAddresses of the pool could not be read); try"
                + " again in a moment");
  }

  @Test
  void anUpdateOfMetadataOnlyOrOfADeletingPoolIsAdmittedWhateverTheSpec() {
    IPPoolValidator<InClusterIPPool> judge = IPPoolValidator.namespaced(InUseAddresses.unknown());
    String invalid = "addresses: [10.0.0.300]\\nprefix: 24";
    InClusterIPPool labelled = ipPool(invalid);
    labelled.getMetadata().setLabels(java.util.Map.of("a", "b"));
    assertThat(judge.review(labelled, ipPool(invalid)).refusals()).isEmpty();
    InClusterIPPool deleting = ipPool("addresses: [10.0.0.1]\\nprefix: 24");
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(judge.review(deleting, ipPool(POOL)).refusals()).isEmpty();
  }

  @Test
  void aGlobalPoolAsksForTheAddressesOfEveryNamespace() {
    var inUse = Pools.FixedInUse.of("10.0.0.18");
    Verdict verdict =
        IPPoolValidator.global(inUse)
            .review(
                globalIpPool("addresses: [10.0.0.0-10.0.0.15]\\nprefix: 24"), globalIpPool(POOL));
    assertThat(verdict.refusals())
        .singleElement()
        .asString()
        .startsWith("GlobalInClusterIPPool p: spec.addresses");
    assertThat(inUse.asked)
        .containsExactly(new InUseAddresses.PoolRef("GlobalInClusterIPPool", null, "p"));
  }

  // Deletes.

  @Test
  void aPoolInUseCannotBeDeleted() {
    var judge = IPPoolValidator.namespaced(Pools.FixedInUse.of("10.0.0.5", "10.0.0.6"));
    assertThat(judge.validateDelete(ipPool(POOL)))
        .containsExactly(
            "InClusterIPPool ns/p: Pool has IPAddresses allocated. Cannot delete Pool until all IPAddresses"
                + " have been removed. In use: 10.0.0.5 (IPAddress ns/c1), 10.0.0.6 (IPAddress ns/c2). To"
                + " delete it all the same (clusterctl move does), annotate it"
                + " ipam.cluster.x-k8s.io/skip-validate-delete-webhook");
    assertThat(
            judge.validateDelete(
                annotated(ipPool(POOL), InClusterApi.SKIP_DELETE_VALIDATION_ANNOTATION)))
        .isEmpty();
    assertThat(
            judge.validateDelete(annotated(ipPool(POOL), InClusterApi.DELETE_FOR_MOVE_ANNOTATION)))
        .isEmpty();
    assertThat(IPPoolValidator.namespaced(InUseAddresses.none()).validateDelete(ipPool(POOL)))
        .isEmpty();
    assertThat(IPPoolValidator.global(InUseAddresses.unknown()).validateDelete(globalIpPool(POOL)))
        .containsExactly(
            "GlobalInClusterIPPool p: cannot be deleted yet: the IPAddresses that name it could not be"
                + " read, so whether the pool is in use is not known; try again in a moment");
    assertThat(judge.operations()).containsExactly("CREATE", "UPDATE", "DELETE");
  }

  @Test
  void aDeleteReviewIsAnsweredThroughAdmissionReviews() throws Exception {
    String pool = JSON.writeValueAsString(ipPool(POOL));
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"d\","
            + "\"operation\":\"DELETE\",\"object\":null,\"oldObject\":"
            + pool
            + "}}";
    JsonNode response =
        JSON.readTree(
                AdmissionReviews.answer(
                    IPPoolValidator.namespaced(Pools.FixedInUse.of("10.0.0.5")),
                    review.getBytes(StandardCharsets.UTF_8)))
            .path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("Pool has IPAddresses allocated");
  }

  @Test
  void servesV1alpha2AtUpstreamsPaths() {
    assertThat(validator.target())
        .isEqualTo(
            new org.ipam.core.webhook.AdmissionValidator.Target(
                "ipam.cluster.x-k8s.io", "v1alpha2", "inclusterippools", "InClusterIPPool"));
    assertThat(validator.path())
        .isEqualTo("/validate-ipam-cluster-x-k8s-io-v1alpha2-inclusterippool");
    assertThat(globalValidator.path())
        .isEqualTo("/validate-ipam-cluster-x-k8s-io-v1alpha2-globalinclusterippool");
    assertThat(globalValidator.target().plural()).isEqualTo("globalinclusterippools");
  }
}
