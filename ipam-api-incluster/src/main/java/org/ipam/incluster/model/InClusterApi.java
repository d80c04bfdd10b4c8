package org.ipam.incluster.model;

import java.util.List;

/**
 * The names of the Cluster API in-cluster IPAM API that manifests, other controllers and clusterctl
 * rely on, spelled as upstream spells them (reference/incluster.md 1.1 and 1.7): the group,
 * versions and kinds, the finalizers, annotations and labels.
 */
public final class InClusterApi {
  public static final String GROUP = "ipam.cluster.x-k8s.io";

  /** The storage version of every pool kind, and the only one of the prefix pools. */
  public static final String V1ALPHA2 = "v1alpha2";

  /** Served and deprecated, for InClusterIPPool and GlobalInClusterIPPool only. */
  public static final String V1ALPHA1 = "v1alpha1";

  public static final String IN_CLUSTER_IP_POOL = "InClusterIPPool";
  public static final String GLOBAL_IN_CLUSTER_IP_POOL = "GlobalInClusterIPPool";
  public static final String IN_CLUSTER_PREFIX_POOL = "InClusterPrefixPool";
  public static final String GLOBAL_IN_CLUSTER_PREFIX_POOL = "GlobalInClusterPrefixPool";

  /** The four pool kinds a Cluster API claim's {@code spec.poolRef.kind} may name here. */
  public static final List<String> POOL_KINDS =
      List.of(
          IN_CLUSTER_IP_POOL,
          GLOBAL_IN_CLUSTER_IP_POOL,
          IN_CLUSTER_PREFIX_POOL,
          GLOBAL_IN_CLUSTER_PREFIX_POOL);

  /** Whether a pool kind is cluster-scoped (serves claims of every namespace). */
  public static boolean isGlobal(String poolKind) {
    return GLOBAL_IN_CLUSTER_IP_POOL.equals(poolKind)
        || GLOBAL_IN_CLUSTER_PREFIX_POOL.equals(poolKind);
  }

  /** Whether a pool kind hands out child prefixes rather than single addresses. */
  public static boolean isPrefixPool(String poolKind) {
    return IN_CLUSTER_PREFIX_POOL.equals(poolKind)
        || GLOBAL_IN_CLUSTER_PREFIX_POOL.equals(poolKind);
  }

  /** On an IPAddressClaim: its address is released before the claim goes. */
  public static final String RELEASE_ADDRESS_FINALIZER = "ipam.cluster.x-k8s.io/ReleaseAddress";

  /**
   * On an IPAddress: it goes only when its claim releases it. (The contract document suggests
   * {@code ipam.cluster.x-k8s.io/protect-address}; the provider writes this CamelCase form.)
   */
  public static final String PROTECT_ADDRESS_FINALIZER = "ipam.cluster.x-k8s.io/ProtectAddress";

  /** On every pool of the four kinds: it goes only once no IPAddress names it. */
  public static final String PROTECT_POOL_FINALIZER = "ipam.cluster.x-k8s.io/ProtectPool";

  /**
   * On a pool: its delete is admitted even while IPAddresses name it (for clusterctl move); only
   * the key matters.
   */
  public static final String SKIP_DELETE_VALIDATION_ANNOTATION =
      "ipam.cluster.x-k8s.io/skip-validate-delete-webhook";

  /**
   * What clusterctl (1.5 and later) puts on the objects it deletes from the source cluster of a
   * move. Upstream's webhook ignores it; this one admits the delete as for {@link
   * #SKIP_DELETE_VALIDATION_ANNOTATION}.
   */
  public static final String DELETE_FOR_MOVE_ANNOTATION =
      "clusterctl.cluster.x-k8s.io/delete-for-move";

  /**
   * On a hub (v1alpha2) IP pool written as v1alpha1: the whole v1alpha1 object but its metadata, as
   * JSON, so that a v1alpha1 reader gets back what it wrote.
   */
  public static final String CONVERSION_DATA_ANNOTATION = "cluster.x-k8s.io/conversion-data";

  /**
   * On a claim (copied to its IPAddress): the Cluster it belongs to. Deprecated in favour of the
   * claim's {@code spec.clusterName}, still honoured.
   */
  public static final String CLUSTER_NAME_LABEL = "cluster.x-k8s.io/cluster-name";

  /** On a Cluster, pool or claim: leave it alone, allocation and release alike. */
  public static final String PAUSED_ANNOTATION = "cluster.x-k8s.io/paused";

  /** With {@code --watch-filter=<v>}: only objects labelled {@code <this>=<v>} are served. */
  public static final String WATCH_FILTER_LABEL = "cluster.x-k8s.io/watch-filter";

  /**
   * On every pool CRD, value {@code ""}: clusterctl move takes every pool, and what they own (the
   * IPAddresses), along with the clusters. Added at install time: the CRD generator cannot write a
   * label with an empty value.
   */
  public static final String MOVE_HIERARCHY_LABEL = "clusterctl.cluster.x-k8s.io/move-hierarchy";

  /** The pools' condition: whether the spec can serve claims. Our addition; upstream has none. */
  public static final String READY_CONDITION = "Ready";

  /** A prefix pool's {@code allocationPrefixLength} when it is not set (or 0). */
  public static final int DEFAULT_ALLOCATION_PREFIX_LENGTH = 64;

  private InClusterApi() {}

  /** {@code <group>/<version>}. */
  public static String apiVersion(String version) {
    return GROUP + "/" + version;
  }
}
