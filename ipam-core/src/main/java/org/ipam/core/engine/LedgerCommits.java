package org.ipam.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * The versioned-ledger commit ({@link CommitStrategy#VERSIONED_LEDGER}): a batch of allocations is
 * recorded in the pool's ledger by one write guarded by the resourceVersion of a live read. Each
 * allocation is checked against the ledger as read, not against the engine's cache, so a decision
 * made from a stale view can only lose ({@link CommitOutcome.Taken}), never double an address. A
 * 409 means another writer recorded first: read again and merge again, a few times, then leave the
 * batch to the next pass.
 */
public final class LedgerCommits {
  /**
   * The most entries one ledger takes. An entry of an ordinary Cluster API claim (a 45-character
   * name, a uid, an address; the namespace too in a Global pool) costs about 160 bytes of JSON, so
   * 8,000 stay about 20 % under etcd's 1.5 MiB object limit, with room for the object's other
   * fields. A ledger that may hold more needs shorter entries or another strategy.
   */
  public static final int MAX_ENTRIES = 8_000;

  /** Reads and writes per batch before the batch is left to a later pass (a busy ledger). */
  static final int ATTEMPTS = 3;

  /** An allocation to record for a claim. */
  public record Pending(ClaimId claim, IpRange addresses) {}

  private LedgerCommits() {}

  /**
   * Records every pending allocation the ledger allows, in one write. The outcome per claim uid:
   * {@code Committed} (recorded now, or {@link CommitOutcome.Committed#found found} already
   * recorded for this very claim, as after a lost response or by another writer), {@code Taken} (an
   * entry of another claim overlaps it, or the claim already holds other addresses), {@code Failed}
   * (the ledger is full), {@code Conflict} (the ledger kept changing under us; nothing was
   * recorded). A failure other than a 409 is thrown: the write may or may not have happened, and
   * the engine treats the batch as in doubt.
   */
  public static Map<String, CommitOutcome> record(
      PoolKey pool, LedgerStore store, List<Pending> pending) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Ledger current = store.read();
      if (specChanged(store, current)) {
        // Decided under a spec the pool no longer has: decide again once the cache shows it.
        return allOf(pending, new CommitOutcome.Conflict());
      }
      Index index = new Index(pool, current.entries(), current.foreign());
      List<LedgerEntry> merged = new ArrayList<>(current.entries());
      long used = 0;
      for (LedgerEntry entry : merged) {
        used += store.cost(entry);
      }
      Map<String, CommitOutcome> outcomes = new LinkedHashMap<>();
      for (Pending next : pending) {
        CommitOutcome outcome = index.check(next);
        LedgerEntry entry = LedgerEntry.of(next.claim(), next.addresses());
        if (outcome == null && used + store.cost(entry) > store.capacity()) {
          outcome =
              new CommitOutcome.Failed(
                  "the pool's ledger holds "
                      + merged.size()
                      + " allocations, its limit (etcd's object size): release some first");
        }
        if (outcome == null) {
          used += store.cost(entry);
          merged.add(entry);
          index.add(entry);
          outcome = new CommitOutcome.Committed();
        }
        outcomes.put(next.claim().uid(), outcome);
      }
      if (merged.size() == current.entries().size()) {
        return outcomes;
      }
      Ledger written = write(store, current, merged);
      if (written != null) {
        return notKeptFailed(pool, written, merged, outcomes);
      }
    }
    return allOf(pending, new CommitOutcome.Conflict());
  }

  private static Map<String, CommitOutcome> allOf(List<Pending> pending, CommitOutcome outcome) {
    Map<String, CommitOutcome> all = new LinkedHashMap<>();
    pending.forEach(next -> all.put(next.claim().uid(), outcome));
    return all;
  }

  private static boolean specChanged(LedgerStore store, Ledger current) {
    long decidedAt = store.specGeneration();
    return decidedAt > 0 && current.generation() > 0 && current.generation() != decidedAt;
  }

  /**
   * The outcomes, with every allocation written now but missing from the API's answer turned into
   * {@code Failed}: the API server did not keep it (a schema that prunes the ledger's field, as the
   * CRD of the controller this one replaces does), so nothing was recorded and nothing may be
   * handed out on it.
   */
  private static Map<String, CommitOutcome> notKeptFailed(
      PoolKey pool, Ledger written, List<LedgerEntry> merged, Map<String, CommitOutcome> outcomes) {
    // By claim and addresses: how a dialect spells the rest (a namespace left out) may differ.
    java.util.Set<String> kept = new java.util.HashSet<>();
    written.entries().forEach(entry -> kept.add(entry.claimUid() + "=" + entry.addresses()));
    Map<String, CommitOutcome> checked = new LinkedHashMap<>(outcomes);
    for (LedgerEntry entry : merged) {
      CommitOutcome outcome = checked.get(entry.claimUid());
      if (outcome instanceof CommitOutcome.Committed committed
          && committed.written()
          && !kept.contains(entry.claimUid() + "=" + entry.addresses())) {
        checked.put(
            entry.claimUid(),
            new CommitOutcome.Failed(
                "the API server did not keep the allocation of "
                    + entry.addresses()
                    + " in "
                    + pool
                    + "'s ledger (does its CRD declare the ledger field? the controller this one"
                    + " replaces has CRDs that do not): apply this project's CRDs"));
      }
    }
    return checked;
  }

  /**
   * Removes every entry that {@code gone} selects, in one write. Returns true once the ledger holds
   * none of them (written now, or none was there), false when it kept changing under us.
   */
  public static boolean remove(LedgerStore store, Predicate<LedgerEntry> gone) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Ledger current = store.read();
      List<LedgerEntry> kept = current.entries().stream().filter(gone.negate()).toList();
      if (kept.size() == current.entries().size()) {
        return true;
      }
      if (write(store, current, kept) != null) {
        return true;
      }
    }
    return false;
  }

  /** One guarded write: the API's answer if it landed, null on a 409; anything else is thrown. */
  private static Ledger write(LedgerStore store, Ledger base, List<LedgerEntry> entries) {
    try {
      return store.write(base, entries);
    } catch (RuntimeException e) {
      if (Conflicts.isConflict(e)) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The entries of one read, by first address and by claim uid. Entries we wrote never overlap; a
   * ledger edited by hand might, and is then searched entry by entry.
   */
  private static final class Index {
    private final PoolKey pool;
    private final TreeMap<Ip, LedgerEntry> byFirst = new TreeMap<>();
    private final List<LedgerEntry> all = new ArrayList<>();
    private final Map<String, LedgerEntry> byUid = new HashMap<>();
    private boolean disjoint = true;

    /** Addresses taken outside the ledger: never recorded for a claim. */
    private final List<Holding> foreign;

    Index(PoolKey pool, List<LedgerEntry> entries, List<Holding> foreign) {
      this.pool = pool;
      this.foreign = foreign;
      entries.forEach(this::add);
    }

    void add(LedgerEntry entry) {
      if (overlapping(entry.addresses()) != null) {
        disjoint = false;
      }
      byFirst.put(entry.addresses().first(), entry);
      all.add(entry);
      byUid.putIfAbsent(entry.claimUid(), entry);
    }

    /** Null if the allocation may be recorded, else why not (or that it already is). */
    CommitOutcome check(Pending next) {
      String uid = next.claim().uid();
      LedgerEntry own = byUid.get(uid);
      if (own != null) {
        return own.addresses().equals(next.addresses())
            ? CommitOutcome.Committed.found()
            : taken(own, "the ledger already records " + own.addresses() + " for this claim");
      }
      for (Holding other : foreign) {
        if (other.addresses().overlaps(next.addresses())) {
          return new CommitOutcome.Taken(
              other.addresses() + " is marked taken outside the ledger (" + other.object() + ")",
              other);
        }
      }
      LedgerEntry clash = overlapping(next.addresses());
      return clash == null
          ? null
          : taken(
              clash,
              clash.addresses()
                  + " is recorded for "
                  + clash.claimKind()
                  + " "
                  + clash.claimNamespace()
                  + "/"
                  + clash.claimName());
    }

    private LedgerEntry overlapping(IpRange range) {
      if (!disjoint) {
        return all.stream().filter(e -> e.addresses().overlaps(range)).findFirst().orElse(null);
      }
      // Disjoint entries: only the last one starting at or before the range's end can reach into
      // it.
      Map.Entry<Ip, LedgerEntry> candidate = byFirst.floorEntry(range.last());
      if (candidate != null && candidate.getValue().addresses().overlaps(range)) {
        return candidate.getValue();
      }
      return null;
    }

    private CommitOutcome taken(LedgerEntry holder, String detail) {
      return new CommitOutcome.Taken(detail, holder.asHolding(pool, null));
    }
  }
}
