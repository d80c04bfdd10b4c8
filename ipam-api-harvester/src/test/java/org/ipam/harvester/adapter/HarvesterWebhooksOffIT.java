package org.ipam.harvester.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipam.harvester.adapter.HarvesterHarness.eventually;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.ipam.core.engine.Conditions;
import org.ipam.core.testing.ControlPlaneExtension;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterCondition;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.model.NetworkingIPPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With webhooks off, the webhook's rules are answered on the pool: of two pools that conflict (here
 * overlapping ranges, then one priority), the newer hands out nothing and its Ready condition names
 * the field and the value, a LoadBalancer that names it is told the same, and the older serves on.
 * Creation times have whole seconds, so two pools made within one second are ordered by name: the
 * names here ("older" before "younger") agree with the order of creation either way.
 *
 * <p>{@link #fortyBadInputsAreAnsweredOnTheObjectsTheyConcern} tries 40 bad inputs, each answered
 * on the object itself (the pool's Ready, the LoadBalancer's Ready, the Service's {@code
 * ipam.org/AddressAllocated}), or refused by the API server's schema, naming the object, the field
 * and the value:
 *
 * <ol>
 *   <li>pools, their own spec: no range; a subnet {@code /33}; a subnet {@code abc}; a range
 *       without subnet (schema); rangeStart outside the subnet; rangeEnd outside it; the broadcast
 *       address as gateway; the network address as rangeStart; the broadcast address as rangeEnd; a
 *       gateway that is no address; an IPv6 rangeStart in an IPv4 subnet; ranges of two families;
 *       two ranges that overlap; a scope that is a string; a scope entry that is a string; two
 *       scope entries that overlap; a negative priority (schema);
 *   <li>pools against older pools: ranges overlapping a pool of the same group; of the other group;
 *       a non-zero priority taken; a scope served by another pool at priority 0; a second global
 *       pool on one network;
 *   <li>LoadBalancers: {@code spec.ipPool} naming no pool; naming a pool whose spec is bad; naming
 *       a pool that conflicts with an older one; naming a full pool; {@code spec.ipam: static}
 *       (schema); {@code spec.workloadType: container} (schema);
 *   <li>Services of our class: {@code spec.loadBalancerIP} that is no address; the address
 *       annotation that is no address; the two asking for different addresses; an address outside
 *       the pool; an address another Service holds; an IPv6 address from an IPv4 pool; the pool's
 *       gateway; the network address of its subnet; {@code ipam.org/ip-pool} naming no pool; naming
 *       a pool whose spec is bad; naming a pool that conflicts with an older one; naming a full
 *       pool.
 * </ol>
 */
@ExtendWith(ControlPlaneExtension.class)
class HarvesterWebhooksOffIT {
  private static HarvesterHarness harness;

