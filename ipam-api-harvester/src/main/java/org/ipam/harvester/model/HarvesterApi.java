package org.ipam.harvester.model;

/**
 * The names Harvester's load-balancer controller uses on the wire (reference/harvester.md, section
 * 1), in one place: groups, kinds, labels, annotations and finalizers.
 */
public final class HarvesterApi {
  private HarvesterApi() {}

  /** The group Harvester's code serves: IPPool and LoadBalancer. */
  public static final String LOADBALANCER_GROUP = "loadbalancer.harvesterhci.io";

  /** The group the Harvester documentation's examples show; IPPool only. */
  public static final String NETWORKING_GROUP = "networking.harvesterhci.io";

  public static final String V1BETA1 = "v1beta1";

  public static final String IP_POOL = "IPPool";
  public static final String LOAD_BALANCER = "LoadBalancer";

  /** The requirement annotations of a LoadBalancer (reference 1.4). */
  public static final String NETWORK_ANNOTATION = LOADBALANCER_GROUP + "/network";

  public static final String PROJECT_ANNOTATION = LOADBALANCER_GROUP + "/project";
  public static final String NAMESPACE_ANNOTATION = LOADBALANCER_GROUP + "/namespace";
  public static final String CLUSTER_ANNOTATION = LOADBALANCER_GROUP + "/cluster";

  /** Labels the upstream mutating webhook keeps on an IPPool. */
  public static final String GLOBAL_IP_POOL_LABEL = LOADBALANCER_GROUP + "/global-ip-pool";

  public static final String VID_LABEL = LOADBALANCER_GROUP + "/vid";

  /**
   * Upstream's one-shot pool annotation {@code "<ip>: <namespace>/<name>"}: frees an address that
   * {@code status.allocated} gives to a LoadBalancer that no longer exists (reference 3.4).
   */
  public static final String MANUALLY_RELEASE_IP_ANNOTATION =
      LOADBALANCER_GROUP + "/manuallyReleaseIP";

  /** The finalizer upstream's LoadBalancer controller keeps on a LoadBalancer it served. */
  public static final String LOAD_BALANCER_FINALIZER = "wrangler.cattle.io/harvester-lb-controller";

  /** The finalizer upstream's IPPool controller keeps on an IPPool. */
  public static final String IP_POOL_FINALIZER = "wrangler.cattle.io/harvester-ipam-controller";

  /**
   * Our own pool annotation (not upstream's): {@code round-robin} hands out the first free address
   * after {@code status.lastAllocated}, as Harvester's code does; absent or {@code ascending}, the
   * lowest free address, as the Harvester documentation says.
   */
  public static final String ALLOCATION_ORDER_ANNOTATION = "ipam.org/allocation-order";

  public static final String ORDER_ASCENDING = "ascending";
  public static final String ORDER_ROUND_ROBIN = "round-robin";

  /** {@code spec.ipam} values of a LoadBalancer. */
  public static final String IPAM_POOL = "pool";

  public static final String IPAM_DHCP = "dhcp";

  /** {@code spec.workloadType} of a LoadBalancer made by the cloud provider for a guest cluster. */
  public static final String WORKLOAD_CLUSTER = "cluster";

  public static final String READY_CONDITION = "Ready";

  // ---------------------------------------------------------------- core Services (our own names)

  /**
   * The {@code spec.loadBalancerClass} of the core Services of type LoadBalancer this controller
   * serves from Harvester pools; Services of another class, or of none, are left alone.
   */
  public static final String LOAD_BALANCER_CLASS = "ipam.org/harvester";

  /** The finalizer on a Service that holds an address: released before the Service goes. */
  public static final String SERVICE_FINALIZER = "ipam.org/harvester-address";

  /** A Service's pool by name, as {@code spec.ipPool} names a LoadBalancer's. */
  public static final String SERVICE_POOL_ANNOTATION = "ipam.org/ip-pool";

  /** A Service's address, asked for by annotation (or by {@code spec.loadBalancerIP}). */
  public static final String SERVICE_IP_ANNOTATION = "ipam.org/load-balancer-ip";

  /** The condition on a Service that says whether it got its address, and if not, why. */
  public static final String SERVICE_CONDITION = "ipam.org/AddressAllocated";

  public static final String SERVICE = "Service";

  /** The wildcard of a scope field or requirement. */
  public static final String ANY = "*";
}
