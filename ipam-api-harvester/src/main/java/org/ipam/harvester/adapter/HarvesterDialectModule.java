package org.ipam.harvester.adapter;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.Crds;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.IPPool;
import org.ipam.harvester.model.NetworkingIPPool;
import org.ipam.harvester.webhook.IPPoolValidator;
import org.ipam.harvester.webhook.LoadBalancerValidator;
import org.ipam.harvester.webhook.PoolLookup;

/**
 * The Harvester dialect for the controller: IPPools of both groups serving Harvester LoadBalancers
 * ({@code spec.ipam: pool}) and core Services of type LoadBalancer whose {@code loadBalancerClass}
 * is {@code ipam.org/harvester}. Needs a {@code KubernetesClient}, an {@code AllocationEngine} and
 * a {@code Clock} from the parent injector.
 */
public final class HarvesterDialectModule extends DialectModule {
  @Override
  public String name() {
    return "harvester";
  }

  /**
   * On by default: its CRDs, RBAC and webhooks ship in {@code config/}. Serving core Services by
   * default surprises nobody: only those whose {@code spec.loadBalancerClass} is ours are touched.
   * A cluster without our CRDs (or with Harvester's own, which would prune the ledger) is not
   * served unless the dialect is named in {@code --adapters}.
   */
  @Override
  public boolean enabledByDefault() {
    return true;
  }

  @Override
  public List<String> requiredCrds() {
    return List.of(
        "ippools.loadbalancer.harvesterhci.io",
        "ippools.networking.harvesterhci.io",
        "loadbalancers.loadbalancer.harvesterhci.io");
  }

  /**
   * The pools' ledger ({@code status.allocations}) is where allocations are committed; Harvester's
   * own IPPool CRDs do not declare it, so the API server would prune every entry.
   */
  @Override
  public List<String> crdDefects(KubernetesClient client) {
    return Crds.ledgerDefects(
        client,
        HarvesterApi.V1BETA1,
        List.of("ippools.loadbalancer.harvesterhci.io", "ippools.networking.harvesterhci.io"),
        "uid",
        "ip");
  }

  @Override
  public List<String> crdResources() {
    return List.of(
        "META-INF/fabric8/ippools.loadbalancer.harvesterhci.io-v1.yml",
        "META-INF/fabric8/ippools.networking.harvesterhci.io-v1.yml",
        "META-INF/fabric8/loadbalancers.loadbalancer.harvesterhci.io-v1.yml");
  }

  /** The pool webhooks of both groups (they read the other pools live) and the LoadBalancer's. */
  @Override
  public List<AdmissionValidator<?>> validators(KubernetesClient client) {
    PoolLookup pools = PoolLookup.live(client);
    return List.of(
        new IPPoolValidator<>(IPPool.class, HarvesterApi.LOADBALANCER_GROUP, pools),
        new IPPoolValidator<>(NetworkingIPPool.class, HarvesterApi.NETWORKING_GROUP, pools),
        new LoadBalancerValidator());
  }

  @Override
  protected void configure() {
    var reconcilers = Multibinder.newSetBinder(binder(), new TypeLiteral<Reconciler<?>>() {});
    reconcilers.addBinding().to(LoadBalancerIPPoolReconciler.class);
    reconcilers.addBinding().to(NetworkingIPPoolReconciler.class);
  }

  @Provides
  @Singleton
  HarvesterDialectParts parts(KubernetesClient client, AllocationEngine engine, Clock clock) {
    PoolWakeups wakeups = new PoolWakeups();
    ClaimRoutes routes = new ClaimRoutes(engine, wakeups);
    ClaimWriters writers =
        new ClaimWriters(
            client, clock, new LoadBalancerWrites(client), new ServiceWrites(client, clock));
    RoutelessNotices notices = new RoutelessNotices(routes, writers);
    routes.tellUnroutedWith(notices);
    return new HarvesterDialectParts(
        engine, clock, routes, wakeups, writers, new LedgerFeed(engine), notices, new KnownPools());
  }
}