  @BeforeAll
  static void start(KubernetesClient client) {
    harness = HarvesterHarness.start(client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static IPPool pool(KubernetesClient client, String name, String spec) {
    return HarvesterHarness.createPool(client, name, spec);
  }

  private static Optional<HarvesterCondition> ready(KubernetesClient client, String pool) {
    IPPool live = client.resources(IPPool.class).withName(pool).get();
    return live.getStatus() == null || live.getStatus().getConditions() == null
        ? Optional.empty()
        : live.getStatus().getConditions().stream()
            .filter(c -> HarvesterApi.READY_CONDITION.equals(c.getType()))
            .findFirst();
  }

  private static LoadBalancer named(KubernetesClient client, String name, String pool) {
    LoadBalancer lb = HarvesterHarness.loadBalancer("off", name, Map.of());
    lb.getSpec().setIpPool(pool);
    return client.resource(lb).create();
  }

  @Test
  void theNewerOfTwoConflictingPoolsSaysWhyAndHandsOutNothing(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "off");
    pool(client, "older", "ranges:\n- subnet: 10.70.0.0/24\nselector:\n  priority: 7");
    eventually().until(() -> ready(client, "older").isPresent());
    pool(client, "younger", "ranges:\n- subnet: 10.70.0.128/25\nselector:\n  priority: 7");

    eventually()
        .until(
            () -> ready(client, "younger").map(c -> "False".equals(c.getStatus())).orElse(false));
    assertThat(ready(client, "younger").get().getMessage())
        .startsWith("IPPool younger (loadbalancer.harvesterhci.io): spec.ranges[0]")
        .contains("\"10.70.0.129-10.70.0.254\" overlaps spec.ranges[0]", "of IPPool older")
        .contains("spec.selector.priority \"7\" is the priority of IPPool older");
    assertThat(ready(client, "older").get().getStatus()).isEqualTo("True");

    LoadBalancer refused = named(client, "to-younger", "younger");
    LoadBalancer served = named(client, "to-older", "older");
    eventually().until(() -> HarvesterHarness.addressOf(client, served) != null);
    assertThat(HarvesterHarness.addressOf(client, served).getIp())
        .isEqualTo("10.70.0.2"); // .1 is the gateway
    eventually()
        .until(
            () ->
                LoadBalancerWrites.ready(HarvesterHarness.live(client, refused))
                    .map(c -> "False".equals(c.getStatus()))
                    .orElse(false));
    assertThat(LoadBalancerWrites.ready(HarvesterHarness.live(client, refused)).get().getMessage())
        .contains("spec.selector.priority \"7\"");
    assertThat(HarvesterHarness.addressOf(client, refused)).isNull();
  }

  /**
   * Refused newer pools beside a good one (the reliability campaign's bad input found the first): a
   * refused pool of higher priority over the namespace, and one that ties with it at priority 0 and
   * an earlier name, must not capture the namespace's LoadBalancers (they would stay unserved). A
   * refused pool over the good one's second range takes that range out of service for both (the
   * newer one may have handed out there before it saw the good one: compat row 44); the good pool
   * serves on from its first range, whose 5 addresses 5 LoadBalancers take.
   */
  @Test
  void refusedNewerPoolsTakeNeitherTheClaimsNorTheRangesOfTheOlderPool(KubernetesClient client) {
    HarvesterHarness.createNamespace(client, "off-keep");
    String scope = "  scope:\n  - namespace: off-keep\n";
    IPPool good =
        pool(
            client,
            "keep-good",
            "ranges:\n- subnet: 10.78.0.0/29\n- subnet: 10.78.0.8/29\nselector:\n" + scope);
    eventually()
        .until(
            () -> ready(client, "keep-good").map(c -> "True".equals(c.getStatus())).orElse(false));
    // Creation times have whole seconds, and within one the earlier name is the older pool: the
    // refused ones come in a later second, whatever their names.
    Instant created = Instant.parse(good.getMetadata().getCreationTimestamp());
    eventually().until(() -> Instant.now().isAfter(created.plusSeconds(1)));
    pool(
        client,
        "keep-bad-gateway",
        "ranges:\n- subnet: 10.78.1.0/24\n  gateway: 10.78.1.255\nselector:\n  priority: 50\n"
            + scope);
    pool(client, "keep-a-tie", "ranges:\n- subnet: 10.78.2.0/24\nselector:\n" + scope);
    pool(
        client,
        "keep-same-subnet",
        "ranges:\n- subnet: 10.78.0.8/29\nselector:\n  scope:\n  - namespace: off-other\n");
    for (String refused : List.of("keep-bad-gateway", "keep-a-tie", "keep-same-subnet")) {
      eventually()
          .alias(refused + " says it is refused")
          .until(
              () -> ready(client, refused).map(c -> "False".equals(c.getStatus())).orElse(false));
    }

    List<LoadBalancer> lbs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lbs.add(
          client
              .resource(HarvesterHarness.loadBalancer("off-keep", "keep-" + i, Map.of()))
              .create());
    }
    eventually()
        .alias("5 LoadBalancers of off-keep served")
        .until(() -> lbs.stream().allMatch(lb -> HarvesterHarness.addressOf(client, lb) != null));
    assertThat(lbs)
        .extracting(lb -> HarvesterHarness.addressOf(client, lb).getIpPool())
        .containsOnly("keep-good");
    assertThat(lbs)
        .extracting(lb -> HarvesterHarness.addressOf(client, lb).getIp())
        .containsExactlyInAnyOrder("10.78.0.2", "10.78.0.3", "10.78.0.4", "10.78.0.5", "10.78.0.6");
    assertThat(ready(client, "keep-good").get().getStatus()).isEqualTo("True");
    LoadBalancer sixth =
        client.resource(HarvesterHarness.loadBalancer("off-keep", "keep-5", Map.of())).create();
    eventually()
        .alias("the sixth LoadBalancer told the pool has no free address")
        .until(
            () ->
                LoadBalancerWrites.ready(HarvesterHarness.live(client, sixth))
                    .map(c -> "False".equals(c.getStatus()))
                    .orElse(false));
    assertThat(HarvesterHarness.addressOf(client, sixth)).as("an address of the overlap").isNull();
  }

