package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.ipam.core.alloc.Segment;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPPool spec to core pool (reference/metal3.md, sections 2.1 and 3.2). Bad inputs tried (one row
 * each): malformed start, end, subnet, gateway and DNS server, end before start, an empty entry,
 * mixed families in one entry and across entries, prefixes out of range (129, 33 on IPv4, -1), a
 * duplicate pre-allocation, a pre-allocation outside every entry, random entries without a size and
 * larger than 2^63-1, namePrefixes that cannot form object names (upper case, accents, 250
 * characters, an underscore); and, admitted with a warning as upstream admits them: no entry, an
 * end-only entry, a start outside its subnet, a start-only entry, an end beyond its subnet, a
 * gateway of the other family, an IPv6 pre-allocation that upstream counts in bounds of an IPv4
 * start-only entry, a pre-allocation key that is no claim name, a start of the other family than
 * its subnet, a subnet's network address pre-allocated. Also refused: an IPv6 end beside an IPv4
 * subnet.
 */
class Metal3PoolTranslationTest {

  private static IPPool pool(String spec) {
    return Serialization.unmarshal(
        "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: p\n  namespace: ns\nspec:\n"
            + spec.indent(2),
        IPPool.class);
  }

  @Test
  void rangesFollowUpstream() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\nprefix: 24\ngateway: 10.0.9.1\npools:\n"
                    + "  - {start: 10.0.0.10, end: 10.0.0.20, prefix: 25, gateway: 10.0.0.1}\n"
                    + "  - {subnet: 10.0.1.10/24}\n"
                    + "  - {start: 10.0.2.5, subnet: 10.0.2.0/24}\n"));
    assertThat(t.errors()).isEmpty();
    var segments = t.spec().segments();
    assertThat(segments)
        .extracting(s -> s.range().toString())
        .containsExactly("10.0.0.10-10.0.0.20", "10.0.1.11-10.0.1.255", "10.0.2.5-10.0.2.255");
    Segment first = segments.get(0);
    assertThat(first.prefixLength()).isEqualTo(25);
    assertThat(first.gateway().toString()).isEqualTo("10.0.0.1");
    assertThat(segments.get(1).prefixLength()).isEqualTo(24);
    assertThat(segments.get(1).gateway().toString()).isEqualTo("10.0.9.1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed start | pools: [{start: 10.0.0.300, end: 10.0.0.9}] | spec.pools[0].start \"10.0.0.300\"",
        "malformed end | pools: [{start: 10.0.0.1, end: 10.0.0.x}] | spec.pools[0].end \"10.0.0.x\"",
        "malformed subnet | pools: [{subnet: 10.0.0.0/33}] | spec.pools[0].subnet \"10.0.0.0/33\"",
        "end before start | pools: [{start: 10.0.0.9, end: 10.0.0.1}] | spec.pools[0].end \"10.0.0.1\" is before start",
        "empty entry | 'pools: [{prefix: 24}]' | spec.pools[0] must specify at least one of start, end, or subnet",
        "mixed in entry | pools: [{start: 10.0.0.1, end: '2001:db8::9'}] | spec.pools[0] mixes IPv4 and IPv6",
        "an IPv6 end beside an IPv4 subnet | pools: [{subnet: 10.0.0.0/24, end: '2001:db8::9'}] | spec.pools[0] mixes IPv4 and IPv6",
        "leading zeros | pools: [{start: 010.0.0.1}] | spec.pools[0].start \"010.0.0.1\"",
      })
  void unusableEntriesAreNamedWithFieldAndValue(String name, String pools, String error) {
    var t = Metal3PoolTranslation.of(pool("namePrefix: p\n" + pools));
    assertThat(t.usable()).isFalse();
    assertThat(t.errors())
        .anySatisfy(e -> assertThat(e).startsWith("IPPool ns/p: ").contains(error));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad gateway | gateway: 10.0.0.256 | spec.gateway \"10.0.0.256\"",
        "bad dns | dnsServers: [8.8.8] | spec.dnsServers[0] \"8.8.8\"",
        "prefix out of range | prefix: 129 | spec.prefix \"129\" is longer than 32 for IPv4",
        "IPv4 prefix 33 | prefix: 33 | spec.prefix \"33\" is longer than 32 for IPv4",
        "negative prefix | prefix: -1 | spec.prefix \"-1\" is negative",
        "pre-allocation outside every entry | 'preAllocations: {a: 10.9.9.9}' | spec.preAllocations.a \"10.9.9.9\" is out of bounds of the pools given",
        "duplicate pre-allocation | 'preAllocations: {a: 10.0.0.5, b: 10.0.0.5}' | spec.preAllocations.b \"10.0.0.5\" is already pre-allocated to claim \"a\"",
        "pre-allocation of the other family | 'preAllocations: {a: \"2001:db8::1\"}' | spec.preAllocations.a \"2001:db8::1\" is out of bounds",
        "second entry of the other family | 'pools: [{start: 10.0.0.1, end: 10.0.0.9}, {start: \"2001:db8::1\"}]' | spec.pools[1] is IPv6 but the pool's first entry is IPv4",
      })
  void badFieldsAreReportedWhileTheValidPartServes(String name, String field, String error) {
    String pools =
        field.startsWith("pools:")
            ? field
            : "pools: [{start: 10.0.0.1, end: 10.0.0.9, prefix: 24}]\n" + field;
    var t = Metal3PoolTranslation.of(pool("namePrefix: p\n" + pools));
    assertThat(t.usable()).isTrue();
    assertThat(t.errors()).anySatisfy(e -> assertThat(e).contains(error));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no entry | 'pools: []' | spec.pools has no entry",
        "end only | pools: [{end: 10.0.0.9}] | spec.pools[0] has only an end",
        "start outside subnet | pools: [{start: 10.0.1.9, subnet: 10.0.0.0/24}] | spec.pools[0].start \"10.0.1.9\" is outside subnet 10.0.0.0/24: the entry yields no address",
        "start only | pools: [{start: 10.0.0.5}] | spec.pools[0] has a start and neither end nor subnet: it runs to 255.255.255.255",
        "end beyond subnet | pools: [{start: 10.0.0.5, end: 10.0.1.9, subnet: 10.0.0.0/24}] | spec.pools[0].end \"10.0.1.9\" is beyond subnet 10.0.0.0/24: the entry stops at 10.0.0.255",
        "gateway of the other family | 'pools: [{start: 10.0.0.5, end: 10.0.0.9, gateway: \"2001:db8::1\"}]' | spec.pools[0].gateway \"2001:db8::1\" is IPv6 in an IPv4 pool",
        "IPv6 pre-allocation beside a start-only entry | 'pools: [{start: 10.0.0.5}]\npreAllocations: {a: \"2001:db8::1\"}' | spec.preAllocations.a \"2001:db8::1\" is IPv6 in an IPv4 pool: it can never be allocated",
        "key that is no claim name | 'pools: [{start: 10.0.0.5, end: 10.0.0.9}]\npreAllocations: {Bad_Name: 10.0.0.6}' | spec.preAllocations.Bad_Name names no possible claim",
        "subnet leaving no address | 'pools: [{subnet: 10.0.0.9/32}]' | spec.pools[0].subnet \"10.0.0.9/32\" yields no address",
        "start and subnet of two families | 'pools: [{start: 10.0.0.1, subnet: \"2001:db8::/64\"}]' | spec.pools[0].start \"10.0.0.1\" is IPv4, outside IPv6 subnet 2001:db8::/64: the entry yields no address",
        "network address pre-allocated | 'pools: [{subnet: 10.0.0.0/24}]\npreAllocations: {a: 10.0.0.0}' | spec.preAllocations.a \"10.0.0.0\" is the network address of subnet 10.0.0.0/24: it is never handed out",
      })
  void upstreamAdmitsTheseSoTheyAreWarningsNotErrors(String name, String pools, String warning) {
    var t = Metal3PoolTranslation.of(pool("namePrefix: p\n" + pools.replace("\\n", "\n")));
    assertThat(t.errors()).isEmpty();
    assertThat(t.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("IPPool ns/p: ").contains(warning));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "start only | pools: [{start: 10.0.0.5}] | spec.pools[0] cannot be used with allocationStrategy \"random\": its size is unbounded",
        "end only | pools: [{end: 10.0.0.9}] | spec.pools[0] cannot be used with allocationStrategy \"random\"",
        "a /32 of IPv6 | 'pools: [{subnet: \"2001:db8::/32\"}]' | are more than 2^63-1",
        "a /64 of IPv6 | 'pools: [{subnet: \"2001:db8::/64\"}]' | are more than 2^63-1",
      })
  void randomPoolsWhoseSizeUpstreamCannotComputeAreRefused(
      String name, String pools, String error) {
    var t = Metal3PoolTranslation.of(pool("namePrefix: p\nallocationStrategy: random\n" + pools));
    assertThat(t.errors()).anySatisfy(e -> assertThat(e).contains(error));
    // The refused entry hands out nothing: no address far outside what the user wrote.
    assertThat(t.spec().segments()).isEmpty();
    assertThat(t.usable()).isFalse();
  }

  @Test
  void aRandomSlash65FitsAsUpstreamSays() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\nallocationStrategy: random\npools: [{subnet: \"2001:db8::/65\"}]"));
    assertThat(t.errors()).isEmpty();
    assertThat(t.usable()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "upper case | BadPrefix | cannot start an object name",
        "accent | préfixe | cannot start an object name",
        "underscore | a_b | cannot start an object name",
        "ends with a dot | a. | cannot start an object name",
        "an empty label | a..b | cannot start an object name",
      })
  void namePrefixesThatCannotFormObjectNamesBlockThePool(String name, String prefix, String error) {
    var t =
        Metal3PoolTranslation.of(
            pool("namePrefix: " + prefix + "\npools: [{subnet: 10.0.0.0/24}]"));
    assertThat(t.errors())
        .anySatisfy(e -> assertThat(e).contains("spec.namePrefix \"" + prefix + "\" " + error));
    assertThat(t.blockingProblem()).contains("no IPAddress can be created");
  }

  @Test
  void aNamePrefixMayEndInADashAsUpstreamsOwnExampleDoes() {
    var t = Metal3PoolTranslation.of(pool("namePrefix: abc-\npools: [{subnet: 10.0.0.0/24}]"));
    assertThat(t.errors()).isEmpty();
    assertThat(t.blockingProblem()).isNull();
  }

  @Test
  void aNamePrefixMustLeaveRoomForTheLongestAddress() {
    String v4Longest = "a".repeat(237);
    assertThat(
            Metal3PoolTranslation.of(
                    pool("namePrefix: " + v4Longest + "\npools: [{subnet: 10.0.0.0/24}]"))
                .errors())
        .isEmpty();
    var tooLong =
        Metal3PoolTranslation.of(
            pool("namePrefix: " + "a".repeat(250) + "\npools: [{subnet: 10.0.0.0/24}]"));
    assertThat(tooLong.errors())
        .anySatisfy(e -> assertThat(e).contains("is 250 characters long; at most 237"));
    var v6 =
        Metal3PoolTranslation.of(
            pool("namePrefix: " + v4Longest + "\npools: [{subnet: \"2001:db8::/120\"}]"));
    assertThat(v6.errors()).anySatisfy(e -> assertThat(e).contains("at most 213"));
  }

  @Test
  void aPreAllocationThatCanNeverBeServedIsToldToItsClaim() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\npools: [{start: 10.0.0.5}]\n"
                    + "preAllocations: {six: \"2001:db8::1\", a: 10.0.0.7, b: 10.0.0.7}"));
    assertThat(t.claimProblems().get("six"))
        .isEqualTo("Pre-allocated IP out of bounds: 2001:db8::1 is IPv6 but IPPool ns/p is IPv4");
    assertThat(t.claimProblems().get("b"))
        .isEqualTo(
            "Pre-allocated IP 10.0.0.7 (spec.preAllocations.b of IPPool ns/p) is also"
                + " pre-allocated to claim \"a\"");
    assertThat(t.claimProblems()).doesNotContainKey("a");
  }

  @Test
  void aStartOfTheOtherFamilyThanItsSubnetYieldsNothingAndTheOtherEntriesServe() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\npools:\n"
                    + "  - {start: 10.0.0.1, subnet: \"2001:db8::/64\"}\n"
                    + "  - {start: 10.0.1.1, end: 10.0.1.9}\n"));
    assertThat(t.errors()).isEmpty();
    assertThat(t.spec().segments())
        .extracting(s -> s.range().toString())
        .containsExactly("10.0.1.1-10.0.1.9");
  }

  @Test
  void theNetworkAddressOfASubnetIsNoPreAllocationAsUpstreamSaysUnlessARangeHoldsIt() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\npools:\n"
                    + "  - {subnet: 10.0.0.0/24}\n"
                    + "  - {start: 10.0.1.0, end: 10.0.1.9, subnet: 10.0.1.0/24}\n"
                    + "preAllocations: {net: 10.0.0.0, first: 10.0.1.0, beside: 10.0.1.200}"));
    assertThat(t.errors()).isEmpty();
    assertThat(t.claimProblems())
        .containsOnlyKeys("net")
        .containsEntry(
            "net",
            "Pre-allocated IP out of bounds: 10.0.0.0 is the network address of subnet"
                + " 10.0.0.0/24 of IPPool ns/p, which no entry hands out");
    // A range that starts at the network address hands it out (upstream: start + 0); any other
    // address of the subnet is served beside the range (docs/compat/metal3.md row 8).
    assertThat(t.spec().preAllocations()).containsOnlyKeys("first", "beside");
  }

  @Test
  void anEntryWhoseOwnPrefixIsRefusedDoesNotFallBackToThePoolsPrefix() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\nprefix: 24\npools:\n"
                    + "  - {start: 10.0.0.1, end: 10.0.0.9, prefix: -1}\n"
                    + "  - {start: 10.0.1.1, end: 10.0.1.9, prefix: 40}\n"
                    + "  - {start: 10.0.2.1, end: 10.0.2.9}\n"));
    assertThat(t.spec().segments())
        .extracting(s -> s.range().toString())
        .containsExactly("10.0.2.1-10.0.2.9");
  }

  @Test
  void aPoolWithoutEntriesTakesAnIpv6PrefixAsUpstreamDoes() {
    assertThat(Metal3PoolTranslation.of(pool("namePrefix: p\nprefix: 64")).errors()).isEmpty();
  }

  @Test
  void aSequentialPoolsSeedIsZeroSoOnlyEntryChangesRebuildIt() {
    IPPool sequential = pool("namePrefix: p\npools: [{subnet: 10.0.0.0/24}]");
    assertThat(Metal3PoolTranslation.of(sequential).spec())
        .isEqualTo(Metal3PoolTranslation.of(sequential).spec());
  }

  @Test
  void anEntryWhosePrefixIsRefusedHandsOutNothingSoNothingInvalidIsWritten() {
    var t =
        Metal3PoolTranslation.of(
            pool(
                "namePrefix: p\nprefix: 33\npools:\n"
                    + "  - {start: 10.0.0.1, end: 10.0.0.9}\n"
                    + "  - {start: 10.0.1.1, end: 10.0.1.9, prefix: 24}\n"));
    assertThat(t.spec().segments())
        .extracting(s -> s.range().toString())
        .containsExactly("10.0.1.1-10.0.1.9");
    assertThat(t.spec().segments().get(0).prefixLength()).isEqualTo(24);
  }

  @Test
  void theRandomSeedIsFreshUnlessATestGivesOne() {
    IPPool random =
        pool("namePrefix: p\nallocationStrategy: random\npools: [{subnet: 10.0.0.0/24}]");
    assertThat(Metal3PoolTranslation.of(random, 7).spec().randomSeed()).isEqualTo(7);
    assertThat(Metal3PoolTranslation.of(random).spec().randomSeed())
        .isNotEqualTo(Metal3PoolTranslation.of(random).spec().randomSeed());
  }
}
