package org.ipam.metal3.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.ipam.core.alloc.Segment;
import org.ipam.metal3.model.IPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IPPool spec to core pool (reference/metal3.md, section 2.1). Bad inputs tried (one row each):
 * malformed start, end, subnet, gateway and DNS server, end before start, start outside its subnet,
 * an end-only entry, an empty entry, mixed families in one entry and across entries, a prefix out
 * of range, a duplicate pre-allocation, a pre-allocation of the other family.
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
        "start outside subnet | pools: [{start: 10.0.1.9, subnet: 10.0.0.0/24}] | spec.pools[0].start \"10.0.1.9\" is outside subnet",
        "end only | pools: [{end: 10.0.0.9}] | spec.pools[0] has only an end",
        "empty entry | 'pools: [{prefix: 24}]' | spec.pools[0] must specify at least one of start, end, or subnet",
        "mixed in entry | pools: [{start: 10.0.0.1, end: '2001:db8::9'}] | spec.pools[0] mixes IPv4 and IPv6",
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
        "prefix out of range | prefix: 129 | spec.prefix \"129\" is outside 0..128",
        "duplicate pre-allocation | 'preAllocations: {a: 10.0.0.5, b: 10.0.0.5}' | spec.preAllocations.b \"10.0.0.5\" is already pre-allocated to claim \"a\"",
        "pre-allocation of the other family | 'preAllocations: {a: \"2001:db8::1\"}' | spec.preAllocations.a \"2001:db8::1\" is IPv6 but the pool is IPv4",
        "second entry of the other family | 'pools: [{start: 10.0.0.1, end: 10.0.0.9}, {start: \"2001:db8::1\"}]' | spec.pools[1] is IPv6 but the pool's first entry is IPv4",
      })
  void badFieldsAreReportedWhileTheValidPartServes(String name, String field, String error) {
    String pools =
        field.startsWith("pools:") ? field : "pools: [{start: 10.0.0.1, end: 10.0.0.9}]\n" + field;
    var t = Metal3PoolTranslation.of(pool("namePrefix: p\n" + pools));
    assertThat(t.usable()).isTrue();
    assertThat(t.errors()).anySatisfy(e -> assertThat(e).contains(error));
  }
}