  /** A bad input and what answers it: the message, or null while there is none yet. */
  private record Bad(String what, Supplier<String> answer, String... fragments) {}

  @Test
  void fortyBadInputsAreAnsweredOnTheObjectsTheyConcern(KubernetesClient client) {
    for (String namespace : List.of("off-base", "off-svc", "off-full", "off-lb")) {
      HarvesterHarness.createNamespace(client, namespace);
    }
    // The older pools the conflicting ones meet, a pool for Services and a pool of one address.
    pool(
        client,
        "off-base",
        "ranges:\n- subnet: 10.71.0.0/24\nselector:\n  scope:\n  - namespace: off-base");
    networkingPool(
        client,
        "off-base-n",
        "ranges:\n- subnet: 10.72.0.0/24\nselector:\n  scope:\n  - namespace: off-base-n");
    pool(
        client,
        "off-prio",
        "ranges:\n- subnet: 10.73.0.0/24\nselector:\n  priority: 17\n  scope:\n  - namespace: x");
    pool(
        client,
        "off-global",
        "ranges:\n- subnet: 10.74.0.0/24\nselector:\n  network: off-net/vlan1\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}");
    pool(
        client,
        "off-svc",
        "ranges:\n- subnet: 10.76.0.0/24\nselector:\n  scope:\n  - namespace: off-svc");
    pool(
        client,
        "off-full",
        "ranges:\n- subnet: 10.77.0.7/32\nselector:\n  scope:\n  - namespace: off-full");
    for (String older : List.of("off-base", "off-prio", "off-global", "off-svc", "off-full")) {
      eventually()
          .until(() -> ready(client, older).map(c -> "True".equals(c.getStatus())).orElse(false));
    }
    LoadBalancer filler =
        client.resource(HarvesterHarness.loadBalancer("off-full", "filler", Map.of())).create();
    eventually().until(() -> HarvesterHarness.addressOf(client, filler) != null);
    Service holder =
        client
            .resource(
                HarvesterServiceIT.service("off-svc", "holder", HarvesterApi.LOAD_BALANCER_CLASS))
            .create();
    eventually().until(() -> !ServiceWrites.ingressIps(liveService(client, holder)).isEmpty());
    String held = ServiceWrites.ingressIps(liveService(client, holder)).get(0);

    List<Bad> bad =
        List.of(
            badPool(client, "off-bad-01", "ranges: []", "spec.ranges is empty"),
            badPool(
                client,
                "off-bad-02",
                "ranges:\n- subnet: 10.75.2.0/33",
                "spec.ranges[0].subnet",
                "10.75.2.0/33"),
            badPool(client, "off-bad-03", "ranges:\n- subnet: abc", "spec.ranges[0].subnet", "abc"),
            badPool(
                client,
                "off-bad-04",
                "ranges:\n- rangeStart: 10.75.4.2",
                "spec.ranges[0].subnet",
                "Required value"),
            badPool(
                client,
                "off-bad-05",
                "ranges:\n- subnet: 10.75.5.0/24\n  rangeStart: 10.76.5.1",
                "spec.ranges[0].rangeStart",
                "10.76.5.1"),
            badPool(
                client,
                "off-bad-06",
                "ranges:\n- subnet: 10.75.6.0/24\n  rangeEnd: 10.75.7.1",
                "spec.ranges[0].rangeEnd",
                "10.75.7.1"),
            badPool(
                client,
                "off-bad-07",
                "ranges:\n- subnet: 10.75.7.0/24\n  gateway: 10.75.7.255",
                "spec.ranges[0].gateway",
                "10.75.7.255"),
            badPool(
                client,
                "off-bad-08",
                "ranges:\n- subnet: 10.75.8.0/24\n  rangeStart: 10.75.8.0",
                "spec.ranges[0].rangeStart",
                "10.75.8.0"),
            badPool(
                client,
                "off-bad-09",
                "ranges:\n- subnet: 10.75.9.0/24\n  rangeEnd: 10.75.9.255",
                "spec.ranges[0].rangeEnd",
                "10.75.9.255"),
            badPool(
                client,
                "off-bad-10",
                "ranges:\n- subnet: 10.75.10.0/24\n  gateway: 10.75.10.x",
                "spec.ranges[0].gateway",
                "10.75.10.x"),
            badPool(
                client,
                "off-bad-11",
                "ranges:\n- subnet: 10.75.11.0/24\n  rangeStart: \"fd00::1\"",
                "spec.ranges[0].rangeStart",
                "fd00::1"),
            badPool(
                client,
                "off-bad-12",
                "ranges:\n- subnet: 10.75.12.0/24\n- subnet: \"fd00:12::/64\"",
                "spec.ranges[1].subnet",
                "fd00:12::/64"),
            badPool(
                client,
                "off-bad-13",
                "ranges:\n- subnet: 10.75.13.0/24\n- subnet: 10.75.13.0/25",
                "spec.ranges[1]",
                "overlaps spec.ranges[0]"),
            badPool(
                client,
                "off-bad-14",
                "ranges:\n- subnet: 10.75.14.0/24\nselector:\n  scope: default",
                "spec.selector.scope",
                "default"),
            badPool(
                client,
                "off-bad-15",
                "ranges:\n- subnet: 10.75.15.0/24\nselector:\n  scope:\n  - default",
                "spec.selector.scope[0]",
                "default"),
            badPool(
                client,
                "off-bad-16",
                "ranges:\n- subnet: 10.75.16.0/24\nselector:\n  scope:\n  - namespace: dup\n  - namespace: dup",
                "spec.selector.scope[1]",
                "overlaps spec.selector.scope[0]"),
            badPool(
                client,
                "off-bad-17",
                "ranges:\n- subnet: 10.75.17.0/24\nselector:\n  priority: -1",
                "spec.selector.priority",
                "-1"),
            badPool(
                client,
                "off-bad-18",
                "ranges:\n- subnet: 10.71.0.0/25",
                "spec.ranges[0]",
                "of IPPool off-base"),
            badPool(
                client,
                "off-bad-19",
                "ranges:\n- subnet: 10.72.0.128/25",
                "spec.ranges[0]",
                "of IPPool off-base-n (networking.harvesterhci.io)"),
            badPool(
                client,
                "off-bad-20",
                "ranges:\n- subnet: 10.75.20.0/24\nselector:\n  priority: 17",
                "spec.selector.priority",
                "\"17\"",
                "IPPool off-prio"),
            badPool(
                client,
                "off-bad-21",
                "ranges:\n- subnet: 10.75.21.0/24\nselector:\n  scope:\n  - namespace: off-base",
                "spec.selector.scope[0]",
                "off-base",
                "at priority 0"),
            badPool(
                client,
                "off-bad-22",
                "ranges:\n- subnet: 10.75.22.0/24\nselector:\n  network: off-net/vlan1\n  scope:\n  - {project: \"*\", namespace: \"*\", guestCluster: \"*\"}",
                "spec.selector.scope",
                "global pool",
                "IPPool off-global"),
            badLoadBalancer(
                client,
                "missing-pool",
                "spec:\n  ipam: pool\n  ipPool: off-nowhere",
                "IPPool off-nowhere (spec.ipPool) does not exist"),
            badLoadBalancer(
                client,
                "bad-pool",
                "spec:\n  ipam: pool\n  ipPool: off-bad-02",
                "IPPool off-bad-02",
                "spec.ranges[0].subnet",
                "10.75.2.0/33"),
            badLoadBalancer(
                client,
                "conflicting-pool",
                "spec:\n  ipam: pool\n  ipPool: off-bad-18",
                "IPPool off-bad-18",
                "spec.ranges[0]",
                "of IPPool off-base"),
            badLoadBalancer(
                client,
                "full-pool",
                "spec:\n  ipam: pool\n  ipPool: off-full",
                "IPPool off-full",
                "has no free address",
                "1 in its ranges"),
            badLoadBalancer(
                client, "static", "spec:\n  ipam: static", "off-lb", "spec.ipam", "static"),
            badLoadBalancer(
                client,
                "container",
                "spec:\n  ipam: pool\n  workloadType: container",
                "off-lb",
                "spec.workloadType",
                "container"),
            badService(
                client,
                "ip-not-an-address",
                "10.76.0.999",
                null,
                null,
                "Service off-svc/ip-not-an-address",
                "spec.loadBalancerIP",
                "10.76.0.999"),
            badService(
                client,
                "annotation-not-an-address",
                null,
                "abc",
                null,
                "Service off-svc/annotation-not-an-address",
                "annotation ipam.org/load-balancer-ip",
                "abc"),
            badService(
                client,
                "two-addresses",
                "10.76.0.50",
                "10.76.0.51",
                null,
                "Service off-svc/two-addresses",
                "10.76.0.50",
                "10.76.0.51"),
            badService(
                client, "outside", "10.99.0.5", null, null, "Service off-svc/outside", "10.99.0.5"),
            badService(client, "taken", held, null, null, "Service off-svc/taken", held),
            badService(
                client,
                "other-family",
                "fd00::5",
                null,
                null,
                "Service off-svc/other-family",
                "fd00::5"),
            badService(
                client, "gateway", "10.76.0.1", null, null, "Service off-svc/gateway", "10.76.0.1"),
            badService(
                client,
                "network-address",
                "10.76.0.0",
                null,
                null,
                "Service off-svc/network-address",
                "10.76.0.0"),
            badService(
                client,
                "missing-pool",
                null,
                null,
                "off-nowhere",
                "ipam.org/ip-pool",
                "off-nowhere"),
            badService(
                client,
                "bad-pool",
                null,
                null,
                "off-bad-02",
                "IPPool off-bad-02",
                "spec.ranges[0].subnet",
                "10.75.2.0/33"),
            badService(
                client,
                "conflicting-pool",
                null,
                null,
                "off-bad-18",
                "IPPool off-bad-18",
                "of IPPool off-base"),
            badService(
                client,
                "full-pool",
                null,
                null,
                "off-full",
                "IPPool off-full",
                "has no free address"));

    SoftAssertions soft = new SoftAssertions();
    for (Bad input : bad) {
      String answer;
      try {
        answer =
            Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(input.answer()::get, Objects::nonNull);
      } catch (ConditionTimeoutException e) {
        answer = "(no answer within 60 s)";
      }
      soft.assertThat(answer).as(input.what()).contains(input.fragments());
    }
    System.out.printf("IT Harvester webhooks off: %d bad inputs answered%n", bad.size());
    soft.assertThat(bad).hasSize(40);
    soft.assertAll();
  }

