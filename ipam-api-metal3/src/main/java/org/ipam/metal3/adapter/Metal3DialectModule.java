package org.ipam.metal3.adapter;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.function.Predicate;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ClaimFinalizerWebhook;
import org.ipam.metal3.webhook.IPAddressValidator;
import org.ipam.metal3.webhook.IPClaimValidator;
import org.ipam.metal3.webhook.IPPoolValidator;

/**
 * The Metal3 dialect for the controller: the IPPool reconciler, and the checks that tell IPClaims
 * and Cluster API claims that their pool is missing. Needs a {@code KubernetesClient}, an {@code
 * AllocationEngine} and a {@code Clock} from the parent injector.
 */
public final class Metal3DialectModule extends DialectModule {
  static final String CAPI_CLAIMS_CRD = "ipaddressclaims.ipam.cluster.x-k8s.io";

  @Override
  public String name() {
    return "metal3";
  }

  @Override
  public List<String> requiredCrds() {
    return List.of(
        "ippools.ipam.metal3.io", "ipclaims.ipam.metal3.io", "ipaddresses.ipam.metal3.io");
  }

  @Override
  public List<String> crdResources() {
    return List.of(
        "META-INF/fabric8/ippools.ipam.metal3.io-v1.yml",
        "META-INF/fabric8/ipclaims.ipam.metal3.io-v1.yml",
        "META-INF/fabric8/ipaddresses.ipam.metal3.io-v1.yml",
        "META-INF/fabric8/ipaddressclaims.ipam.cluster.x-k8s.io-v1.yml",
        "META-INF/fabric8/ipaddresses.ipam.cluster.x-k8s.io-v1.yml");
  }

  @Override
  protected void configure() {
    var reconcilers = Multibinder.newSetBinder(binder(), new TypeLiteral<Reconciler<?>>() {});
    reconcilers.addBinding().to(Metal3PoolReconciler.class);
  }

  /**
   * Whether the pool reconciler watches Cluster API claims, decided once at its start: the claim
   * finalizer webhook puts the finalizer only on claims a pass of this process looks at.
   */
  private volatile boolean capiClaimsWatched;

  @Provides
  @Singleton
  @CapiClaims
  boolean capiClaimsInstalled(KubernetesClient client) {
    return watchCapiClaims(
        client.resources(CustomResourceDefinition.class).withName(CAPI_CLAIMS_CRD).get() != null);
  }

  /** Records the start's decision (tests of the webhook make it too). */
  boolean watchCapiClaims(boolean installed) {
    capiClaimsWatched = installed;
    return installed;
  }

  /**
   * The Cluster API version whose Clusters the pools watch for pause; empty without Cluster API.
   */
  @Provides
  @ClusterApiVersion
  java.util.Optional<String> clusterApiVersion(KubernetesClient client) {
    return org.ipam.core.engine.ClusterPause.servedVersion(client);
  }

  @Override
  public java.util.Optional<org.ipam.core.plan.DialectPlanner> planner() {
    return java.util.Optional.of(new org.ipam.metal3.plan.Metal3Planner());
  }

  @Override
  public List<AdmissionValidator<?>> validators() {
    return List.of(new IPPoolValidator(), new IPClaimValidator(), new IPAddressValidator());
  }

  /**
   * The claim finalizers, put on a claim of a pool this process serves as it is created (a pool
   * serves claims of its own namespace): the IPClaim's, and the Cluster API claim's when its {@code
   * poolRef} names a Metal3 IPPool and the pool reconciler watches Cluster API claims (decided at
   * its start: a finalizer on a claim it does not watch would stay).
   */
  @Override
  public List<ClaimFinalizerWebhook> finalizerWebhooks(
      Predicate<PoolKey> servedPools, WatchFilter watchFilter) {
    return List.of(
        new ClaimFinalizerWebhook(
            name(),
            new AdmissionValidator.Target("ipam.metal3.io", "v1alpha1", "ipclaims", "IPClaim"),
            org.ipam.metal3.model.IPClaim.FINALIZER,
            (namespace, claim) -> {
              String pool = ClaimFinalizerWebhook.text(claim, "spec", "pool", "name");
              return !pool.isEmpty() && servedPools.test(Metal3Records.poolKey(namespace, pool));
            }),
        new ClaimFinalizerWebhook(
            name(),
            IPAddressClaim.ADMISSION_TARGET,
            Metal3Claim.Capi.FINALIZER,
            (namespace, json) ->
                capiClaimsWatched
                    && ClaimFinalizerWebhook.typed(json, namespace, IPAddressClaim.class)
                        .flatMap(Metal3Records::poolOf)
                        .filter(servedPools)
                        .isPresent()));
  }
}
