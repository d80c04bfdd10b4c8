package org.ipam.core.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.plan.DialectPlanner;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.ConversionHandler;

/**
 * What a dialect module contributes to the controller, found with {@link java.util.ServiceLoader}:
 * its name (as {@code --adapters} spells it), the CRDs it needs, its validating webhooks, and a
 * Guice module. The module binds the dialect's reconcilers into a {@code Set<Reconciler<?>>} with
 * Multibinder; the controller builds one child injector per enabled dialect, so a dialect whose
 * CRDs are missing can be left out without touching the others.
 */
public abstract class DialectModule extends AbstractModule {
  /** For example {@code metal3}. */
  public abstract String name();

  /**
   * Whether the controller serves the dialect when {@code --adapters} names none. A dialect whose
   * deploy manifests (CRDs, RBAC, webhook entries) are not shipped yet says no: a cluster that has
   * another controller's CRDs of that API would otherwise find this controller serving them without
   * being asked, with no permission to. Named in {@code --adapters}, it is served all the same.
   */
  public boolean enabledByDefault() {
    return true;
  }

  /** The CRDs (plural.group) the dialect cannot run without. */
  public abstract List<String> requiredCrds();

  /**
   * What makes the installed CRDs unsafe for this dialect although they are there, one sentence per
   * defect naming the CRD; empty when there is none. A dialect that commits to a field of its own
   * says here when the installed schema would prune that field (another controller's CRDs, an old
   * version of ours): serving then would let two writers both win. Asked after {@link
   * #requiredCrds()} are found installed.
   */
  public List<String> crdDefects(KubernetesClient client) {
    return List.of();
  }

  /**
   * Class-path resources of the CRD manifests to install in local mode, in order (the generated
   * {@code META-INF/fabric8/*-v1.yml} files).
   */
  public abstract List<String> crdResources();

  /**
   * The dialect's validating webhooks, served by the controller's HTTPS server. They check one
   * object at a time and need nothing injected, so they are plain objects, not Guice bindings.
   */
  public List<AdmissionValidator<?>> validators() {
    return List.of();
  }

  /**
   * The validating webhooks as the controller serves them, given its client: for a dialect whose
   * webhooks must read what is in use (the in-cluster pools refuse a delete while IPAddresses name
   * them). By default {@link #validators()}.
   */
  public List<AdmissionValidator<?>> validators(KubernetesClient client) {
    return validators();
  }

  /**
   * The mutating webhooks that put the dialect's finalizer on its claims as they are created (one
   * controller write less per claim); empty for none. A claim gets it only when the pool it names
   * is one {@code servedPools} says this process serves, and the dialect's reconcilers admit it
   * ({@code watchFilter}, for a dialect that honours it).
   */
  public List<org.ipam.core.webhook.ClaimFinalizerWebhook> finalizerWebhooks(
      java.util.function.Predicate<PoolKey> servedPools, WatchFilter watchFilter) {
    return List.of();
  }

  /**
   * The paths of the dialect's validating and claim finalizer webhooks, as the shipped manifests
   * register them: for a controller that does not run this dialect to tell its reviews apart.
   */
  public List<String> webhookPaths(KubernetesClient client) {
    List<String> paths = new java.util.ArrayList<>();
    validators(client).forEach(v -> paths.add(v.path()));
    finalizerWebhooks(pool -> false, WatchFilter.NONE).forEach(f -> paths.add(f.path()));
    return paths;
  }

  /**
   * The dialect's conversion webhooks, for kinds its CRDs serve in two versions (they name the
   * controller's {@link ConversionHandler#path()} with {@code strategy: Webhook}); empty for none.
   */
  public List<ConversionHandler> conversions() {
    return List.of();
  }

  /**
   * The dialect's part of {@code ipam-controller plan} (its objects validated and allocated from
   * files, with no cluster); empty for a dialect that has none yet.
   */
  public Optional<DialectPlanner> planner() {
    return Optional.empty();
  }

  /**
   * Registers the dialect's reconcilers on an operator: the one way a dialect joins one, the
   * controller binary's and an operator of one's own that uses the dialect as a library
   * (docs/library.md) alike. {@code parent} gives what the reconcilers need injected ({@link
   * OperatorStartup#parent}); {@code namespaces} are those to watch, empty for all. Call before
   * {@code operator.start()}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public final Set<Reconciler<?>> register(
      Operator operator, Injector parent, Set<String> namespaces) {
    Set<Reconciler<?>> reconcilers = OperatorStartup.reconcilers(parent, this);
    for (Reconciler<?> reconciler : reconcilers) {
      if (namespaces.isEmpty()) {
        operator.register((Reconciler) reconciler);
      } else {
        io.javaoperatorsdk.operator.RegisteredController<?> registered =
            operator.register(
                (Reconciler) reconciler,
                o -> ((ControllerConfigurationOverrider) o).settingNamespaces(namespaces));
        Class<?> primary = registered.getConfiguration().getResourceClass();
        if (!io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(primary)) {
          // Known limit: a cluster-scoped pool (the Global ones) limited to namespaces is never
          // listed. Said at start rather than leaving its claims waiting without a word.
          org.slf4j.LoggerFactory.getLogger(DialectModule.class)
              .warn(
                  "--namespaces {}: {} is cluster-scoped and is not served when namespaces are"
                      + " given (its claims wait); run without --namespaces to serve it",
                  namespaces,
                  io.fabric8.kubernetes.api.model.HasMetadata.getKind(
                      (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>) primary));
        }
      }
    }
    return reconcilers;
  }
}
