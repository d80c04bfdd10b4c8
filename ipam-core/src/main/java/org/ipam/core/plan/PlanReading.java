package org.ipam.core.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.core.webhook.FieldProblems;

/**
 * One planner run's reading of its objects, the part every dialect does alike: each object read as
 * its model class, strictly ({@link PlanObject#read}), judged by the dialect's webhook as on
 * CREATE, remembered with the place it was read, and every problem kept as a {@link Finding} that
 * names object, field and value. A dialect's planner uses one for each {@code plan} call.
 */
public final class PlanReading {
  private final List<Finding> findings = new ArrayList<>();

  // By identity: a claim's uid is filled in after it is read, which would change its hash.
  private final Map<HasMetadata, PlanObject> sourceOf = new IdentityHashMap<>();

  private final Map<Object, String> definedAt = new HashMap<>();

  public List<Finding> findings() {
    return List.copyOf(findings);
  }

  public void error(PlanObject object, String message) {
    findings.add(Finding.error(object.source(), message));
  }

  public void warning(PlanObject object, String message) {
    findings.add(Finding.warning(object.source(), message));
  }

  /** Where a model object read by this run came from. */
  public PlanObject source(HasMetadata model) {
    PlanObject object = sourceOf.get(model);
    if (object == null) {
      throw new IllegalArgumentException(FieldProblems.describe(model) + " was not read by plan");
    }
    return object;
  }

  /**
   * The object as its model class; empty when it does not fit the class, with the error that says
   * which field and value (an object that does not read is not judged further).
   */
  public <T extends HasMetadata> Optional<T> model(PlanObject object, Class<T> type) {
    PlanObject.Read<T> read = object.read(type);
    if (read.problem() != null) {
      error(object, read.problem());
      return Optional.empty();
    }
    return Optional.of(readFrom(read.value(), object));
  }

  /**
   * Records a model object made from what was read (a served older version converted to the one the
   * webhook judges) as read from that object.
   */
  public <T extends HasMetadata> T readFrom(T model, PlanObject object) {
    sourceOf.put(model, object);
    return model;
  }

  /**
   * The webhook's verdict on CREATE: its refusals are errors, its admission warnings warnings.
   * Returns whether the object would be stored (an object refused takes no part in allocation).
   */
  public <T extends HasMetadata> boolean admitted(T model, AdmissionValidator<T> validator) {
    PlanObject object = source(model);
    AdmissionValidator.Verdict verdict = validator.review(model, null);
    verdict.refusals().forEach(line -> error(object, line));
    verdict.warnings().forEach(line -> warning(object, line));
    return verdict.refusals().isEmpty();
  }

  /** The object as its model class, if it reads and the webhook admits it. */
  public <T extends HasMetadata> Optional<T> validated(
      PlanObject object, Class<T> type, AdmissionValidator<T> validator) {
    return model(object, type).filter(model -> admitted(model, validator));
  }

  /**
   * A claim as the engine knows it, by uid: one from a file that has none gets its place in the
   * files as its uid.
   */
  public <T extends HasMetadata> T withUid(T claim) {
    String uid = claim.getMetadata().getUid();
    if (uid == null || uid.isEmpty()) {
      claim.getMetadata().setUid("plan:" + source(claim).source());
    }
    return claim;
  }

  /**
   * Whether an object of this identity (kind, namespace and name, as the dialect keys it) was read
   * before; if so, this one is an error that says where the first is, and takes no part.
   */
  public boolean definedTwice(Object identity, HasMetadata model) {
    PlanObject object = source(model);
    String earlier = definedAt.putIfAbsent(identity, object.source());
    if (earlier == null) {
      return false;
    }
    error(
        object,
        FieldProblems.describe(model)
            + ": defined twice, also at "
            + earlier
            + " (the later one wins)");
    return true;
  }

  /**
   * A claim whose pool is not among the valid pools of the files: it would wait. Names the field,
   * the pool and, for a pool the webhook refused, where that pool was read.
   *
   * @param poolNamespace the namespace the pool is looked up in; null for a cluster-scoped kind
   * @param refusedAt where a refused pool of that name was read; null when there is none
   */
  public void claimWaits(
      HasMetadata claim,
      String field,
      String poolKind,
      String poolNamespace,
      String poolName,
      String refusedAt) {
    String pool = poolKind + " " + (poolNamespace == null ? "" : poolNamespace + "/") + poolName;
    error(
        source(claim),
        FieldProblems.describe(claim)
            + ": "
            + field
            + " \""
            + poolName
            + "\" "
            + (refusedAt != null
                ? "names " + pool + ", refused (" + refusedAt + ")"
                : "names no "
                    + poolKind
                    + (poolNamespace == null ? "" : " of namespace " + poolNamespace)
                    + " in the files")
            + ": the claim would wait");
  }

  /**
   * An address object whose pool is not among the valid pools of the files: a warning, as what it
   * holds cannot be placed.
   */
  public void addressWithoutPool(HasMetadata address, String field, String poolKind, String name) {
    warning(
        source(address),
        FieldProblems.describe(address)
            + ": "
            + field
            + " \""
            + name
            + "\" names no valid "
            + poolKind
            + " in the files: its address is left out of the plan");
  }
}
