package org.ipam.harvester.webhook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.ScopeTuple;
import org.ipam.harvester.pool.PoolRanges;
import org.ipam.harvester.select.PoolCandidate;

/**
 * What makes an IPPool unacceptable (reference 4.2), as pure functions of the pool, the stored one
 * it replaces and the other pools of both groups. Each problem is one line naming the pool, the
 * field and the value. Upstream refuses the same things, with an HTTP 500 and Go struct dumps:
 *
 * <ul>
 *   <li>its own spec: at least one range, each valid (subnet, start, end, gateway), one family, no
 *       two ranges overlapping, a scope of one of the two forms whose entries do not overlap;
 *   <li>its ranges overlap no other pool's;
 *   <li>a non-zero priority is no other pool's; at priority 0, no other pool of priority 0 on the
 *       same network serves a scope entry of its;
 *   <li>one global pool per network (the one with no network serves every network);
 *   <li>on update, every address it holds stays inside its ranges;
 *   <li>on delete, it holds no address.
 * </ul>
 */
public final class PoolRules {
  private PoolRules() {}

  /**
   * The problems of {@code pool}, about to be stored over {@code stored} (null on create), among
   * {@code others} (every other pool of both groups; the pool itself left out).
   */
  public static List<String> check(
      HarvesterIPPool pool, HarvesterIPPool stored, Collection<? extends HarvesterIPPool> others) {
    List<String> problems = new ArrayList<>();
    PoolRanges ranges = PoolRanges.of(pool);
    if (!ranges.usable()) {
      problems.add(ranges.problem());
      return problems; // the cross-pool rules need ranges and a scope that parse
    }
    String name = pool.describe();
    List<HarvesterIPPool> sorted = byName(others, pool);
    if (stored == null) {
      sameNameInOtherGroup(name, pool, others, problems);
    }
    overlaps(name, ranges, sorted, problems);
    selector(name, pool, sorted, problems);
    if (stored != null) {
      keepsHeld(name, ranges, stored, problems);
    }
    return problems;
  }

  /**
   * What a controller checks with webhooks off, where no webhook ordered the pools' writes: the
   * rules a webhook would have applied to {@code pool} against the {@code older} pools (ranges,
   * priority, scope, global role), leaving out the name rule (a pool of a name taken in the other
   * group is shadowed instead).
   */
  public static List<String> conflicts(
      HarvesterIPPool pool, Collection<? extends HarvesterIPPool> older) {
    List<String> problems = new ArrayList<>();
    PoolRanges ranges = PoolRanges.of(pool);
    if (!ranges.usable()) {
      problems.add(ranges.problem());
      return problems;
    }
    List<HarvesterIPPool> sorted = byName(older, pool);
    overlaps(pool.describe(), ranges, sorted, problems);
    selector(pool.describe(), pool, sorted, problems);
    return problems;
  }

  private static List<HarvesterIPPool> byName(
      Collection<? extends HarvesterIPPool> others, HarvesterIPPool pool) {
    return others.stream()
        .<HarvesterIPPool>map(o -> o)
        .filter(o -> !sameObject(o, pool))
        .sorted(Comparator.comparing(o -> o.getMetadata().getName()))
        .toList();
  }

  /** The problem with deleting a pool: it still holds addresses. */
  public static List<String> checkDelete(HarvesterIPPool stored) {
    Map<String, String> held = held(stored);
    if (held.isEmpty()) {
      return List.of();
    }
    Map.Entry<String, String> first = held.entrySet().iterator().next();
    return List.of(
        stored.describe()
            + ": cannot be deleted while it holds "
            + held.size()
            + " address"
            + (held.size() == 1 ? "" : "es")
            + " (status.allocated \""
            + first.getKey()
            + "\" is "
            + first.getValue()
            + "'s): release them first");
  }

  /**
   * A LoadBalancer's {@code spec.ipPool} names a pool by name alone, so the pools of both groups
   * share one name space: a second pool of a name taken in the other group would shadow one of them
   * (docs/compat/harvester.md).
   */
  private static void sameNameInOtherGroup(
      String name,
      HarvesterIPPool pool,
      Collection<? extends HarvesterIPPool> others,
      List<String> problems) {
    for (HarvesterIPPool other : others) {
      if (other.getMetadata().getName().equals(pool.getMetadata().getName())
          && !Objects.equals(other.group(), pool.group())) {
        problems.add(
            name
                + ": metadata.name \""
                + pool.getMetadata().getName()
                + "\" is taken by "
                + other.describe()
                + " (spec.ipPool names a pool by name, whatever its group)");
      }
    }
  }

