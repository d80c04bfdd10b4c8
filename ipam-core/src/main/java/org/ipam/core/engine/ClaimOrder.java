package org.ipam.core.engine;

import java.time.Instant;
import java.util.Comparator;

/**
 * The order pending claims are served in: creation time, then namespace, then name, then kind and
 * uid. Deterministic, so the same objects get the same addresses whatever order events arrived in.
 */
public final class ClaimOrder {
  public static final Comparator<ClaimFacts> OLDEST_FIRST =
      Comparator.comparing(
              ClaimFacts::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(
              ClaimFacts::namespace, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
          .thenComparing(ClaimFacts::name)
          .thenComparing(f -> f.id().kind())
          .thenComparing(ClaimFacts::uid);

  private ClaimOrder() {}
}
