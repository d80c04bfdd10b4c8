package org.ipam.incluster.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ipam.core.plan.PlanObject;
import org.ipam.core.plan.PlanReading;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.conversion.IPPoolConversion;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha1.GlobalInClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;
import org.ipam.incluster.webhook.IPPoolValidator;
import org.ipam.incluster.webhook.InUseAddresses;
import org.ipam.incluster.webhook.PrefixPoolValidator;

/**
 * Reads the in-cluster pools of a plan as the API server would store them: the four kinds in
 * v1alpha2, and InClusterIPPool and GlobalInClusterIPPool in v1alpha1 too, converted up as the
 * conversion webhook converts them ({@link IPPoolConversion}); then judged by the pool's validating
 * webhook as on CREATE ({@link IPPoolValidator}, {@link PrefixPoolValidator}), which judges the
 * v1alpha2 form whatever version was written.
 */
final class PoolReader {
  /** On CREATE the webhooks ask nothing of the addresses in use. */
  private static final InUseAddresses ON_CREATE = InUseAddresses.none();

  /** A pool that reads, with whether its webhook admits it. */
  record ReadPool(PoolId id, CustomResource<?, PoolStatus> pool, boolean admitted) {}

  private final PlanReading reading;

  PoolReader(PlanReading reading) {
    this.reading = reading;
  }

  /** The pool, or empty when it does not read (the finding says why). */
  Optional<ReadPool> read(PlanObject object) {
    String version = object.apiVersion().substring(object.apiVersion().indexOf('/') + 1);
    boolean v1alpha1 = InClusterApi.V1ALPHA1.equals(version);
    switch (object.kind()) {
      case InClusterApi.IN_CLUSTER_IP_POOL:
        return judged(
            v1alpha1
                ? upgraded(object, InClusterIPPoolV1alpha1.class, IPPoolConversion::toV1alpha2)
                : served(object, version, InClusterIPPool.class, true),
            IPPoolValidator.namespaced(ON_CREATE));
      case InClusterApi.GLOBAL_IN_CLUSTER_IP_POOL:
        return judged(
            v1alpha1
                ? upgraded(
                    object, GlobalInClusterIPPoolV1alpha1.class, IPPoolConversion::toV1alpha2)
                : served(object, version, GlobalInClusterIPPool.class, true),
            IPPoolValidator.global(ON_CREATE));
      case InClusterApi.IN_CLUSTER_PREFIX_POOL:
        return judged(
            served(object, version, InClusterPrefixPool.class, false),
            PrefixPoolValidator.namespaced(ON_CREATE));
      case InClusterApi.GLOBAL_IN_CLUSTER_PREFIX_POOL:
        return judged(
            served(object, version, GlobalInClusterPrefixPool.class, false),
            PrefixPoolValidator.global(ON_CREATE));
      default:
        throw new IllegalArgumentException("not an in-cluster pool kind: " + object.kind());
    }
  }

  private <T extends CustomResource<?, PoolStatus>> Optional<ReadPool> judged(
      Optional<T> pool, AdmissionValidator<T> validator) {
    return pool.map(p -> new ReadPool(PoolId.of(p), p, reading.admitted(p, validator)));
  }

  /**
   * The v1alpha2 pool, when the version is v1alpha2; any other version but v1alpha1 (which the IP
   * pools also serve) is not served, and the API server would answer that it knows no such kind.
   */
  private <T extends HasMetadata> Optional<T> served(
      PlanObject object, String version, Class<T> type, boolean v1alpha1Served) {
    if (InClusterApi.V1ALPHA2.equals(version)) {
      return reading.model(object, type);
    }
    List<String> served =
        v1alpha1Served
            ? List.of(InClusterApi.V1ALPHA2, InClusterApi.V1ALPHA1)
            : List.of(InClusterApi.V1ALPHA2);
    String pool =
        InClusterApi.isGlobal(object.kind())
            ? object.kind() + " " + object.name()
            : object.describe();
    reading.error(
        object,
        pool
            + ": apiVersion \""
            + object.apiVersion()
            + "\" is not served; "
            + object.kind()
            + " is served as "
            + String.join(" and ", served.stream().map(InClusterApi::apiVersion).toList()));
    return Optional.empty();
  }

  /** A v1alpha1 pool converted to v1alpha2, or empty when the conversion refuses it. */
  private <O extends HasMetadata, T extends HasMetadata> Optional<T> upgraded(
      PlanObject object, Class<O> older, Function<O, T> up) {
    return reading
        .model(object, older)
        .flatMap(
            pool -> {
              try {
                T converted = reading.readFrom(up.apply(pool), object);
                reading.warning(
                    object,
                    FieldProblems.describe(converted)
                        + ": apiVersion \""
                        + object.apiVersion()
                        + "\" is deprecated (the API server warns of it); stored as "
                        + InClusterApi.apiVersion(InClusterApi.V1ALPHA2));
                return Optional.of(converted);
              } catch (IllegalArgumentException e) {
                // The message names the pool, spec.subnet and its value.
                reading.error(object, e.getMessage() + " (the v1alpha1 pool does not convert)");
                return Optional.empty();
              }
            });
  }
}
