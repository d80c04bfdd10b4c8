package org.ipam.core.engine;

import com.google.inject.AbstractModule;
import java.util.List;
import org.ipam.core.webhook.AdmissionValidator;

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

  /** The CRDs (plural.group) the dialect cannot run without. */
  public abstract List<String> requiredCrds();

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
}