  private static boolean sameObject(HarvesterIPPool a, HarvesterIPPool b) {
    return a.getMetadata().getName().equals(b.getMetadata().getName())
        && Objects.equals(a.group(), b.group());
  }

  private static void overlaps(
      String name, PoolRanges ranges, List<HarvesterIPPool> others, List<String> problems) {
    List<Segment> mine = ranges.allocator().segments();
    for (HarvesterIPPool other : others) {
      PoolRanges theirs = PoolRanges.of(other);
      if (!theirs.usable()) {
        continue;
      }
      List<Segment> segments = theirs.allocator().segments();
      for (int i = 0; i < mine.size(); i++) {
        for (int j = 0; j < segments.size(); j++) {
          if (mine.get(i).range().overlaps(segments.get(j).range())) {
            problems.add(
                name
                    + ": spec.ranges["
                    + i
                    + "] \""
                    + mine.get(i).range()
                    + "\" overlaps spec.ranges["
                    + j
                    + "] \""
                    + segments.get(j).range()
                    + "\" of "
                    + other.describe());
          }
        }
      }
    }
  }

  private static void selector(
      String name, HarvesterIPPool pool, List<HarvesterIPPool> others, List<String> problems) {
    PoolCandidate me = PoolCandidate.of(pool);
    if (me.isGlobal()) {
      for (HarvesterIPPool other : others) {
        PoolCandidate them = PoolCandidate.of(other);
        if (them.isGlobal() && them.network().equals(me.network())) {
          problems.add(
              name
                  + ": spec.selector.scope \"*/*/*\" makes it a global pool"
                  + (me.network().isEmpty() ? "" : " of network " + me.network())
                  + ", and "
                  + other.describe()
                  + " is that already: one global pool per network");
        }
      }
      return;
    }
    List<ScopeTuple> scope = me.scope();
    for (int i = 0; i < scope.size(); i++) {
      for (int j = i + 1; j < scope.size(); j++) {
        if (overlap(scope.get(i), scope.get(j))) {
          problems.add(
              name
                  + ": spec.selector.scope["
                  + j
                  + "] \""
                  + scope.get(j)
                  + "\" overlaps spec.selector.scope["
                  + i
                  + "] \""
                  + scope.get(i)
                  + "\"");
        }
      }
    }
    for (HarvesterIPPool other : others) {
      PoolCandidate them = PoolCandidate.of(other);
      if (them.isGlobal()) {
        continue;
      }
      if (me.priority() != 0 && me.priority() == them.priority()) {
        problems.add(
            name
                + ": spec.selector.priority \""
                + me.priority()
                + "\" is the priority of "
                + other.describe()
                + ": a non-zero priority belongs to one pool");
      } else if (me.priority() == 0
          && them.priority() == 0
          && me.network().equals(them.network())) {
        for (int i = 0; i < scope.size(); i++) {
          ScopeTuple mine = scope.get(i);
          if (them.scope().stream().anyMatch(t -> overlap(mine, t))) {
            problems.add(
                name
                    + ": spec.selector.scope["
                    + i
                    + "] \""
                    + mine
                    + "\" is served by "
                    + other.describe()
                    + " at priority 0 too: set a different priority or scope");
          }
        }
      }
    }
  }

  /** Whether some project, namespace and guest cluster falls in both entries. */
  static boolean overlap(ScopeTuple a, ScopeTuple b) {
    return field(a.project(), b.project())
        && field(a.namespace(), b.namespace())
        && field(a.guestCluster(), b.guestCluster());
  }

  private static boolean field(String a, String b) {
    return "*".equals(a) || "*".equals(b) || a.equals(b);
  }

  /** Every address the stored pool holds stays inside the new ranges. */
  private static void keepsHeld(
      String name, PoolRanges ranges, HarvesterIPPool stored, List<String> problems) {
    for (Map.Entry<String, String> entry : held(stored).entrySet()) {
      Parsed<Ip> ip = IpParser.parseAddress(entry.getKey());
      if (!ip.isValid()) {
        continue;
      }
      boolean inside =
          ranges.allocator().segments().stream()
              .anyMatch(s -> s.range().contains(ip.orElseThrow()));
      if (!inside) {
        problems.add(
            name
                + ": spec.ranges no longer hold \""
                + entry.getKey()
                + "\", the address of "
                + entry.getValue()
                + ": release it first");
      }
    }
  }

  private static Map<String, String> held(HarvesterIPPool pool) {
    return pool.getStatus() == null || pool.getStatus().getAllocated() == null
        ? Map.of()
        : new java.util.TreeMap<>(pool.getStatus().getAllocated());
  }
}
