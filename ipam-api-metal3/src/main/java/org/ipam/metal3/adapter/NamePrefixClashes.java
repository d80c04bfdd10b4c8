package org.ipam.metal3.adapter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.engine.PoolKey;

/**
 * IPAddress names a pool found held by another pool's claim (pools sharing a namePrefix), kept for
 * a while so the pool's Ready condition can say so even when its status is written in a later pass.
 */
public final class NamePrefixClashes {
  static final Duration REMEMBERED = Duration.ofMinutes(2);

  private final Map<PoolKey, Map<String, Instant>> seen = new ConcurrentHashMap<>();

  void seen(PoolKey pool, String clash, Instant now) {
    seen.computeIfAbsent(pool, key -> new ConcurrentHashMap<>()).put(clash, now);
  }

  /** The clashes of the pool seen within {@link #REMEMBERED}, sorted. */
  List<String> recent(PoolKey pool, Instant now) {
    Map<String, Instant> clashes = seen.get(pool);
    if (clashes == null) {
      return List.of();
    }
    clashes.values().removeIf(at -> at.plus(REMEMBERED).isBefore(now));
    List<String> result = new ArrayList<>(clashes.keySet());
    result.sort(null);
    return result;
  }

  void forget(PoolKey pool) {
    seen.remove(pool);
  }
}
