package org.ipam.incluster.adapter;

import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.Crds;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.core.webhook.ConversionHandler;
import org.ipam.incluster.conversion.IPPoolConversionHandler;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.webhook.InClusterValidators;
import org.ipam.incluster.webhook.LiveLookups;

/**
 * The in-cluster dialect for the controller (a drop-in for cluster-api-ipam-provider-in-cluster):
 * the reconcilers of the four pool kinds (IP and prefix pools, namespaced and Global), serving
 * Cluster API IPAddressClaims whose {@code poolRef} names one of them. Needs a {@code
 * KubernetesClient}, an {@code AllocationEngine} and a {@code Clock} from the parent injector.
 */
public final class InClusterDialectModule extends DialectModule {
  /** Shared by this module's reconcilers and its claim finalizer webhook. */
  private final ClusterView clusterView = new ClusterView();

  @Override
  public String name() {
    return "incluster";
  }

  /** The four pool kinds' CRDs: each carries a ledger in its status. */
  private static final List<String> POOL_CRDS =
      List.of(
          "inclusterippools.ipam.cluster.x-k8s.io",
          "globalinclusterippools.ipam.cluster.x-k8s.io",
          "inclusterprefixpools.ipam.cluster.x-k8s.io",
          "globalinclusterprefixpools.ipam.cluster.x-k8s.io");

  @Override
  public List<String> requiredCrds() {
    List<String> crds = new java.util.ArrayList<>(POOL_CRDS);
    crds.add("ipaddressclaims.ipam.cluster.x-k8s.io");
    crds.add("ipaddresses.ipam.cluster.x-k8s.io");
    return crds;
  }

  /**
   * The pools' ledger ({@code status.allocations}) is where allocations are committed; upstream's
   * CRDs do not declare it, so the API server would prune every entry written and two controllers
   * could both hand out one address. Such a pool CRD keeps the dialect from being served until this
   * project's CRDs are applied.
   */
  @Override
  public List<String> crdDefects(KubernetesClient client) {
    return Crds.ledgerDefects(client, InClusterApi.V1ALPHA2, POOL_CRDS, "uid", "address");
  }

  @Override
  public List<String> crdResources() {
    return List.of(
        "META-INF/fabric8/inclusterippools.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/globalinclusterippools.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/inclusterprefixpools.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/globalinclusterprefixpools.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/ipaddressclaims.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/ipaddresses.ipam.cluster.x-k8s.io-v1.yml");
  }

  @Override
  protected void configure() {
    bind(ClusterView.class).toInstance(clusterView);
    var reconcilers = Multibinder.newSetBinder(binder(), new TypeLiteral<Reconciler<?>>() {});
    reconcilers.addBinding().to(InClusterIPPoolReconciler.class);
    reconcilers.addBinding().to(GlobalInClusterIPPoolReconciler.class);
    reconcilers.addBinding().to(InClusterPrefixPoolReconciler.class);
    reconcilers.addBinding().to(GlobalInClusterPrefixPoolReconciler.class);
  }

  /** The in-cluster part of {@code ipam-controller plan}: the four pool kinds and their claims. */
  @Override
  public java.util.Optional<org.ipam.core.plan.DialectPlanner> planner() {
    return java.util.Optional.of(new org.ipam.incluster.plan.InClusterPlanner());
  }

  /**
   * The pool validators, and those of Cluster API claims and IPAddresses of in-cluster pools; what
   * is in use (a pool's IPAddresses, an IPAddress's claim) is read live with the controller's
   * client.
   */
  @Override
  public List<AdmissionValidator<?>> validators(KubernetesClient client) {
    LiveLookups lookups = new LiveLookups(client);
    return InClusterValidators.all(lookups, lookups);
  }

  /** v1alpha1 and v1alpha2 of InClusterIPPool and GlobalInClusterIPPool, at {@code /convert}. */
  @Override
  public List<ConversionHandler> conversions() {
    return List.of(new IPPoolConversionHandler());
  }

  /**
   * The finalizer on a Cluster API claim of an in-cluster pool as it is created, when this process
   * serves the pool, the watch filter admits the claim and the pause contract does not hold it back
   * (the rules the reconcilers apply before they add it themselves).
   */
  @Override
  public List<ClaimFinalizerWebhook> finalizerWebhooks(
      Predicate<PoolKey> servedPools, WatchFilter watchFilter) {
    return List.of(
        new ClaimFinalizerWebhook(
            name(),
            IPAddressClaim.ADMISSION_TARGET,
            InClusterApi.RELEASE_ADDRESS_FINALIZER,
            (namespace, json) ->
                ClaimFinalizerWebhook.typed(json, namespace, IPAddressClaim.class)
                    .filter(watchFilter::admits)
                    .filter(claim -> servedPoolOf(claim, servedPools))
                    .filter(clusterView::admitsFinalizer)
                    .isPresent()));
  }

  /** The Clusters this module's reconcilers see (tests of the webhook fill it in). */
  ClusterView clusterView() {
    return clusterView;
  }

  private static boolean servedPoolOf(IPAddressClaim claim, Predicate<PoolKey> servedPools) {
    return InClusterApi.POOL_KINDS.stream()
        .map(kind -> InClusterRecords.poolOf(claim, kind))
        .flatMap(Optional::stream)
        .anyMatch(servedPools);
  }
}
