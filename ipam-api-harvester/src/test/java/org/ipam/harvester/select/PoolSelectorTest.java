package org.ipam.harvester.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.LoadBalancerSpec;
import org.ipam.harvester.model.LoadBalancerStatus;
import org.ipam.harvester.model.ScopeTuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The selection table: pools, a LoadBalancer's annotations (and spec.ipPool, the pool it holds an
 * address of), and the pool chosen, or the failure. One row a case, named by behaviour; reference
 * section 2 and the seed's four examples.
 */
class PoolSelectorTest {
  // ---- pools
  private static PoolCandidate pool(
      String name, String network, long priority, ScopeTuple... scope) {
    return new PoolCandidate(name, network, priority, Arrays.asList(scope), false);
  }

  private static ScopeTuple t(String project, String namespace, String cluster) {
    return new ScopeTuple(project, namespace, cluster);
  }

  private static final ScopeTuple ALL = ScopeTuple.EVERYTHING;

  /** The seed's four examples. */
  private static final PoolCandidate EX1 = pool("default-ip-pool", "", 0, t("", "default", ""));

  private static final PoolCandidate EX2 =
      pool("rke2-ip-pool", "default/vlan1", 0, t("product", "default", "rke2"));
  private static final PoolCandidate EX3 = pool("default-ip-pool-2", "", 1, t("", "default", ""));
  private static final PoolCandidate EX4 = pool("global-ip-pool", "", 0, ALL);

