package org.ipam.incluster.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;

/**
 * What the four pool validators share: the spec rules on CREATE and on an UPDATE that changes the
 * spec, the kind's own update rules, and the delete protection (reference/incluster.md 2.9 and
 * 3.1): a pool that IPAddresses name cannot be deleted, unless it carries {@code
 * ipam.cluster.x-k8s.io/skip-validate-delete-webhook} or clusterctl's {@code
 * clusterctl.cluster.x-k8s.io/delete-for-move}. Served for v1alpha2 with matchPolicy Equivalent, so
 * that v1alpha1 writes are judged after conversion.
 *
 * @param <T> the pool kind
 * @param <S> its spec
 */
abstract class PoolValidator<T extends CustomResource<S, PoolStatus>, S>
    implements AdmissionValidator<T> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Class<T> type;
  private final InUseAddresses inUse;

  PoolValidator(Class<T> type, InUseAddresses inUse) {
    this.type = type;
    this.inUse = inUse;
  }

  /** The spec rules: errors and warnings. */
  abstract SpecFindings checkSpec(T pool);

  /**
   * The rules of an update whose new spec passed {@link #checkSpec}: what the change must not take
   * away.
   */
  abstract void checkUpdate(T pool, T old, FieldProblems problems);

  @Override
  public final Class<T> type() {
    return type;
  }

  @Override
  public final Target target() {
    return new Target(
        InClusterApi.GROUP,
        InClusterApi.V1ALPHA2,
        HasMetadata.getPlural(type),
        HasMetadata.getKind(type));
  }

  @Override
  public final List<String> operations() {
    return List.of("CREATE", "UPDATE", "DELETE");
  }

  @Override
  public final List<String> validate(T pool, T old) {
    return review(pool, old).refusals();
  }

  @Override
  public final Verdict review(T pool, T old) {
    if (specUntouched(pool, old)) {
      return new Verdict(List.of(), List.of());
    }
    SpecFindings findings = checkSpec(pool);
    List<String> refusals = new ArrayList<>(findings.errors());
    if (old != null && refusals.isEmpty()) {
      FieldProblems problems = new FieldProblems(pool);
      checkUpdate(pool, old, problems);
      refusals.addAll(problems.lines());
    }
    return new Verdict(refusals, findings.warnings());
  }

  @Override
  public final List<String> validateDelete(T pool) {
    Map<String, String> annotations = pool.getMetadata().getAnnotations();
    if (annotations != null
        && (annotations.containsKey(InClusterApi.SKIP_DELETE_VALIDATION_ANNOTATION)
            || annotations.containsKey(InClusterApi.DELETE_FOR_MOVE_ANNOTATION))) {
      return List.of();
    }
    FieldProblems problems = new FieldProblems(pool);
    Optional<List<InUseAddresses.AddressInUse>> addresses = inUse(pool);
    if (addresses.isEmpty()) {
      problems.addObjectProblem(
          "cannot be deleted yet: the IPAddresses that name it could not be read, so whether the"
              + " pool is in use is not known; try again in a moment");
    } else if (!addresses.get().isEmpty()) {
      problems.addObjectProblem(
          "Pool has IPAddresses allocated. Cannot delete Pool until all IPAddresses have been"
              + " removed. In use: "
              + EntryChecks.some(
                  addresses.get().stream().map(InUseAddresses.AddressInUse::describe).toList())
              + ". To delete it all the same (clusterctl move does), annotate it "
              + InClusterApi.SKIP_DELETE_VALIDATION_ANNOTATION);
    }
    return problems.lines();
  }

  /** The pool's IPAddresses, or empty while they are not known. */
  final Optional<List<InUseAddresses.AddressInUse>> inUse(T pool) {
    return inUse.of(poolRef(pool));
  }

  final InUseAddresses.PoolRef poolRef(T pool) {
    return new InUseAddresses.PoolRef(
        HasMetadata.getKind(type),
        pool instanceof Namespaced ? pool.getMetadata().getNamespace() : null,
        pool.getMetadata().getName());
  }

  /**
   * Whether an update may pass without its spec being judged again: the spec did not change, or the
   * pool is being deleted. Upstream re-validates every update, so a metadata patch (a label, the
   * controller removing its finalizer) fails while an address in use lies outside the pool.
   */
  private static boolean specUntouched(CustomResource<?, ?> pool, CustomResource<?, ?> old) {
    return old != null
        && (pool.getMetadata().getDeletionTimestamp() != null
            || JSON.valueToTree(pool.getSpec()).equals(JSON.valueToTree(old.getSpec())));
  }
}
