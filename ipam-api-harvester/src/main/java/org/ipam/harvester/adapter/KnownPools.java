package org.ipam.harvester.adapter;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.pool.PoolRanges;
import org.ipam.harvester.webhook.PoolRules;

/**
 * The pools of both groups as their reconcilers last saw them, for the webhook's pool rules when
 * webhooks are off: a pool that conflicts with an older one (overlapping ranges, a priority or
 * scope taken, a second global pool) hands out nothing new and says why on its Ready condition,
 * while the older one serves on. The older is the one created first (then by group and name), so
 * every controller picks the same one: the one a webhook would have admitted.
 */
final class KnownPools {
  private static final Comparator<HarvesterIPPool> AGE =
      Comparator.comparing((HarvesterIPPool p) -> p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.group() + "/" + p.getMetadata().getName());

  private final Map<String, HarvesterIPPool> pools = new ConcurrentHashMap<>();

  void seen(HarvesterIPPool pool) {
    pools.put(key(pool), pool);
  }

  void gone(HarvesterIPPool pool) {
    pools.remove(key(pool));
  }

  /** The pool's ranges, refused when it conflicts with an older pool. */
  PoolRanges judged(HarvesterIPPool pool, PoolRanges ranges) {
    if (!ranges.usable()) {
      return ranges;
    }
    List<HarvesterIPPool> older =
        pools.values().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> AGE.compare(p, pool) < 0)
            .toList();
    List<String> problems = PoolRules.check(pool, null, older);
    return problems.isEmpty() ? ranges : ranges.refused(String.join("; ", problems));
  }

  private static String key(HarvesterIPPool pool) {
    return pool.group() + "/" + pool.getMetadata().getName();
  }
}
