package org.ipam.incluster.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.AllocationRecord;
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

  /**
   * What the pool has handed out, or empty while it is not known: its IPAddresses, and the entries
   * of its ledger as the stored object ({@code pool}: on UPDATE pass the old object) records them,
   * since an allocation is committed to the ledger before its IPAddress is created.
   */
  final Optional<List<InUseAddresses.AddressInUse>> inUse(T pool) {
    Optional<List<InUseAddresses.AddressInUse>> addresses = inUse.of(poolRef(pool));
    if (addresses.isEmpty()) {
      return addresses;
    }
    List<InUseAddresses.AddressInUse> all = new ArrayList<>(addresses.get());
    Set<String> seen = new HashSet<>();
    for (InUseAddresses.AddressInUse address : addresses.get()) {
      seen.add(address.namespace() + "/" + address.name() + "=" + address.address());
    }
    for (InUseAddresses.AddressInUse recorded : ledgerEntries(pool)) {
      if (seen.add(recorded.namespace() + "/" + recorded.name() + "=" + recorded.address())) {
        all.add(recorded);
      }
    }
    return Optional.of(all);
  }

  /** The entries of {@code status.allocations}, an address and a prefix (prefix pools) each. */
  private static List<InUseAddresses.AddressInUse> ledgerEntries(
      CustomResource<?, PoolStatus> pool) {
    PoolStatus status = pool.getStatus();
    if (status == null || status.getAllocations() == null) {
      return List.of();
    }
    List<InUseAddresses.AddressInUse> entries = new ArrayList<>();
    for (AllocationRecord record : status.getAllocations()) {
      if (record.getAddress() == null) {
        continue;
      }
      String[] addressAndPrefix = record.getAddress().split("/", 2);
      Integer prefix = null;
      if (addressAndPrefix.length == 2) {
        try {
          prefix = Integer.valueOf(addressAndPrefix[1]);
        } catch (NumberFormatException e) {
          // Written by the controller, so never expected; judged as an address without a prefix.
        }
      }
      String namespace =
          record.getNamespace() != null ? record.getNamespace() : pool.getMetadata().getNamespace();
      entries.add(
          new InUseAddresses.AddressInUse(
              namespace,
              record.getName(),
              addressAndPrefix[0],
              prefix,
              InUseAddresses.AddressInUse.LEDGER));
    }
    return entries;
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
