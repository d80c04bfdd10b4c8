package org.ipam.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the reliability campaign ({@link ReliabilityCampaignIT}) needs of one kind of claim of a
 * dialect: its CRDs, the controller's flags, one pool, creating and deleting one claim, and one
 * look at everything it promises ({@link CampaignAudit}). One implementation per kind of claim the
 * campaign attacks; {@link #all} is the list.
 *
 * <p>Creates and deletes are single API calls: the campaign retries them itself while the API
 * server is away, and takes a create answered 409 or a delete answered 404 as done.
 */
interface CampaignDialect {
  /** The name in the results: dialect and kind of claim, e.g. {@code incluster-prefix}. */
  String name();

  /**
   * Whether the controller runs with {@code --namespaces} of the run: false for a dialect whose
   * pools are cluster-scoped (a controller limited to namespaces does not serve those).
   */
  boolean namespaced();

  /** Installs the CRDs of the dialect's pools, claims and address objects when missing. */
  void installCrds(KubernetesClient client);

  /** The API groups of its pools and claims, whose webhooks {@link LoopbackWebhooks} registers. */
  java.util.Set<String> apiGroups();

  /** The controller's flags for this dialect (beyond --kubeconfig, --namespaces and the ports). */
  List<String> controllerFlags();

  /**
   * One pool named {@code pool} that can serve {@code claims} claims at once, for claims of the
   * namespace (a cluster-scoped pool is scoped to it). Pool names are unique in a run of the
   * campaign, cluster-scoped ones included.
   */
  void createPool(KubernetesClient client, String namespace, String pool, int claims);

  /**
   * One claim on the pool. {@code index} (0, 1, ...) lets a dialect vary what the claims ask for
   * (kubipam: mixed sizes).
   */
  void createClaim(KubernetesClient client, String namespace, String pool, String name, int index);

  /** Deletes the claim of that name (the campaign deletes only claims it created). */
  void deleteClaim(KubernetesClient client, String namespace, String name);

  /** The uid of the claim of that name, or null when there is none. */
  String uidOf(KubernetesClient client, String namespace, String name);

  /** One look at the pool, its claims and what holds their addresses. */
  CampaignAudit audit(KubernetesClient client, String namespace, String pool);

  /**
   * Starts an informer on the claims of this kind in the namespace; it calls {@code served} with a
   * claim's name whenever it sees the claim served (possibly more than once per claim).
   */
  SharedIndexInformer<?> informServed(
      KubernetesClient client, String namespace, Consumer<String> served);

  /** The claim's status as JSON, to say why it is not served; null when there is no such claim. */
  String statusOf(KubernetesClient client, String namespace, String name);

  /**
   * The bad input of {@link CampaignScenario#BADINPUT} for this kind of claim, beside the good pool
   * {@code pool} of the namespace (which it may read, to aim at its addresses): at least {@link
   * CampaignBadInput#MIN_PER_KIND} objects the dialect's webhooks or the CRD schema refuse, bad
   * pools and bad claims, each named {@code bad-...} ({@link CampaignBadInput}).
   */
  List<CampaignBadInput.InvalidObject> invalidObjects(
      KubernetesClient client, String namespace, String pool);

  /**
   * Deletes what the run left outside its namespace (a cluster-scoped pool, the bad input's
   * cluster-scoped pools); default nothing.
   */
  default void cleanUp(KubernetesClient client, String namespace, String pool) {}

  /** Every kind of claim the campaign attacks, in the order of the results. */
  static List<CampaignDialect> all() {
    return List.of(
        new CampaignDialects.Metal3Claims(),
        new CampaignDialects.Metal3CapiClaims(),
        new CampaignDialects.InClusterIpClaims(),
        new CampaignDialects.InClusterPrefixClaims(),
        new CampaignDialects.HarvesterLoadBalancers(),
        new CampaignDialects.HarvesterServices(),
        new CampaignDialects.KubipamMixedSizes());
  }

  /** The dialects of a comma-separated list of names ("all" or empty: every one). */
  static List<CampaignDialect> named(String names) {
    if (names == null || names.isBlank() || names.equals("all")) {
      return all();
    }
    List<String> wanted = List.of(names.split(","));
    List<CampaignDialect> chosen = all().stream().filter(d -> wanted.contains(d.name())).toList();
    if (chosen.size() != wanted.size()) {
      throw new IllegalArgumentException(
          "unknown campaign dialect in "
              + names
              + " (known: "
              + all().stream().map(CampaignDialect::name).toList()
              + ")");
    }
    return chosen;
  }
}
