package org.ipam.mandelsoft.adapter;

import java.time.Instant;
import java.util.Optional;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.Timestamps;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.model.ObjectReference;

/** kubipam objects as the engine knows them: which range a request names, requests as claims. */
public final class MandelsoftRecords {
  static final String DIALECT = "mandelsoft";

  private MandelsoftRecords() {}

  public static PoolKey rangeKey(String namespace, String name) {
    return new PoolKey(DIALECT, namespace, name);
  }

  /**
   * The range a request names: {@code spec.ipam.namespace}, or the request's own namespace when it
   * is empty (upstream's vendored {@code RelativeTo} turned an explicit namespace into {@code
   * <ns>/<ns>}: reference/mandelsoft.md 1.3; fixed here).
   */
  public static Optional<PoolKey> rangeOf(IPAMRequest request) {
    if (request.getSpec() == null || request.getSpec().getIpam() == null) {
      return Optional.empty();
    }
    ObjectReference ref = request.getSpec().getIpam();
    if (ref.getName() == null || ref.getName().isEmpty()) {
      return Optional.empty();
    }
    String namespace =
        ref.getNamespace() == null || ref.getNamespace().isEmpty()
            ? request.getMetadata().getNamespace()
            : ref.getNamespace();
    return Optional.of(rangeKey(namespace, ref.getName()));
  }

  public static ClaimFacts facts(IPAMRequest request) {
    var metadata = request.getMetadata();
    return new ClaimFacts(
        new ClaimId(
            MandelsoftApi.REQUEST_KIND,
            metadata.getNamespace(),
            metadata.getName(),
            metadata.getUid()),
        null,
        Timestamps.parseOr(metadata.getCreationTimestamp(), Instant.EPOCH),
        metadata.getDeletionTimestamp() != null);
  }

  /** {@code IPAMRange <ns>/<name>}, as messages name a range. */
  static String describeRange(PoolKey key) {
    return MandelsoftApi.RANGE_KIND + " " + key.namespace() + "/" + key.name();
  }
}
