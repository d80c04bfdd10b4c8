package org.ipam.mandelsoft.adapter;

import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import org.ipam.core.engine.Crds;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.webhook.IPAMRangeValidator;
import org.ipam.mandelsoft.webhook.IPAMRequestValidator;
import org.ipam.mandelsoft.webhook.RangeLookup;

/**
 * The kubipam dialect for the controller (a drop-in for mandelsoft/kubipam): IPAMRanges serving the
 * IPAMRequests that name them, and the requests whose range is missing. Needs a {@code
 * KubernetesClient}, an {@code AllocationEngine}, a {@code Clock} and a {@code WatchFilter} from
 * the parent injector. Its rules ({@code org.ipam.mandelsoft.rules}) are served as validating
 * webhooks and, with webhooks off, answered in status.
 */
public final class MandelsoftDialectModule extends DialectModule {
  static final String RANGES_CRD = "ipamranges." + MandelsoftApi.GROUP;
  static final String REQUESTS_CRD = "ipamrequests." + MandelsoftApi.GROUP;

  @Override
  public String name() {
    return "mandelsoft";
  }

  /**
   * On by default: its CRDs, RBAC and webhook entries ship in {@code config/} (checked by the e2e
   * ManifestsIT). The controller serves it only where its CRDs are installed.
   */
  @Override
  public boolean enabledByDefault() {
    return true;
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

  /**
   * The request finalizer, put on an IPAMRequest as it is created when the range it names is one
   * this process serves and the watch filter admits the request (the request reconciler's rule).
   */
  @Override
  public List<org.ipam.core.webhook.ClaimFinalizerWebhook> finalizerWebhooks(
      java.util.function.Predicate<org.ipam.core.engine.PoolKey> servedPools,
      org.ipam.core.engine.WatchFilter watchFilter) {
    return List.of(
        new org.ipam.core.webhook.ClaimFinalizerWebhook(
            name(),
            new AdmissionValidator.Target(
                MandelsoftApi.GROUP, MandelsoftApi.VERSION, "ipamrequests", "IPAMRequest"),
            MandelsoftApi.FINALIZER,
            (namespace, request) -> {
              String range =
                  org.ipam.core.webhook.ClaimFinalizerWebhook.text(request, "spec", "ipam", "name");
              String rangeNamespace =
                  org.ipam.core.webhook.ClaimFinalizerWebhook.text(
                      request, "spec", "ipam", "namespace");
              return !range.isEmpty()
                  && watchFilter.admits(org.ipam.core.webhook.ClaimFinalizerWebhook.labels(request))
                  && servedPools.test(
                      MandelsoftRecords.rangeKey(
                          rangeNamespace.isEmpty() ? namespace : rangeNamespace, range));
            }));
  }

  /** The range's webhook, and the request's (which reads the range it names, live). */
  @Override
  public List<AdmissionValidator<?>> validators(KubernetesClient client) {
    return List.of(new IPAMRangeValidator(), new IPAMRequestValidator(RangeLookup.live(client)));
  }

  @Override
  protected void configure() {
    var reconcilers = Multibinder.newSetBinder(binder(), new TypeLiteral<Reconciler<?>>() {});
    reconcilers.addBinding().to(IPAMRangeReconciler.class);
    reconcilers.addBinding().to(IPAMRequestReconciler.class);
    bind(KnownRanges.class).in(Singleton.class);
  }
}
