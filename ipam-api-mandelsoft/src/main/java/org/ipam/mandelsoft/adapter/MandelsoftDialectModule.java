package org.ipam.mandelsoft.adapter;

import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import org.ipam.core.engine.Crds;
import org.ipam.core.engine.DialectModule;
import org.ipam.mandelsoft.model.MandelsoftApi;

/**
 * The kubipam dialect for the controller (a drop-in for mandelsoft/kubipam): IPAMRanges serving the
 * IPAMRequests that name them, and the requests whose range is missing. Needs a {@code
 * KubernetesClient}, an {@code AllocationEngine}, a {@code Clock} and a {@code WatchFilter} from
 * the parent injector. Its validating webhook rules exist ({@code org.ipam.mandelsoft.rules}) and
 * are answered in status; they are not served as webhooks yet.
 */
public final class MandelsoftDialectModule extends DialectModule {
  static final String RANGES_CRD = "ipamranges." + MandelsoftApi.GROUP;
  static final String REQUESTS_CRD = "ipamrequests." + MandelsoftApi.GROUP;

  @Override
  public String name() {
    return "mandelsoft";
  }

  /** Off unless named in {@code --adapters}: its deploy manifests and RBAC are not shipped yet. */
  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public List<String> requiredCrds() {
    return List.of(RANGES_CRD, REQUESTS_CRD);
  }

  /**
   * The ranges' ledger ({@code status.allocations}) is where allocations are committed; upstream's
   * CRD does not declare it, so the API server would prune every entry and two controllers could
   * both hand out one block.
   */
  @Override
  public List<String> crdDefects(KubernetesClient client) {
    return Crds.ledgerDefects(client, MandelsoftApi.VERSION, List.of(RANGES_CRD), "uid", "cidr");
  }

  @Override
  public List<String> crdResources() {
    return List.of(
        "META-INF/fabric8/" + RANGES_CRD + "-v1.yml",
        "META-INF/fabric8/" + REQUESTS_CRD + "-v1.yml");
  }

  @Override
  protected void configure() {
    var reconcilers = Multibinder.newSetBinder(binder(), new TypeLiteral<Reconciler<?>>() {});
    reconcilers.addBinding().to(IPAMRangeReconciler.class);
    reconcilers.addBinding().to(IPAMRequestReconciler.class);
  }
}
