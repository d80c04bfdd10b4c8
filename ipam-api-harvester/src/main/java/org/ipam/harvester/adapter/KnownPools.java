package org.ipam.harvester.adapter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
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

  /** The pools a live list showed at start; one a reconciler saw already is kept as it saw it. */
  void seenAll(List<? extends HarvesterIPPool> listed) {
    listed.forEach(pool -> pools.putIfAbsent(key(pool), pool));
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
    List<String> problems = new ArrayList<>(PoolRules.check(pool, null, older));
    problems.addAll(coversHeld(pool, ranges));
    return problems.isEmpty() ? ranges : ranges.refused(String.join("; ", problems));
  }

  /**
   * The addresses other pools hold (newer ones and those being deleted too) that this pool's ranges
   * cover: each pool has its own allocator, so nothing else would keep this one from handing them
   * out again (an older pool edited over a newer one's addresses while webhooks are off). Only
   * pools whose ranges overlap this one's are searched.
   */
  private List<String> coversHeld(HarvesterIPPool pool, PoolRanges ranges) {
    List<String> problems = new ArrayList<>();
    List<Segment> mine = ranges.allocator().segments();
    for (HarvesterIPPool other : pools.values()) {
      if (key(other).equals(key(pool)) || !overlaps(mine, other)) {
        continue;
      }
      List<Ip> held = new ArrayList<>();
      HarvesterRecords.entriesOf(other).forEach(e -> held.add(e.addresses().first()));
      HarvesterRecords.foreignOf(other).forEach(h -> held.add(h.addresses().first()));
      for (Ip ip : held) {
        if (mine.stream().anyMatch(segment -> segment.range().contains(ip))) {
          problems.add(
              pool.describe()
                  + ": spec.ranges cover "
                  + ip
                  + ", which "
                  + other.describe()
                  + " holds: this pool hands out nothing new until they no longer overlap");
          break;
        }
      }
    }
    return problems;
  }

  private static boolean overlaps(List<Segment> mine, HarvesterIPPool other) {
    PoolRanges theirs = PoolRanges.of(other);
    if (!theirs.usable()) {
      return true; // its ranges do not parse: search what it holds all the same
    }
    return theirs.allocator().segments().stream()
        .anyMatch(t -> mine.stream().anyMatch(m -> m.range().overlaps(t.range())));
  }

  private static String key(HarvesterIPPool pool) {
    return pool.group() + "/" + pool.getMetadata().getName();
  }
}
