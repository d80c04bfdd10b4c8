package org.ipam.metal3.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.ipam.core.webhook.AdmissionValidator.Verdict;
import org.ipam.metal3.model.IPPool;
import org.ipam.metal3.model.IPPoolStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The IPPool webhook against upstream's rules (reference/metal3.md 3.2): what upstream admits is
 * admitted (with a warning where it serves nothing or something surprising), what it refuses is
 * refused, and the differences of docs/compat/metal3.md are pinned. Bad inputs tried: each row.
 */
class IPPoolValidatorTest {
  private final IPPoolValidator validator = new IPPoolValidator();

  private static IPPool pool(String spec) {
    return Serialization.unmarshal(
        "apiVersion: ipam.metal3.io/v1alpha1\nkind: IPPool\nmetadata:\n  name: p\n  namespace: ns\nspec:\n"
            + spec.replace("\\n", "\n").indent(2),
        IPPool.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no pools entry at all | namePrefix: a | spec.pools has no entry",
        "an end-only entry | 'namePrefix: a\\npools: [{end: 10.0.0.9}]' | has only an end",
        "a start outside its own subnet | 'namePrefix: a\\npools: [{start: 10.0.1.5, subnet: 10.0.0.0/24}]' | is outside subnet",
        "an IPv6 pre-allocation beside an IPv4 start-only entry | 'namePrefix: a\\npools: [{start: 10.0.0.5}]\\npreAllocations: {c: \"2001:db8::1\"}' | it can never be allocated",
        "a start-only entry | 'namePrefix: a\\npools: [{start: 10.0.0.5}]' | it runs to 255.255.255.255",
        "an end beyond its subnet | 'namePrefix: a\\npools: [{start: 10.0.0.5, end: 10.0.1.9, subnet: 10.0.0.0/24}]' | is beyond subnet",
        "a gateway of the other family | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}]\\ngateway: \"2001:db8::1\"' | is IPv6 in an IPv4 pool",
        "a pre-allocation key that is no claim name | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}]\\npreAllocations: {A_B: 10.0.0.7}' | names no possible claim",
        "a start of the other family than its subnet | 'namePrefix: a\\npools: [{start: 10.0.0.1, subnet: \"2001:db8::/64\"}]' | is IPv4, outside IPv6 subnet 2001:db8::/64",
        "the subnet's network address pre-allocated | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}]\\npreAllocations: {c: 10.0.0.0}' | is the network address of subnet 10.0.0.0/24",
      })
  void upstreamAdmitsTheseAndSoDoWeWithAWarning(String name, String spec, String warning) {
    Verdict verdict = validator.review(pool(spec), null);
    assertThat(verdict.refusals()).isEmpty();
    assertThat(verdict.warnings()).anySatisfy(w -> assertThat(w).contains(warning));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an empty entry | 'namePrefix: a\\npools: [{prefix: 24}]' | must specify at least one of start, end, or subnet",
        "end before start | 'namePrefix: a\\npools: [{start: 10.0.0.9, end: 10.0.0.1}]' | is before start",
        "a bad gateway | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}]\\ngateway: 10.0.0.256' | spec.gateway \"10.0.0.256\"",
        "a duplicate pre-allocation | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}]\\npreAllocations: {a: 10.0.0.5, b: 10.0.0.5}' | is already pre-allocated to claim \"a\"",
        "a pre-allocation out of bounds | 'namePrefix: a\\npools: [{start: 10.0.0.1, end: 10.0.0.9}]\\npreAllocations: {a: 10.0.9.9}' | is out of bounds of the pools given",
        "random with a start-only entry | 'namePrefix: a\\nallocationStrategy: random\\npools: [{start: 10.0.0.5}]' | cannot be used with allocationStrategy \"random\"",
        "random with 2001:db8::/32 | 'namePrefix: a\\nallocationStrategy: random\\npools: [{subnet: \"2001:db8::/32\"}]' | are more than 2^63-1",
        "compat: a negative prefix | 'namePrefix: a\\nprefix: -1\\npools: [{subnet: 10.0.0.0/24}]' | spec.prefix \"-1\" is negative",
        "compat: an IPv4 prefix of 33 | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24, prefix: 33}]' | spec.pools[0].prefix \"33\" is longer than 32",
        "compat: a namePrefix in upper case | 'namePrefix: BadPrefix\\npools: [{subnet: 10.0.0.0/24}]' | spec.namePrefix \"BadPrefix\" cannot start an object name",
        "compat: entries of two families | 'namePrefix: a\\npools: [{subnet: 10.0.0.0/24}, {subnet: \"2001:db8::/120\"}]' | is IPv6 but the pool's first entry is IPv4",
      })
  void refused(String name, String spec, String refusal) {
    Verdict verdict = validator.review(pool(spec), null);
    assertThat(verdict.refusals())
        .anySatisfy(r -> assertThat(r).startsWith("IPPool ns/p: ").contains(refusal));
  }

  @Test
  void theSeedsRandomPoolIsRefusedForItsIpv6EntryAndAPlainOneAdmittedWithoutWarnings() {
    Verdict verdict =
        validator.review(
            pool(
                "namePrefix: a\\nallocationStrategy: random\\npools: [{start: 10.0.0.10, end:"
                    + " 10.0.0.250}, {subnet: \"2001:db8::/65\"}]"),
            null);
    // The second entry is IPv6 in an IPv4 pool: refused (one family per pool).
    assertThat(verdict.refusals())
        .singleElement()
        .asString()
        .contains("spec.pools[1] is IPv6 but the pool's first entry is IPv4");
    Verdict plain =
        validator.review(
            pool(
                "namePrefix: a\\npools: [{start: 10.0.0.10, end: 10.0.0.250, subnet:"
                    + " 10.0.0.0/24}]\\npreAllocations: {c: 10.0.0.8}"),
            null);
    assertThat(plain.refusals()).isEmpty();
    assertThat(plain.warnings()).isEmpty();
  }

  @Test
  void anUpdateMayNotChangeNamePrefixOrStrategyNorLeaveAnAddressInUseOutside() {
    IPPool old = pool("namePrefix: a\\npools: [{start: 10.0.0.1, end: 10.0.0.9}]");
    IPPoolStatus status = new IPPoolStatus();
    status.setIndexes(Map.of("c1", "10.0.0.2"));
    old.setStatus(status);
    assertThat(
            validator.validate(
                pool("namePrefix: b\\npools: [{start: 10.0.0.1, end: 10.0.0.9}]"), old))
        .singleElement()
        .asString()
        .contains("spec.namePrefix \"b\" cannot be modified");
    assertThat(
            validator.validate(
                pool(
                    "namePrefix: a\\nallocationStrategy: random\\npools: [{start: 10.0.0.1, end:"
                        + " 10.0.0.9}]"),
                old))
        .singleElement()
        .asString()
        .contains("spec.allocationStrategy \"random\" cannot be modified");
    assertThat(
            validator.validate(
                pool(
                    "namePrefix: a\\nallocationStrategy: sequential\\npools: [{start: 10.0.0.1,"
                        + " end: 10.0.0.9}]"),
                old))
        .as("an empty strategy is sequential")
        .isEmpty();
    assertThat(
            validator.validate(
                pool("namePrefix: a\\npools: [{start: 10.0.0.5, end: 10.0.0.9}]"), old))
        .singleElement()
        .asString()
        .contains("spec.pools \"10.0.0.2\" leaves out an address in use by claim \"c1\"");
    assertThat(validator.validate(pool("namePrefix: a"), old))
        .as("removing every entry while addresses are in use")
        .isNotEmpty();
  }

  /**
   * Upstream's update check: an address in use must satisfy every bound of some new entry, start
   * and end included, even inside the entry's subnet. Only the claim's own pre-allocation may lie
   * anywhere in the subnet (docs/compat/metal3.md row 8), as on create.
   */
  @Test
  void anUpdateMayNotLeaveAnAddressInUseBesideStartAndEndEvenInsideTheSubnet() {
    IPPool old =
        pool(
            "namePrefix: a\\npools: [{start: 10.0.0.1, end: 10.0.0.9, subnet: 10.0.0.0/24}]"
                + "\\npreAllocations: {pre: 10.0.0.2}");
    IPPoolStatus status = new IPPoolStatus();
    status.setIndexes(Map.of("c1", "10.0.0.1", "pre", "10.0.0.2"));
    old.setStatus(status);
    assertThat(
            validator.validate(
                pool(
                    "namePrefix: a\\npools: [{start: 10.0.0.5, end: 10.0.0.9, subnet: 10.0.0.0/24}]"
                        + "\\npreAllocations: {pre: 10.0.0.2}"),
                old))
        .singleElement()
        .asString()
        .contains("spec.pools \"10.0.0.1\" leaves out an address in use by claim \"c1\"");
    assertThat(
            validator.validate(
                pool(
                    "namePrefix: a\\npools: [{start: 10.0.0.5, end: 10.0.0.9, subnet: 10.0.0.0/24}]"
                        + "\\npreAllocations: {pre: 10.0.0.2}"),
                withIndexes(old, Map.of("pre", "10.0.0.2"))))
        .as("the claim's own pre-allocation beside start..end, inside the subnet")
        .isEmpty();
    assertThat(
            validator.validate(
                pool(
                    "namePrefix: a\\npools: [{start: 10.0.0.5, end: 10.0.0.9, subnet: 10.0.0.0/24}]"),
                withIndexes(old, Map.of("pre", "10.0.0.2"))))
        .as("the pre-allocation removed: the address in use is judged as upstream")
        .singleElement()
        .asString()
        .contains("spec.pools \"10.0.0.2\" leaves out an address in use by claim \"pre\"");
  }

  private static IPPool withIndexes(IPPool pool, Map<String, String> indexes) {
    IPPoolStatus status = new IPPoolStatus();
    status.setIndexes(indexes);
    pool.setStatus(status);
    return pool;
  }

  @Test
  void aMetadataOnlyUpdateOfAPoolStoredBeforeStricterRulesPasses() {
    IPPool stored = pool("namePrefix: a\\npools: [{start: 10.0.0.9, end: 10.0.0.1}]");
    IPPool withFinalizerRemoved = pool("namePrefix: a\\npools: [{start: 10.0.0.9, end: 10.0.0.1}]");
    withFinalizerRemoved.getMetadata().setLabels(Map.of("x", "y"));
    assertThat(validator.validate(withFinalizerRemoved, stored)).isEmpty();
  }
}
