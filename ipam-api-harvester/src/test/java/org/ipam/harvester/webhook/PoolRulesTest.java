package org.ipam.harvester.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.NetworkingIPPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, one row a case: the pool and LoadBalancer rules refuse each with a line that names the
 * object, the field and the value (reference section 4; the same lines the webhooks answer with a
 * 4xx and the pool's Ready condition shows when webhooks are off). Good input is admitted.
 */
class PoolRulesTest {
  private static final String TEN = "ranges:\n- subnet: 10.0.0.0/24\n";

  /** A loadbalancer.harvesterhci.io IPPool with this spec (YAML under {@code spec:}). */
  static IPPool pool(String name, String spec) {
    return Serialization.unmarshal(
        "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + spec.indent(2),
        IPPool.class);
  }

  static NetworkingIPPool networkingPool(String name, String spec) {
    return Serialization.unmarshal(
        "apiVersion: networking.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + spec.indent(2),
        NetworkingIPPool.class);
  }

  /** A stored pool holding these addresses ({@code ip=ns/name}). */
  static IPPool holding(String name, String spec, String... held) {
    IPPool pool = pool(name, spec);
    StringBuilder yaml = new StringBuilder("allocated:\n");
    for (String h : held) {
      String[] parts = h.split("=");
      yaml.append("  \"").append(parts[0]).append("\": ").append(parts[1]).append('\n');
    }
    pool.setStatus(
        Serialization.unmarshal(yaml.toString(), org.ipam.harvester.model.IPPoolStatus.class));
    return pool;
  }

  private static Arguments refused(String why, HarvesterIPPool pool, Object... rest) {
    return Arguments.of(why, pool, rest);
  }

  static Stream<Arguments> badPools() {
    String nsDefault = "selector:\n  scope:\n  - namespace: default\n";
    return Stream.of(
        // ---- one pool's own spec
        refused("no ranges", pool("p", "ranges: []"), "IPPool p", "spec.ranges is empty"),
        refused("no subnet", pool("p", "ranges:\n- rangeStart: 10.0.0.1"), "spec.ranges[0].subnet"),
        refused(
            "subnet not a CIDR",
            pool("p", "ranges:\n- subnet: 10.0.0.0"),
            "spec.ranges[0].subnet",
            "10.0.0.0"),
        refused(
            "prefix too long",
            pool("p", "ranges:\n- subnet: 10.0.0.0/33"),
            "spec.ranges[0].subnet",
            "10.0.0.0/33"),
        refused(
            "octet out of range",
            pool("p", "ranges:\n- subnet: 10.0.0.300/24"),
            "spec.ranges[0].subnet",
            "10.0.0.300/24"),
        refused(
            "IPv6 garbage",
            pool("p", "ranges:\n- subnet: fd00::g/64"),
            "spec.ranges[0].subnet",
            "fd00::g/64"),
        refused(
            "start not an address",
            pool("p", TEN + "  rangeStart: 10.0.0.x"),
            "spec.ranges[0].rangeStart",
            "10.0.0.x"),
        refused(
            "end not an address",
            pool("p", TEN + "  rangeEnd: ten"),
            "spec.ranges[0].rangeEnd",
            "ten"),
        refused(
            "gateway not an address",
            pool("p", TEN + "  gateway: 10.0.0.256"),
            "spec.ranges[0].gateway",
            "10.0.0.256"),
        refused(
            "start outside subnet",
            pool("p", TEN + "  rangeStart: 10.0.1.5"),
            "spec.ranges[0].rangeStart \"10.0.1.5\" is outside the subnet 10.0.0.0/24"),
        refused(
            "end outside subnet",
            pool("p", TEN + "  rangeEnd: 10.0.1.5"),
            "spec.ranges[0].rangeEnd \"10.0.1.5\" is outside"),
        refused(
            "gateway outside subnet",
            pool("p", TEN + "  gateway: 192.168.0.1"),
            "spec.ranges[0].gateway \"192.168.0.1\" is outside"),
        refused(
            "start is the network address",
            pool("p", TEN + "  rangeStart: 10.0.0.0"),
            "spec.ranges[0].rangeStart \"10.0.0.0\" is the network address"),
        refused(
            "end is the broadcast address",
            pool("p", TEN + "  rangeEnd: 10.0.0.255"),
            "spec.ranges[0].rangeEnd \"10.0.0.255\" is the broadcast address"),
        refused(
            "gateway is the broadcast address",
            pool("p", TEN + "  gateway: 10.0.0.255"),
            "spec.ranges[0].gateway \"10.0.0.255\""),
        refused(
            "family of the start",
            pool("p", TEN + "  rangeStart: \"fd00::1\""),
            "spec.ranges[0].rangeStart",
            "fd00::1"),
        refused(
            "two families",
            pool("p", TEN + "- subnet: fd00::/64"),
            "spec.ranges[1].subnet \"fd00::/64\" is IPv6"),
        refused(
            "ranges of one pool overlap",
            pool("p", TEN + "- subnet: 10.0.0.128/25"),
            "spec.ranges[1]",
            "overlaps spec.ranges[0]"),
        refused(
            "the same range twice",
            pool("p", TEN + "- subnet: 10.0.0.0/24"),
            "spec.ranges[1]",
            "overlaps spec.ranges[0]"),
        refused(
            "scope neither list nor map",
            pool("p", TEN + "selector:\n  scope: default"),
            "spec.selector.scope",
            "default"),
        refused(
            "scope entry not a map",
            pool("p", TEN + "selector:\n  scope: [default]"),
            "spec.selector.scope[0]"),
        refused(
            "scope entries overlap",
            pool("p", TEN + "selector:\n  scope:\n  - namespace: default\n  - namespace: \"*\""),
            "spec.selector.scope[1]",
            "overlaps spec.selector.scope[0]"),
        refused(
            "the same scope entry twice",
            pool("p", TEN + "selector:\n  scope:\n  - namespace: a\n  - namespace: a"),
            "spec.selector.scope[1]",
            "namespace: \"a\""),
        // ---- across pools
        refused(
            "overlaps another pool",
            pool("p", TEN),
            pool("q", "ranges:\n- subnet: 10.0.0.0/16"),
            "spec.ranges[0] \"10.0.0.1-10.0.0.254\" overlaps spec.ranges[0]",
            "of IPPool q"),
        refused(
            "overlaps another pool's second range",
            pool("p", "ranges:\n- subnet: 10.0.0.0/24\n  rangeStart: 10.0.0.100"),
            pool("q", "ranges:\n- subnet: 192.168.0.0/24\n- subnet: 10.0.0.0/25"),
            "spec.ranges[1]",
            "of IPPool q"),
        refused(
            "overlaps a pool of the other group",
            pool("p", TEN),
            networkingPool("n", TEN),
            "IPPool n (networking.harvesterhci.io)"),
        refused(
            "a name taken in the other group",
            pool("n", "ranges:\n- subnet: 10.9.0.0/24"),
            networkingPool("n", TEN),
            "metadata.name \"n\" is taken by IPPool n (networking.harvesterhci.io)"),
        refused(
            "overlaps in IPv6",
            pool("p", "ranges:\n- subnet: fd00::/64"),
            pool("q", "ranges:\n- subnet: fd00::/48"),
            "spec.ranges[0]",
            "fd00::1-fd00::ffff:ffff:ffff:ffff",
            "of IPPool q"),
        refused(
            "a single address inside another's range",
            pool("p", "ranges:\n- subnet: 10.0.0.7/32"),
            pool("q", TEN),
            "spec.ranges[0] \"10.0.0.7\" overlaps"),
        refused(
            "non-zero priority taken",
            pool("p", TEN + "selector:\n  priority: 5\n  scope:\n  - namespace: a"),
            pool(
                "q",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  priority: 5\n  scope:\n  - namespace: b"),
            "spec.selector.priority \"5\" is the priority of IPPool q"),
        refused(
            "non-zero priority taken on another network",
            pool("p", TEN + "selector:\n  priority: 2\n  network: default/vlan1"),
            pool(
                "q",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  priority: 2\n  network: default/vlan2"),
            "spec.selector.priority \"2\""),
        refused(
            "scope taken at priority 0",
            pool("p", TEN + nsDefault),
            pool("q", "ranges:\n- subnet: 10.1.0.0/24\n" + nsDefault),
            "spec.selector.scope[0]",
            "namespace: \"default\"",
            "is served by IPPool q (loadbalancer.harvesterhci.io) at priority 0 too"),
        refused(
            "scope taken at priority 0 by a wildcard",
            pool("p", TEN + nsDefault),
            pool("q", "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  scope:\n  - namespace: \"*\""),
            "is served by IPPool q (loadbalancer.harvesterhci.io) at priority 0"),
        refused(
            "scope taken at priority 0, map form",
            pool("p", TEN + "selector:\n  scope:\n    namespace: default\n    cluster: rke2"),
            pool(
                "q",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  scope:\n  - namespace: default\n    guestCluster: rke2"),
            "spec.selector.scope[0]",
            "guestCluster: \"rke2\""),
        refused(
            "second global pool",
            pool(
                "p",
                TEN
                    + "selector:\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}"),
            pool(
                "g",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  scope:\n    project: \"*\"\n    namespace: \"*\"\n    cluster: \"*\""),
            "spec.selector.scope \"*/*/*\" makes it a global pool",
            "IPPool g"),
        refused(
            "second global pool of one network",
            pool(
                "p",
                TEN
                    + "selector:\n  network: default/vlan1\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}"),
            pool(
                "g",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  network: default/vlan1\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}"),
            "global pool of network default/vlan1"),
        refused(
            "two problems, both named",
            pool("p", TEN + "selector:\n  priority: 3"),
            pool("q", "ranges:\n- subnet: 10.0.0.0/24\nselector:\n  priority: 3"),
            "overlaps spec.ranges[0]",
            "spec.selector.priority \"3\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPools")
  void refusesABadPoolNamingFieldAndValue(String why, HarvesterIPPool pool, Object[] rest) {
    List<HarvesterIPPool> others =
        Arrays.stream(rest)
            .filter(HarvesterIPPool.class::isInstance)
            .map(HarvesterIPPool.class::cast)
            .toList();
    String[] expected = Arrays.stream(rest).filter(String.class::isInstance).toArray(String[]::new);
    List<String> problems = PoolRules.check(pool, null, others);
    assertThat(problems).as(why).isNotEmpty();
    assertThat(String.join("\n", problems))
        .as(why)
        .startsWith(pool.describe() + ": ")
        .contains(expected);
  }

  static Stream<Arguments> badChanges() {
    return Stream.of(
        Arguments.of(
            "an update drops an address in use",
            pool("p", "ranges:\n- subnet: 10.0.0.0/25"),
            holding("p", TEN, "10.0.0.200=default/lb"),
            "spec.ranges no longer hold \"10.0.0.200\", the address of default/lb"),
        Arguments.of(
            "an update narrows the range under a Service's address",
            pool("p", TEN + "  rangeStart: 10.0.0.50"),
            holding("p", TEN, "10.0.0.9=Service/default/web"),
            "\"10.0.0.9\", the address of Service/default/web"),
        Arguments.of(
            "an update to another subnet",
            pool("p", "ranges:\n- subnet: 10.9.0.0/24"),
            holding("p", TEN, "10.0.0.2=a/b", "10.0.0.3=a/c"),
            "\"10.0.0.3\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badChanges")
  void refusesAnUpdateThatDropsAnAddressInUse(
      String why, IPPool pool, IPPool stored, String expected) {
    assertThat(String.join("\n", PoolRules.check(pool, stored, List.of())))
        .as(why)
        .startsWith("IPPool p (loadbalancer.harvesterhci.io): ")
        .contains(expected);
  }

  @org.junit.jupiter.api.Test
  void refusesDeletingAPoolInUseAndAdmitsAnEmptyOne() {
    assertThat(PoolRules.checkDelete(holding("p", TEN, "10.0.0.2=default/lb", "10.0.0.3=x/y")))
        .containsExactly(
            "IPPool p (loadbalancer.harvesterhci.io): cannot be deleted while it holds 2 addresses"
                + " (status.allocated \"10.0.0.2\" is default/lb's): release them first");
    assertThat(PoolRules.checkDelete(pool("p", TEN))).isEmpty();
  }

  static Stream<Arguments> goodPools() {
    return Stream.of(
        Arguments.of(
            "the seed's example 1 beside example 3 (priority 1)",
            pool(
                "p",
                "ranges:\n- subnet: 192.168.200.0/24\nselector:\n  priority: 1\n  scope:\n    namespace: default"),
            pool(
                "q",
                "ranges:\n- subnet: 192.168.100.0/24\nselector:\n  scope:\n    namespace: default")),
        Arguments.of(
            "one scope at priority 0 on two networks",
            pool("p", TEN + "selector:\n  network: a/b\n  scope:\n  - namespace: x"),
            pool(
                "q",
                "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  network: a/c\n  scope:\n  - namespace: x")),
        Arguments.of(
            "a global pool beside namespace pools",
            pool(
                "g",
                TEN
                    + "selector:\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}"),
            pool("q", "ranges:\n- subnet: 10.1.0.0/24\nselector:\n  scope:\n  - namespace: \"*\"")),
        Arguments.of(
            "adjacent ranges",
            pool("p", "ranges:\n- subnet: 10.0.0.0/25"),
            pool("q", "ranges:\n- subnet: 10.0.0.128/25")),
        Arguments.of(
            "one pool under both groups' names is itself", pool("p", TEN), pool("p", TEN)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodPools")
  void admitsAGoodPool(String why, IPPool pool, IPPool other) {
    assertThat(PoolRules.check(pool, null, List.of(other))).as(why).isEmpty();
  }

  static Stream<Arguments> badLoadBalancerUpdates() {
    return Stream.of(
        Arguments.of(
            "pool to dhcp",
            "pool",
            "dhcp",
            null,
            null,
            "spec.ipam \"dhcp\" cannot replace \"pool\""),
        Arguments.of(
            "absent (pool) to dhcp",
            null,
            "dhcp",
            null,
            null,
            "spec.ipam \"dhcp\" cannot replace \"pool\""),
        Arguments.of(
            "dhcp to pool",
            "dhcp",
            "pool",
            null,
            null,
            "spec.ipam \"pool\" cannot replace \"dhcp\""),
        Arguments.of(
            "dhcp to absent",
            "dhcp",
            null,
            null,
            null,
            "spec.ipam \"pool\" cannot replace \"dhcp\""),
        Arguments.of(
            "vm to cluster",
            "pool",
            "pool",
            "vm",
            "cluster",
            "spec.workloadType \"cluster\" cannot replace \"vm\""),
        Arguments.of(
            "absent (vm) to cluster",
            "pool",
            "pool",
            null,
            "cluster",
            "spec.workloadType \"cluster\" cannot replace \"vm\""),
        Arguments.of(
            "cluster to vm",
            "pool",
            "pool",
            "cluster",
            "vm",
            "spec.workloadType \"vm\" cannot replace \"cluster\""));
  }

  static LoadBalancer lb(String ipam, String workload) {
    LoadBalancer lb =
        Serialization.unmarshal(
            "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\n"
                + "metadata: {name: lb, namespace: default}\nspec: {}\n",
            LoadBalancer.class);
    lb.getSpec().setIpam(ipam);
    lb.getSpec().setWorkloadType(workload);
    return lb;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLoadBalancerUpdates")
  void refusesALoadBalancerUpdateThatWouldLeakItsAddress(
      String why,
      String ipamBefore,
      String ipamAfter,
      String before,
      String after,
      String expected) {
    assertThat(LoadBalancerRules.checkUpdate(lb(ipamAfter, after), lb(ipamBefore, before)))
        .singleElement()
        .asString()
        .startsWith("LoadBalancer default/lb: ")
        .contains(expected);
    assertThat(LoadBalancerRules.checkUpdate(lb(ipamBefore, before), lb(ipamBefore, before)))
        .isEmpty();
  }
}