  // ---- LoadBalancers: annotations as "network=..,project=..,namespace=..,cluster=.."
  private static LoadBalancer lb(String namespace, String annotations) {
    LoadBalancer lb = new LoadBalancer();
    Map<String, String> a = new LinkedHashMap<>();
    if (!annotations.isEmpty()) {
      for (String pair : annotations.split(",")) {
        String[] kv = pair.split("=", 2);
        a.put(HarvesterApi.LOADBALANCER_GROUP + "/" + kv[0], kv[1]);
      }
    }
    lb.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName("lb").withAnnotations(a).build());
    lb.setSpec(new LoadBalancerSpec());
    return lb;
  }

  private static LoadBalancer named(LoadBalancer lb, String pool) {
    lb.getSpec().setIpPool(pool);
    return lb;
  }

  private static LoadBalancer holding(LoadBalancer lb, String pool) {
    LoadBalancerStatus status = new LoadBalancerStatus();
    status.setAllocatedAddress(new AllocatedAddress(pool, "10.0.0.2", "255.255.255.0", null));
    lb.setStatus(status);
    return lb;
  }

  private static LoadBalancer dhcp(LoadBalancer lb) {
    lb.getSpec().setIpam(HarvesterApi.IPAM_DHCP);
    return lb;
  }

  private static Arguments row(
      String behaviour, List<PoolCandidate> pools, LoadBalancer lb, String expected) {
    return Arguments.of(behaviour, pools, lb, expected);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row(
            "seed 1: a VM LB in default gets the namespace pool",
            List.of(EX1),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "seed 1: an LB of another namespace gets nothing",
            List.of(EX1),
            lb("other", ""),
            "no matched IPPool with requirement &{Network: Project: Namespace:other Cluster:}"),
        row(
            "seed 1: the namespace annotation wins over metadata.namespace",
            List.of(EX1),
            lb("other", "namespace=default"),
            "default-ip-pool"),
        row(
            "seed 2: the guest cluster's LB on its network gets its pool",
            List.of(EX1, EX2),
            lb("default", "network=default/vlan1,project=product,cluster=rke2"),
            "rke2-ip-pool"),
        row(
            "seed 2: network is a hard condition (no network)",
            List.of(EX2),
            lb("default", "project=product,cluster=rke2"),
            "no matched IPPool with requirement &{Network: Project:product Namespace:default Cluster:rke2}"),
        row(
            "seed 2: network is a hard condition (another network)",
            List.of(EX2),
            lb("default", "network=default/vlan2,project=product,cluster=rke2"),
            "no matched IPPool with requirement &{Network:default/vlan2 Project:product Namespace:default Cluster:rke2}"),
        row(
            "seed 2: another guest cluster does not match",
            List.of(EX2),
            lb("default", "network=default/vlan1,project=product,cluster=other"),
            "no matched IPPool with requirement &{Network:default/vlan1 Project:product Namespace:default Cluster:other}"),
        row(
            "seed 3: the higher priority wins for new LBs",
            List.of(EX1, EX3),
            lb("default", ""),
            "default-ip-pool-2"),
        row(
            "seed 3: an LB holding an address of the old pool keeps it",
            List.of(EX1, EX3),
            holding(lb("default", ""), "default-ip-pool"),
            "default-ip-pool"),
        row(
            "seed 4: the global pool is the fallback",
            List.of(EX1, EX4),
            lb("other", ""),
            "global-ip-pool"),
        row(
            "seed 4: a matching pool is chosen before the global one",
            List.of(EX1, EX4),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "seed 4: the global pool without a network serves every network",
            List.of(EX4),
            lb("x", "network=default/vlan9"),
            "global-ip-pool"),
        row(
            "a global pool of the LB's network before the one of no network",
            List.of(EX4, pool("global-vlan9", "default/vlan9", 0, ALL)),
            lb("x", "network=default/vlan9"),
            "global-vlan9"),
        row(
            "a global pool of another network does not serve",
            List.of(pool("global-vlan9", "default/vlan9", 0, ALL)),
            lb("x", ""),
            "no matched IPPool with requirement &{Network: Project: Namespace:x Cluster:}"),
        row(
            "a global pool with a high priority still comes after any match",
            List.of(EX1, pool("global-ip-pool", "", 9, ALL)),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "explicit spec.ipPool bypasses network and scope",
            List.of(EX1, EX2),
            named(lb("other", "network=default/vlan7"), "rke2-ip-pool"),
            "rke2-ip-pool"),
        row(
            "explicit spec.ipPool that does not exist",
            List.of(EX1),
            named(lb("default", ""), "missing"),
            "IPPool missing (spec.ipPool) does not exist"),
        row(
            "a wildcard namespace matches every namespace",
            List.of(pool("p", "", 0, t("*", "*", ""))),
            lb("any", ""),
            "p"),
        row(
            "a requirement of * matches any pool value",
            List.of(pool("p", "", 0, t("proj", "ns", "c"))),
            lb("x", "project=*,namespace=*,cluster=*"),
            "p"),
        row(
            "any one scope tuple matching is enough",
            List.of(pool("p", "", 0, t("", "a", ""), t("", "b", ""))),
            lb("b", ""),
            "p"),
        row(
            "a pool with an empty scope matches nothing",
            List.of(pool("p", "", 0)),
            lb("default", ""),
            "no matched IPPool with requirement &{Network: Project: Namespace:default Cluster:}"),
        row(
            "loosely: a cluster LB matches a namespace-only pool (empty project and cluster)",
            List.of(EX1),
            lb("default", "project=c-1/p-2,cluster=rke2"),
            "default-ip-pool"),
        row(
            "loosely comes before the global pool",
            List.of(EX1, EX4),
            lb("default", "project=c-1/p-2,cluster=rke2"),
            "default-ip-pool"),
        row(
            "a strict match comes before a loose one of higher priority",
            List.of(
                pool("strict", "", 0, t("p", "default", "c")),
                pool("loose", "", 5, t("", "default", ""))),
            lb("default", "project=p,cluster=c"),
            "strict"),
        row(
            "a tie of priorities goes to the first name",
            List.of(
                pool("b-pool", "", 0, t("", "default", "")),
                pool("a-pool", "", 0, t("", "default", ""))),
            lb("default", ""),
            "a-pool"),
        row(
            "an LB keeps its pool only while the pool still admits it",
            List.of(EX1, EX4),
            holding(lb("moved", ""), "default-ip-pool"),
            "global-ip-pool"),
        row(
            "a pool being deleted is chosen for nobody new",
            List.of(new PoolCandidate("going", "", 5, List.of(t("", "default", "")), true), EX1),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "a refused pool of higher priority does not capture the namespace's claims",
            List.of(pool("bad", "", 50, t("", "default", "")).refused(true), EX1),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "a refused pool with a strict match gives way to a serving loose one",
            List.of(pool("bad", "", 0, t("p", "default", "c")).refused(true), EX1),
            lb("default", "project=p,cluster=c"),
            "default-ip-pool"),
        row(
            "a refused pool gives way to the global pool",
            List.of(pool("bad", "", 5, t("", "default", "")).refused(true), EX4),
            lb("default", ""),
            "global-ip-pool"),
        row(
            "a refused pool of the same priority and an earlier name gives way",
            List.of(pool("a-bad", "", 0, t("", "default", "")).refused(true), EX1),
            lb("default", ""),
            "default-ip-pool"),
        row(
            "where only a refused pool matches it is chosen, so the claim is told why",
            List.of(pool("bad", "", 5, t("", "default", "")).refused(true), EX2),
            lb("default", ""),
            "bad"),
        row(
            "an LB keeps the refused pool whose address it holds",
            List.of(pool("bad", "", 50, t("", "default", "")).refused(true), EX1),
            holding(lb("default", ""), "bad"),
            "bad"),
        row(
            "spec.ipPool names a refused pool: that one",
            List.of(pool("bad", "", 50, t("", "default", "")).refused(true), EX1),
            named(lb("default", ""), "bad"),
            "bad"),
        row("a dhcp LB takes no pool", List.of(EX1), dhcp(lb("default", "")), "dhcp"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void choosesThePoolTheRowSays(
      String behaviour, List<PoolCandidate> pools, LoadBalancer lb, String expected) {
    Map<String, PoolCandidate> byName = new LinkedHashMap<>();
    pools.forEach(p -> byName.put(p.name(), p));
    Selection selection = PoolSelector.select(lb, byName);
    String outcome;
    if (selection instanceof Selection.Chosen chosen) {
      outcome = chosen.pool();
    } else if (selection instanceof Selection.NoPool none) {
      outcome = none.message();
    } else {
      outcome = "dhcp";
    }
    assertThat(outcome).as(behaviour).isEqualTo(expected);
  }
}
