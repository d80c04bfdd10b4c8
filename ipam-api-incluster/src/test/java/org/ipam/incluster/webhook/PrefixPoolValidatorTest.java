package org.ipam.incluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.incluster.webhook.Pools.annotated;
import static org.ipam.incluster.webhook.Pools.globalPrefixPool;
import static org.ipam.incluster.webhook.Pools.prefixPool;

import java.util.List;
import org.ipam.core.webhook.AdmissionValidator.Verdict;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The InClusterPrefixPool and GlobalInClusterPrefixPool webhook against upstream's rules
 * (reference/incluster.md 3.2), IPv4 pools admitted (docs/compat/incluster.md). Invalid pools tried
 * on CREATE (19): no spec; no prefixes; an empty prefix list; an entry that is no CIDR; a /129; a
 * CIDR with a zone; an entry not network-aligned; an entry longer than the default allocation
 * length; an IPv4 pool with the default length 64; an IPv4 pool with length 40; a misaligned IPv4
 * entry; prefixes of two families; an allocation length of -1; of 129; a gateway that is no
 * address; an IPv4 gateway in an IPv6 pool; an excluded entry that is no address; an IPv4 exclusion
 * in an IPv6 pool; a reversed excluded range. Invalid updates (4): the allocation length changed
 * from unset (64) to 60, prefixes shrunk under a prefix in use, exclusions over prefixes in use, a
 * shrink while the prefixes in use are not known. Invalid deletes (1): a pool in use.
 */
