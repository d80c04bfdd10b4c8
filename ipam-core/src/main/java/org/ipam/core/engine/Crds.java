package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs generated CRDs (the {@code META-INF/fabric8/*-v1.yml} files on the class path) and waits
 * until the API server serves them. Used by local mode and by the integration tests alike.
 */
public final class Crds {
  private Crds() {}

  /**
   * Applies each CRD (server-side apply, so it is idempotent) and waits until it is Established.
   */
  public static void install(
      KubernetesClient client, ClassLoader loader, List<String> classpathResources) {
    for (String resource : classpathResources) {
      CustomResourceDefinition crd;
      try (InputStream yaml = loader.getResourceAsStream(resource)) {
        if (yaml == null) {
          throw new IllegalArgumentException("no CRD on the class path at " + resource);
        }
        crd = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      client.resource(crd).serverSideApply();
      client
          .resources(CustomResourceDefinition.class)
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
    }
  }

  /** Which of these CRDs (plural.group) the API server does not have. */
  public static List<String> missing(KubernetesClient client, List<String> names) {
    return names.stream()
        .filter(
            name -> client.resources(CustomResourceDefinition.class).withName(name).get() == null)
        .toList();
  }

  /**
   * Whether the installed CRD {@code name} (plural.group) serves {@code version} and declares, in
   * its schema, the property at {@code path} (for example {@code status}, {@code allocations},
   * {@code []} for an array's items, {@code uid}): whether the API server keeps that field when an
   * object is written in that version. False when the CRD or the version is missing or not served.
   * A step that is not declared is still kept when its object keeps unknown fields ({@code
   * x-kubernetes-preserve-unknown-fields}); a declared step is pruned by its own schema whatever
   * its parent says, so the walk looks the step up first.
   */
  public static boolean declares(
      KubernetesClient client, String name, String version, String... path) {
    return declares(
        client.resources(CustomResourceDefinition.class).withName(name).get(), version, path);
  }

  /** {@link #declares(KubernetesClient, String, String, String...)} of a CRD at hand (or null). */
  public static boolean declares(CustomResourceDefinition crd, String version, String... path) {
    if (crd == null) {
      return false;
    }
    JSONSchemaProps schema =
        crd.getSpec().getVersions().stream()
            .filter(
                served ->
                    served.getName().equals(version) && Boolean.TRUE.equals(served.getServed()))
            .findFirst()
            .map(
                served ->
                    served.getSchema() == null ? null : served.getSchema().getOpenAPIV3Schema())
            .orElse(null);
    for (String step : path) {
      if (schema == null) {
        return false;
      }
      JSONSchemaProps next = child(schema, step);
      if (next == null) {
        return Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
      }
      schema = next;
    }
    return schema != null;
  }

  /**
   * One sentence for each of {@code crds} whose served {@code version} would prune a ledger kept in
   * {@code status.allocations} (its entries' {@code fields}); empty when every one keeps it. For
   * {@link DialectModule#crdDefects} of a dialect that commits to such a ledger: another
   * controller's CRDs for the same API (left installed when replacing it) do not declare it.
   */
  public static List<String> ledgerDefects(
      KubernetesClient client, String version, List<String> crds, String... fields) {
    List<String> defects = new java.util.ArrayList<>();
    for (String crd : crds) {
      for (String field : fields) {
        if (!declares(client, crd, version, "status", "allocations", "[]", field)) {
          defects.add(
              "CRD "
                  + crd
                  + " does not declare status.allocations[]."
                  + field
                  + " in a served "
                  + version
                  + " (the CRD of the controller this one replaces, or an older one of this"
                  + " project): the API server would prune the ledger allocations are committed to;"
                  + " apply this project's CRDs (config/crd)");
          break;
        }
      }
    }
    return defects;
  }

  private static JSONSchemaProps child(JSONSchemaProps schema, String step) {
    if ("[]".equals(step)) {
      return schema.getItems() == null ? null : schema.getItems().getSchema();
    }
    return schema.getProperties() == null ? null : schema.getProperties().get(step);
  }

  /** Whether the CRD is established (its status may not have conditions yet: not yet). */
  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
