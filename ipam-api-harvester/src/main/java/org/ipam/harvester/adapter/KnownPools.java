package org.ipam.harvester.adapter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.ipam.core.alloc.Segment;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.pool.PoolRanges;
import org.ipam.harvester.webhook.PoolRules;

/**
 * The pools of both groups as their reconcilers last saw them, for the webhook's pool rules when
 * webhooks are off: a pool that conflicts with an older one (a priority or scope taken, a second
 * global pool) hands out nothing new and says why on its Ready condition, while the older one
 * serves on. The older is the one created first (then by group and name), so every controller picks
 * the same one: the one a webhook would have admitted. Where ranges overlap, the older pool hands
 * out nothing of the newer one's ranges either: two pools created at once may each miss the other.
 * A pool of the other group with the same name is left out: one of the two is shadowed and hands
 * out nothing (docs/compat/harvester.md).
 */
final class KnownPools {
  private static final Comparator<HarvesterIPPool> AGE =
      Comparator.comparing((HarvesterIPPool p) -> p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> p.group() + "/" + p.getMetadata().getName());

  private final Map<String, HarvesterIPPool> pools = new ConcurrentHashMap<>();

  /** Per pool, the uid and generation a live list was last taken for. */
  private final Map<String, String> listedFor = new ConcurrentHashMap<>();

  void seen(HarvesterIPPool pool) {
    pools.put(key(pool), pool);
  }

  /**
   * The pools a live list showed at start; one a reconciler saw already is kept as it saw it. The
   * list counts as each listed pool's own {@link #listOnceFor}: it was taken after they were made.
   */
  void seenAll(List<? extends HarvesterIPPool> listed) {
    listed.forEach(
        pool -> {
          pools.putIfAbsent(key(pool), pool);
          listedFor.putIfAbsent(key(pool), versionOf(pool));
        });
  }

  /**
   * Once per spec generation of {@code pool}, before it is judged: every pool as a live list shows
   * it, so that a pool created a moment before this one is known though its own pass has not run.
   * Of two pools created at once, at least one lists the other (each lists after its own create). A
   * listed pool replaces what is known of it only if newer; nothing is removed (a pool goes on its
   * delete event), so a slow list cannot undo what another pass learnt meanwhile. A list that fails
   * is taken again on the next pass.
   */
  void listOnceFor(HarvesterIPPool pool, Supplier<List<HarvesterIPPool>> live) {
    String version = versionOf(pool);
    if (version.equals(listedFor.get(key(pool)))) {
      return;
    }
    for (HarvesterIPPool other : live.get()) {
      if (!key(other).equals(key(pool))) {
        pools.merge(key(other), other, KnownPools::newer);
      }
    }
    listedFor.put(key(pool), version);
  }

  private static HarvesterIPPool newer(HarvesterIPPool known, HarvesterIPPool listed) {
    return LedgerFeed.olderThan(
            known.getMetadata().getResourceVersion(), listed.getMetadata().getResourceVersion())
        ? listed
        : known;
  }

  private static String versionOf(HarvesterIPPool pool) {
    return pool.getMetadata().getUid() + "/" + pool.getMetadata().getGeneration();
  }

  /**
   * The pool is gone. Only that very pool (by uid): a late delete of a pool whose name a new pool
   * has taken since must not make the new one unknown (the others would no longer be judged against
   * what it holds).
   */
  void gone(HarvesterIPPool pool) {
    String uid = pool.getMetadata().getUid();
    pools.computeIfPresent(
        key(pool),
        (key, known) -> java.util.Objects.equals(known.getMetadata().getUid(), uid) ? null : known);
    if (!pools.containsKey(key(pool))) {
      listedFor.remove(key(pool));
    }
  }

  /** Whether the pool hands out nothing new: its own spec, or its judgement among the others. */
  boolean refuses(HarvesterIPPool pool) {
    return !judged(pool, PoolRanges.of(pool)).usable();
  }

  /**
   * The pool's ranges: refused when it conflicts with an older pool; without the addresses a newer
   * pool's ranges cover while that pool's spec is usable, refused or not. Each pool has its own
   * ledger, and nothing else keeps two pools apart: the newer one is refused for the overlap once
   * it sees this one, but it may have served before it did (two pools created within a second, or
   * one held in admission, may each miss the other; an edit is seen a moment late), and no
   * controller can tell for sure that it never did. So the overlap stays out of both pools while
   * both exist (docs/compat/harvester.md row 44).
   */
  PoolRanges judged(HarvesterIPPool pool, PoolRanges ranges) {
    if (!ranges.usable()) {
      return ranges;
    }
    List<HarvesterIPPool> others =
        pools.values().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> !p.getMetadata().getName().equals(pool.getMetadata().getName()))
            .toList();
    List<HarvesterIPPool> older = others.stream().filter(p -> AGE.compare(p, pool) < 0).toList();
    List<String> problems = new ArrayList<>(PoolRules.conflicts(pool, older));
    problems.addAll(coversHeld(pool, ranges));
    if (!problems.isEmpty()) {
      return ranges.refused(String.join("; ", problems));
    }
    List<Segment> mine = ranges.allocator().segments();
    List<IpRange> newerOverlap = new ArrayList<>();
    others.stream()
        .filter(p -> AGE.compare(p, pool) > 0)
        .map(PoolRanges::of)
        .filter(PoolRanges::usable)
        .flatMap(theirs -> theirs.allocator().segments().stream())
        .map(Segment::range)
        .filter(theirs -> mine.stream().anyMatch(m -> m.range().overlaps(theirs)))
        .forEach(newerOverlap::add);
    return ranges.excluding(newerOverlap);
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
