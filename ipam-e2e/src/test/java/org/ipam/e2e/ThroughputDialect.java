package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.metal3.model.IPClaim;

/**
 * What the throughput harness ({@link ThroughputHarness}) needs of a dialect: its CRDs, the
 * controller's flags for it, one pool, one claim, and when a claim counts as served. One class per
 * dialect; {@link #of} is the list.
 */
interface ThroughputDialect {
  /** The name on the command line and in the results. */
  String name();

  /**
   * Whether the controller runs with {@code --namespaces} of the run: false for a dialect whose
   * pools are cluster-scoped (a controller limited to namespaces does not serve those).
   */
  default boolean namespaced() {
    return true;
  }

  /** The API groups of the dialect's pools, claims and address objects (for its webhooks). */
  java.util.Set<String> apiGroups();

  /** Installs the CRDs of the dialect's pools and claims when missing. */
  void installCrds(KubernetesClient client);

  /** The controller's flags for this dialect (beyond --kubeconfig, --namespaces and the ports). */
  List<String> controllerFlags();

  /** One pool of at least {@code size} addresses, named {@code name}. */
  void createPool(KubernetesClient client, String namespace, String name, int size);

  /** One claim on the pool. */
  void createClaim(KubernetesClient client, String namespace, String pool, String name);

  /**
   * The claim kind's resource (plural) as {@code apiserver_request_total} labels it; its creates
   * are the workload's, not the controller's.
   */
  String claimResource();

  /**
   * Starts an informer on the claims of a namespace; it calls {@code served} with a claim's name
   * whenever it sees the claim served (possibly more than once per claim).
   */
  SharedIndexInformer<?> informServed(
      KubernetesClient client, String namespace, Consumer<String> served);

  static ThroughputDialect of(String name) {
    switch (name) {
      case "metal3":
        return new Metal3();
      case "metal3-capi":
        return new Metal3Capi();
      case "incluster":
        return new InCluster();
      case "harvester":
        return new Harvester();
      case "kubipam":
        return new Kubipam();
      default:
        throw new IllegalArgumentException(
            "unknown dialect "
                + name
                + " (known: metal3, metal3-capi, incluster, harvester, kubipam)");
    }
  }

  /** An informer that reports each claim seen served. */
  static <T extends HasMetadata> SharedIndexInformer<T> inform(
      KubernetesClient client,
      Class<T> kind,
      String namespace,
      Predicate<T> isServed,
      Consumer<String> served) {
    return inform(client.resources(kind).inNamespace(namespace), isServed, served);
  }