  private static void networkingPool(KubernetesClient client, String name, String spec) {
    NetworkingIPPool pool =
        client
            .getKubernetesSerialization()
            .unmarshal(
                "apiVersion: networking.harvesterhci.io/v1beta1\nkind: IPPool\nmetadata:\n  name: "
                    + name
                    + "\nspec:\n"
                    + spec.indent(2),
                NetworkingIPPool.class);
    client.resource(pool).create();
  }

  /** A pool refused by the schema (the message) or answered on its Ready (False's message). */
  private static Bad badPool(
      KubernetesClient client, String name, String spec, String... fragments) {
    String refused;
    try {
      pool(client, name, spec);
      refused = null;
    } catch (KubernetesClientException e) {
      refused = e.getMessage();
    }
    String schema = refused;
    List<String> all = new ArrayList<>(List.of(fragments));
    all.add(0, name);
    return new Bad(
        "IPPool " + name,
        () ->
            schema != null
                ? schema
                : ready(client, name)
                    .filter(c -> "False".equals(c.getStatus()))
                    .map(HarvesterCondition::getMessage)
                    .orElse(null),
        all.toArray(String[]::new));
  }

  private static Bad badLoadBalancer(
      KubernetesClient client, String name, String spec, String... fragments) {
    String refused = null;
    LoadBalancer created = null;
    try {
      created =
          client
              .resource(
                  client
                      .getKubernetesSerialization()
                      .unmarshal(
                          "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\n"
                              + "metadata:\n  name: "
                              + name
                              + "\n  namespace: off-lb\n"
                              + spec,
                          LoadBalancer.class))
              .create();
    } catch (KubernetesClientException e) {
      refused = e.getMessage();
    }
    String schema = refused;
    LoadBalancer lb = created;
    return new Bad(
        "LoadBalancer off-lb/" + name,
        () ->
            schema != null
                ? schema
                : LoadBalancerWrites.ready(HarvesterHarness.live(client, lb))
                    .filter(c -> "False".equals(c.getStatus()))
                    .map(c -> c.getMessage())
                    .orElse(null),
        fragments);
  }

