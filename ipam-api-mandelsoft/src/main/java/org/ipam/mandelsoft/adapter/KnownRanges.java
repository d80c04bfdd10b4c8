package org.ipam.mandelsoft.adapter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.engine.PoolKey;

/**
 * The ranges the range reconciler has seen and not yet seen deleted: the request reconciler asks
 * here before it reads a range live, so that a burst of new requests of an existing range costs no
 * GET each. A range not known here (not seen yet after a start, or gone) is read live.
 */
final class KnownRanges {
  private final Set<PoolKey> ranges = ConcurrentHashMap.newKeySet();

  void seen(PoolKey range) {
    ranges.add(range);
  }

  void gone(PoolKey range) {
    ranges.remove(range);
  }

  boolean exists(PoolKey range) {
    return ranges.contains(range);
  }
}