  /** An informer on these objects that reports each claim seen served. */
  static <T extends HasMetadata> SharedIndexInformer<T> inform(
      Informable<T> claims, Predicate<T> isServed, Consumer<String> served) {
    return claims.inform(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T claim) {
            if (isServed.test(claim)) {
              served.accept(claim.getMetadata().getName());
            }
          }

          @Override
          public void onUpdate(T before, T claim) {
            onAdd(claim);
          }

          @Override
          public void onDelete(T claim, boolean finalStateUnknown) {}
        },
        0);
  }

  /** The first address of every pool of the Metal3 dialects; a pool reaches up into 10.0.0.0/8. */
  String FIRST_ADDRESS = "10.0.0.1";

  /** The last address of a pool of {@code size} addresses from {@link #FIRST_ADDRESS}. */
  static String lastAddress(int size) {
    if (size < 1 || size > (1 << 24) - 2) {
      throw new IllegalArgumentException("pool size out of 10.0.0.0/8: " + size);
    }
    int last = size; // 10.0.0.1 + size - 1
    return "10." + ((last >> 16) & 0xff) + "." + ((last >> 8) & 0xff) + "." + (last & 0xff);
  }

  /** Metal3 IPClaims on a Metal3 IPPool. Served: the claim's status names its IPAddress. */
  final class Metal3 implements ThroughputDialect {
    @Override
    public String name() {
      return "metal3";
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return java.util.Set.of("ipam.metal3.io", "ipam.cluster.x-k8s.io");
    }

    /**
     * The Cluster API claim CRDs too: a Metal3 installation has them (CAPM3), and the controller
     * then serves Cluster API claims on Metal3 pools as well (as in the e2e tests).
     */
    @Override
    public void installCrds(KubernetesClient client) {
      Metal3Objects.installCrdsWithCapi(client);
    }

    @Override
    public List<String> controllerFlags() {
      return List.of("--adapters=metal3");
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String name, int size) {
      new Metal3Objects(client, namespace).createPool(name, FIRST_ADDRESS, lastAddress(size), 8);
    }

    @Override
    public void createClaim(KubernetesClient client, String namespace, String pool, String name) {
      new Metal3Objects(client, namespace).newIpClaim(pool, name);
    }

    @Override
    public String claimResource() {
      return "ipclaims";
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return inform(
          client,
          IPClaim.class,
          namespace,
          claim -> claim.getStatus() != null && claim.getStatus().getAddress() != null,
          served);
    }
  }

  /**
   * Cluster API IPAddressClaims whose poolRef is a Metal3 IPPool. Served: the claim's status names
   * its IPAddress and its Ready condition is True.
   */
  final class Metal3Capi implements ThroughputDialect {
    private final Metal3 metal3 = new Metal3();

    @Override
    public String name() {
      return "metal3-capi";
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return java.util.Set.of("ipam.metal3.io", "ipam.cluster.x-k8s.io");
    }

    @Override
    public void installCrds(KubernetesClient client) {
      metal3.installCrds(client);
    }

    @Override
    public List<String> controllerFlags() {
      return metal3.controllerFlags();
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String name, int size) {
      metal3.createPool(client, namespace, name, size);
    }

    @Override
    public void createClaim(KubernetesClient client, String namespace, String pool, String name) {
      new Metal3Objects(client, namespace).newCapiClaim(pool, name);
    }

    @Override
    public String claimResource() {
      return "ipaddressclaims";
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return inform(
          client,
          IPAddressClaim.class,
          namespace,
          claim ->
              claim.getStatus() != null
                  && claim.getStatus().getAddressRef() != null
                  && claim.getStatus().getAddressRef().getName() != null
                  && org.ipam.core.capi.ClaimReady.is(claim, "True"),
          served);
    }
  }

  /**
   * Cluster API IPAddressClaims on an InClusterIPPool: the versioned-ledger commit (the pool's
   * status.allocations). Served: as {@link Metal3Capi}.
   */
  final class InCluster implements ThroughputDialect {
    private final Metal3Capi capi = new Metal3Capi();

    @Override
    public String name() {
      return "incluster";
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return java.util.Set.of("ipam.cluster.x-k8s.io");
    }

    @Override
    public void installCrds(KubernetesClient client) {
      installCrdsOf(client, new org.ipam.incluster.adapter.InClusterDialectModule());
    }

    @Override
    public List<String> controllerFlags() {
      return List.of("--adapters=incluster");
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String name, int size) {
      var pool = new org.ipam.incluster.model.v1alpha2.InClusterIPPool();
      pool.getMetadata().setName(name);
      pool.getMetadata().setNamespace(namespace);
      var spec = new org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec();
      spec.setAddresses(List.of(FIRST_ADDRESS + "-" + lastAddress(size)));
      spec.setPrefix(8);
      pool.setSpec(spec);
      client.resource(pool).create();
    }

    @Override
    public void createClaim(KubernetesClient client, String namespace, String pool, String name) {
      IPAddressClaim claim = new IPAddressClaim();
      claim.getMetadata().setName(name);
      claim.getMetadata().setNamespace(namespace);
      claim.setSpec(
          new org.ipam.core.capi.IPAddressClaimSpec(
              new org.ipam.core.capi.PoolReference(
                  org.ipam.incluster.model.InClusterApi.GROUP,
                  org.ipam.incluster.model.InClusterApi.IN_CLUSTER_IP_POOL,
                  pool)));
      client.resource(claim).create();
    }

    @Override
    public String claimResource() {
      return "ipaddressclaims";
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return capi.informServed(client, namespace, served);
    }
  }

  /**
   * Harvester LoadBalancers (loadbalancer.harvesterhci.io) on a cluster-scoped IPPool whose scope
   * is the run's namespace: the versioned ledger in the pool's status.allocated. Served: the
   * LoadBalancer's status.allocatedAddress names the pool and an ip. The controller runs without
   * {@code --namespaces} (it would not serve a cluster-scoped pool). The pool's ledger holds at
   * most 900 KB (docs/harvester.md): N = 10,000 does not fit one pool.
   */
  final class Harvester implements ThroughputDialect {
    private static final ResourceDefinitionContext POOLS =
        context("loadbalancer.harvesterhci.io", "v1beta1", "IPPool", "ippools", false);
    private static final ResourceDefinitionContext LOAD_BALANCERS =
        context("loadbalancer.harvesterhci.io", "v1beta1", "LoadBalancer", "loadbalancers", true);

    @Override
    public String name() {
      return "harvester";
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return java.util.Set.of("loadbalancer.harvesterhci.io", "networking.harvesterhci.io");
    }

    @Override
    public boolean namespaced() {
      return false;
    }

    @Override
    public void installCrds(KubernetesClient client) {
      installCrdsOf(client, new org.ipam.harvester.adapter.HarvesterDialectModule());
    }

    @Override
    public List<String> controllerFlags() {
      return List.of("--adapters=harvester");
    }

    /** Addresses 10.0.0.2 on (10.0.0.1, the subnet's second address, is its gateway). */
    @Override
    public void createPool(KubernetesClient client, String namespace, String name, int size) {
      client
          .genericKubernetesResources(POOLS)
          .resource(
              yaml(
                  client,
                  "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: IPPool\n"
                      + "metadata:\n  name: %s\nspec:\n  ranges:\n  - subnet: 10.0.0.0/8\n"
                      + "    rangeStart: 10.0.0.2\n    rangeEnd: %s\n  selector:\n    scope:\n"
                      + "    - namespace: %s\n",
                  name,
                  lastAddress(size + 1),
                  namespace))
          .create();
    }

    @Override
    public void createClaim(KubernetesClient client, String namespace, String pool, String name) {
      client
          .genericKubernetesResources(LOAD_BALANCERS)
          .inNamespace(namespace)
          .resource(
              yaml(
                  client,
                  "apiVersion: loadbalancer.harvesterhci.io/v1beta1\nkind: LoadBalancer\n"
                      + "metadata:\n  name: %s\n  namespace: %s\nspec:\n  ipam: pool\n",
                  name,
                  namespace))
          .create();
    }

    @Override
    public String claimResource() {
      return "loadbalancers";
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return inform(
          client.genericKubernetesResources(LOAD_BALANCERS).inNamespace(namespace),
          lb -> {
            Object status = lb.getAdditionalProperties().get("status");
            if (!(status instanceof java.util.Map<?, ?> fields)) {
              return false;
            }
            Object allocated = fields.get("allocatedAddress");
            return allocated instanceof java.util.Map<?, ?> address
                && address.get("ip") instanceof String ip
                && !ip.isEmpty()
                && address.get("ipPool") instanceof String ipPool
                && !ipPool.isEmpty();
          },
          served);
    }
  }

  /**
   * kubipam IPAMRequests of size 32 (one IPv4 address) on an IPAMRange of the run's namespace: the
   * versioned ledger in the range's status.allocations. Served: state Ready with a cidr. A range's
   * ledger holds at most 8,000 entries (docs/mandelsoft.md): N = 10,000 does not fit one range.
   */
  final class Kubipam implements ThroughputDialect {
    @Override
    public String name() {
      return "kubipam";
    }

    @Override
    public java.util.Set<String> apiGroups() {
      return java.util.Set.of("ipam.mandelsoft.org");
    }

    @Override
    public void installCrds(KubernetesClient client) {
      installCrdsOf(client, new org.ipam.mandelsoft.adapter.MandelsoftDialectModule());
    }

    @Override
    public List<String> controllerFlags() {
      return List.of("--adapters=mandelsoft");
    }

    @Override
    public void createPool(KubernetesClient client, String namespace, String name, int size) {
      var range = new org.ipam.mandelsoft.model.IPAMRange();
      range.getMetadata().setName(name);
      range.getMetadata().setNamespace(namespace);
      var spec = new org.ipam.mandelsoft.model.IPAMRangeSpec();
      spec.setRanges(List.of(FIRST_ADDRESS + "-" + lastAddress(size)));
      range.setSpec(spec);
      client.resource(range).create();
    }

    @Override
    public void createClaim(KubernetesClient client, String namespace, String pool, String name) {
      var request = new org.ipam.mandelsoft.model.IPAMRequest();
      request.getMetadata().setName(name);
      request.getMetadata().setNamespace(namespace);
      var spec = new org.ipam.mandelsoft.model.IPAMRequestSpec();
      spec.setIpam(new org.ipam.mandelsoft.model.ObjectReference(pool, null));
      spec.setSize(32);
      request.setSpec(spec);
      client.resource(request).create();
    }

    @Override
    public String claimResource() {
      return "ipamrequests";
    }

    @Override
    public SharedIndexInformer<?> informServed(
        KubernetesClient client, String namespace, Consumer<String> served) {
      return inform(
          client,
          org.ipam.mandelsoft.model.IPAMRequest.class,
          namespace,
          request ->
              request.getStatus() != null
                  && "Ready".equals(request.getStatus().getState())
                  && request.getStatus().getCidr() != null,
          served);
    }
  }

  /** Installs the CRDs a dialect module ships. */
  static void installCrdsOf(KubernetesClient client, org.ipam.core.engine.DialectModule dialect) {
    org.ipam.core.engine.Crds.install(
        client, dialect.getClass().getClassLoader(), dialect.crdResources());
  }

  static ResourceDefinitionContext context(
      String group, String version, String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  static GenericKubernetesResource yaml(KubernetesClient client, String format, Object... args) {
    return client
        .getKubernetesSerialization()
        .unmarshal(format.formatted(args), GenericKubernetesResource.class);
  }
}