class PrefixPoolValidatorTest {
  private final PrefixPoolValidator<InClusterPrefixPool> validator =
      PrefixPoolValidator.namespaced(InUseAddresses.none());
  private final PrefixPoolValidator<GlobalInClusterPrefixPool> globalValidator =
      PrefixPoolValidator.global(InUseAddresses.none());

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no prefixes | gateway: \"fd00::1\" | spec.prefixes is required",
        "an empty prefix list | 'prefixes: []' | spec.prefixes is required",
        "an entry that is no CIDR | 'prefixes: [\"fd00::\"]' | spec.prefixes[0] \"fd00::\" is not a CIDR: expected address/prefix",
        "a /129 | 'prefixes: [\"fd00::/129\"]' | spec.prefixes[0] \"fd00::/129\" is not a CIDR: the prefix length must be 0..128",
        "a CIDR with a zone | 'prefixes: [\"fe80::%eth0/64\"]' | spec.prefixes[0] \"fe80::%eth0/64\" is not a CIDR",
        "an entry not network-aligned | 'prefixes: [\"fd00::1/56\"]' | spec.prefixes[0] \"fd00::1/56\" is not network-aligned: its network is fd00::/56",
        "an entry longer than the default length | 'prefixes: [\"fd00::/72\"]' | spec.prefixes[0] \"fd00::/72\" is longer than spec.allocationPrefixLength 64: a CIDR must hold at least one child prefix",
        "an IPv4 pool with the default length | 'prefixes: [10.0.0.0/24]' | spec.allocationPrefixLength \"64\" is longer than 32, the length of an IPv4 address (64 is the default, for IPv6: an IPv4 pool sets its own)",
        "an IPv4 pool with length 40 | 'prefixes: [10.0.0.0/24]\\nallocationPrefixLength: 40' | spec.allocationPrefixLength \"40\" is longer than 32, the length of an IPv4 address",
        "a misaligned IPv4 entry | 'prefixes: [10.0.0.1/24]\\nallocationPrefixLength: 28' | spec.prefixes[0] \"10.0.0.1/24\" is not network-aligned: its network is 10.0.0.0/24",
        "prefixes of two families | 'prefixes: [\"fd00::/56\", 10.0.0.0/24]' | spec.prefixes[1] \"10.0.0.0/24\" is IPv4 but spec.prefixes[0] \"fd00::/56\" is IPv6: one pool holds one IP family",
        "an allocation length of -1 | 'prefixes: [\"fd00::/56\"]\\nallocationPrefixLength: -1' | spec.allocationPrefixLength \"-1\" must be between 1 and 128",
        "an allocation length of 129 | 'prefixes: [\"fd00::/56\"]\\nallocationPrefixLength: 129' | spec.allocationPrefixLength \"129\" must be between 1 and 128",
        "a gateway that is no address | 'prefixes: [\"fd00::/56\"]\\ngateway: \"fd00::g\"' | spec.gateway \"fd00::g\" is not an IP address",
        "an IPv4 gateway in an IPv6 pool | 'prefixes: [\"fd00::/56\"]\\ngateway: 10.0.0.1' | spec.gateway \"10.0.0.1\" is IPv4 but the prefixes are IPv6",
        "an exclusion that is no address | 'prefixes: [\"fd00::/56\"]\\nexcludedPrefixes: [\"fd00::/56x\"]' | spec.excludedPrefixes[0] \"fd00::/56x\" is not a CIDR",
        "an IPv4 exclusion in an IPv6 pool | 'prefixes: [\"fd00::/56\"]\\nexcludedPrefixes: [10.0.0.1]' | spec.excludedPrefixes[0] \"10.0.0.1\" is IPv4 but the prefixes are IPv6",
        "a reversed excluded range | 'prefixes: [\"fd00::/56\"]\\nexcludedPrefixes: [\"fd00::9-fd00::1\"]' | spec.excludedPrefixes[0] \"fd00::9-fd00::1\" is not a range: it ends before it starts",
      })
  void refusedOnCreate(String name, String spec, String refusal) {
    Verdict verdict = validator.review(prefixPool(spec), null);
    assertThat(verdict.refusals())
        .anySatisfy(r -> assertThat(r).startsWith("InClusterPrefixPool ns/p: ").contains(refusal));
    Verdict global = globalValidator.review(globalPrefixPool(spec), null);
    assertThat(global.refusals())
        .anySatisfy(
            r -> assertThat(r).startsWith("GlobalInClusterPrefixPool p: ").contains(refusal));
  }

  @Test
  void aPoolWithoutSpecIsRefused() {
    assertThat(validator.review(prefixPool(null), null).refusals())
        .containsExactly("InClusterPrefixPool ns/p: spec is required");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "IPv6 /56 with the default /64 | 'prefixes: [\"fd00::/56\"]\\ngateway: \"fd00::1\"'",
        "the default written as 64 | 'prefixes: [\"fd00::/56\", \"fd00:0:0:100::/56\"]\\nallocationPrefixLength: 64'",
        "IPv4 /24 in /28s (upstream: IPv6 only) | 'prefixes: [10.0.0.0/24]\\nallocationPrefixLength: 28\\ngateway: 10.0.0.1'",
        "a prefix as long as the allocation | 'prefixes: [\"fd00::/64\"]'",
        "exclusions of every form | 'prefixes: [\"fd00::/48\"]\\nexcludedPrefixes: [\"fd00::1\", \"fd00:0:0:5::-fd00:0:0:6::\", \"fd00:0:0:10::/60\"]'",
        "an IPv4 gateway with IPv4 exclusions | 'prefixes: [10.0.0.0/16]\\nallocationPrefixLength: 24\\nexcludedPrefixes: [10.0.0.0/24]'",
      })
  void admittedWithoutWarnings(String name, String spec) {
    assertThat(validator.review(prefixPool(spec), null))
        .isEqualTo(new Verdict(List.of(), List.of()));
    assertThat(globalValidator.review(globalPrefixPool(spec), null).refusals()).isEmpty();
  }

  @Test
  void aHostLengthIsAdmittedWithUpstreamsWarnings() {
    Verdict verdict =
        validator.review(
            prefixPool(
                "prefixes: [\"fd00::/120\"]\\nallocationPrefixLength: 128\\ngateway: \"fd00::1\""),
            null);
    assertThat(verdict.refusals()).isEmpty();
    assertThat(verdict.warnings())
        .containsExactly(
            "InClusterPrefixPool ns/p: spec.allocationPrefixLength=128 behaves like host-address"
                + " allocation; consider InClusterIPPool for single-address semantics",
            "InClusterPrefixPool ns/p: spec.gateway \"fd00::1\" is within spec.prefixes and is not"
                + " reserved; with /128 allocationPrefixLength it may also be allocated to claims");
    Verdict ipv4 =
        globalValidator.review(
            globalPrefixPool("prefixes: [10.0.0.0/28]\\nallocationPrefixLength: 32"), null);
    assertThat(ipv4.warnings())
        .containsExactly(
            "GlobalInClusterPrefixPool p: spec.allocationPrefixLength=32 behaves like host-address"
                + " allocation; consider GlobalInClusterIPPool for single-address semantics");
  }

  // Updates.

  private static final String POOL = "prefixes: [\"fd00::/56\"]";

  @Test
  void theEffectiveAllocationLengthIsImmutable() {
    assertThat(
            validator
                .review(prefixPool(POOL + "\\nallocationPrefixLength: 60"), prefixPool(POOL))
                .refusals())
        .containsExactly(
            "InClusterPrefixPool ns/p: spec.allocationPrefixLength \"60\" cannot be modified (it was 64):"
                + " spec.allocationPrefixLength is immutable");
    assertThat(
            validator
                .review(prefixPool(POOL + "\\nallocationPrefixLength: 64"), prefixPool(POOL))
                .refusals())
        .isEmpty();
    assertThat(
            validator
                .review(prefixPool(POOL), prefixPool(POOL + "\\nallocationPrefixLength: 0"))
                .refusals())
        .isEmpty();
  }

  @Test
  void anUpdateMayNotMakeAPrefixInUseUnallocatable() {
    var inUse = Pools.FixedInUse.of("fd00:0:0:80::/64", "fd00::/64", "fd00:0:0:1::1/64");
    PrefixPoolValidator<InClusterPrefixPool> judge = PrefixPoolValidator.namespaced(inUse);
    assertThat(judge.review(prefixPool("prefixes: [\"fd00::/57\"]"), prefixPool(POOL)).refusals())
        .containsExactly(
            "InClusterPrefixPool ns/p: spec.prefixes leave out prefixes in use: fd00:0:0:80::/64"
                + " (IPAddress ns/c1) (existing allocations become non-allocatable)");
    assertThat(
            judge
                .review(
                    prefixPool(POOL + "\\nexcludedPrefixes: [\"fd00:0:0:1::ff\", \"fd00::/63\"]"),
                    prefixPool(POOL))
                .refusals())
        .containsExactly(
            "InClusterPrefixPool ns/p: spec.excludedPrefixes[0] \"fd00:0:0:1::ff\" overlaps prefixes in"
                + " use: fd00:0:0:1::/64 (IPAddress ns/c3)",
            "InClusterPrefixPool ns/p: spec.excludedPrefixes[1] \"fd00::/63\" overlaps prefixes in use:"
                + " fd00::/64 (IPAddress ns/c2)");
    assertThat(inUse.asked)
        .allMatch(ref -> ref.equals(new InUseAddresses.PoolRef("InClusterPrefixPool", "ns", "p")));
  }

  @Test
  void anUpdateMayNotLeaveOutAPrefixOnlyTheLedgerRecordsYet() {
    InClusterPrefixPool stored = prefixPool(POOL);
    stored.setStatus(new PoolStatus());
    stored
        .getStatus()
        .setAllocations(List.of(new AllocationRecord("fd00:0:0:80::/64", null, "young", "u1")));
    assertThat(
            PrefixPoolValidator.namespaced(InUseAddresses.none())
                .review(prefixPool("prefixes: [\"fd00::/57\"]"), stored)
                .refusals())
        .containsExactly(
            "InClusterPrefixPool ns/p: spec.prefixes leave out prefixes in use: fd00:0:0:80::/64"
                + " (IPAddressClaim (in the pool's status.allocations) ns/young) (existing"
                + " allocations become non-allocatable)");
  }

  @Test
  void onlyWhatTheUpdateTakesAwayIsJudged() {
    PrefixPoolValidator<InClusterPrefixPool> unknown =
        PrefixPoolValidator.namespaced(InUseAddresses.unknown());
    assertThat(unknown.review(prefixPool("prefixes: [\"fd00::/48\"]"), prefixPool(POOL)).refusals())
        .isEmpty();
    assertThat(unknown.review(prefixPool("prefixes: [\"fd00::/57\"]"), prefixPool(POOL)).refusals())
        .singleElement()
        .asString()
        .contains(
            "while the prefixes in use are not known (the IPAddresses of the pool could not be read)");
    // A prefix in use of another length (made by hand) was never allocatable: it blocks nothing.
    var odd = PrefixPoolValidator.namespaced(Pools.FixedInUse.of("fd00:0:0:80::/60"));
    assertThat(odd.review(prefixPool("prefixes: [\"fd00::/57\"]"), prefixPool(POOL)).refusals())
        .isEmpty();
  }

  @Test
  void aPoolInUseCannotBeDeletedUnlessMarkedForMove() {
    var judge = PrefixPoolValidator.global(Pools.FixedInUse.of("fd00::/64"));
    assertThat(judge.validateDelete(globalPrefixPool(POOL)))
        .singleElement()
        .asString()
        .startsWith("GlobalInClusterPrefixPool p: Pool has IPAddresses allocated.")
        .contains("In use: fd00:: (IPAddress ns/c1)");
    assertThat(
            judge.validateDelete(
                annotated(globalPrefixPool(POOL), InClusterApi.DELETE_FOR_MOVE_ANNOTATION)))
        .isEmpty();
    assertThat(
            judge.validateDelete(
                annotated(globalPrefixPool(POOL), InClusterApi.SKIP_DELETE_VALIDATION_ANNOTATION)))
        .isEmpty();
  }

  @Test
  void servesV1alpha2AtUpstreamsPaths() {
    assertThat(validator.path())
        .isEqualTo("/validate-ipam-cluster-x-k8s-io-v1alpha2-inclusterprefixpool");
    assertThat(globalValidator.path())
        .isEqualTo("/validate-ipam-cluster-x-k8s-io-v1alpha2-globalinclusterprefixpool");
    assertThat(InClusterValidators.all(InUseAddresses.none()))
        .extracting(v -> v.target().plural())
        .containsExactly(
            "inclusterippools",
            "globalinclusterippools",
            "inclusterprefixpools",
            "globalinclusterprefixpools");
  }
}