  /** A Service of our class in off-svc, answered on its condition. */
  private static Bad badService(
      KubernetesClient client,
      String name,
      String loadBalancerIp,
      String ipAnnotation,
      String poolAnnotation,
      String... fragments) {
    Service service = HarvesterServiceIT.service("off-svc", name, HarvesterApi.LOAD_BALANCER_CLASS);
    service.getSpec().setLoadBalancerIP(loadBalancerIp);
    Map<String, String> annotations = new HashMap<>();
    if (ipAnnotation != null) {
      annotations.put(HarvesterApi.SERVICE_IP_ANNOTATION, ipAnnotation);
    }
    if (poolAnnotation != null) {
      annotations.put(HarvesterApi.SERVICE_POOL_ANNOTATION, poolAnnotation);
    }
    service.getMetadata().setAnnotations(annotations);
    Service created = client.resource(service).create();
    return new Bad(
        "Service off-svc/" + name,
        () -> {
          Service live = liveService(client, created);
          return live == null || live.getStatus() == null
              ? null
              : Conditions.find(live.getStatus().getConditions(), HarvesterApi.SERVICE_CONDITION)
                  .filter(c -> "False".equals(c.getStatus()))
                  .map(c -> c.getMessage())
                  .orElse(null);
        },
        fragments);
  }

  private static Service liveService(KubernetesClient client, Service service) {
    return client
        .services()
        .inNamespace(service.getMetadata().getNamespace())
        .withName(service.getMetadata().getName())
        .get();
  }
}
