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
import org.ipam.core.engine.DialectModule;
import org.ipam.core.engine.LedgerFeed;

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

  @Override
  public List<String> requiredCrds() {
    return List.of(
        "ippools.loadbalancer.harvesterhci.io",
        "ippools.networking.harvesterhci.io",
        "loadbalancers.loadbalancer.harvesterhci.io");
  }

  @Override
  public List<String> crdResources() {
    return List.of(
        "META-INF/fabric8/ippools.loadbalancer.harvesterhci.io-v1.yml",
        "META-INF/fabric8/ippools.networking.harvesterhci.io-v1.yml",
        "META-INF/fabric8/loadbalancers.loadbalancer.harvesterhci.io-v1.yml");
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
        engine, clock, routes, wakeups, writers, new LedgerFeed(engine), notices);
  }
}
