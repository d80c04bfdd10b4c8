package org.ipam.mandelsoft.adapter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.mandelsoft.model.IPAMRequest;

/**
 * Taking over the blocks upstream kubipam served (docs/compat/mandelsoft.md row 24). A request
 * served upstream shows its block in {@code status.cidr} and has no entry in the range's ledger;
 * until every such block is recorded (or refused, and its request told so: its status no longer
 * shows it), the range's other requests are not decided, so that none of them is handed a block a
 * served request still uses. Fed from the request informer, as the engine is; read by a pass
 * through a {@link Snapshot}, taken before the pass (no I/O under the range's lock).
 */
final class Takeovers {
  /**
   * Per range: the live requests that show a block (parsable and aligned), by uid. Fed by the
   * request informer, so it outlives the range object: a range deleted and created again under its
   * name finds the blocks its requests still show.
   */
  private final Map<PoolKey, Map<String, String>> shown = new ConcurrentHashMap<>();

  /**
   * Per range: the requests this process served whose entry the cached range does not show yet,
   * with the resourceVersion of the ledger its commit read (the newest this process had delivered
   * when it reported the block; empty if none). The cache can show such a request's status before
   * the range's new ledger: it is no takeover. A uid leaves once the cached ledger shows its entry,
   * or is past that version without it: the commit's write was guarded by that version, so any
   * later version is the commit's or comes after it, and one without the entry means a later write
   * (another writer's, or upstream's) dropped it: from there on its shown block is a takeover again
   * rather than a free block.
   */
  private final Map<PoolKey, Map<String, Optional<String>>> served = new ConcurrentHashMap<>();

  /** Per range: the requests a pass held back while a takeover was pending. */
  private final Map<PoolKey, Set<String>> heldBack = new ConcurrentHashMap<>();

  /** The block a request's status shows, whatever its state, if it parses and is aligned. */
  static Optional<Cidr> shownBlock(IPAMRequest request) {
    if (request.getStatus() == null || request.getStatus().getCidr() == null) {
      return Optional.empty();
    }
    return IpParser.parseCidr(request.getStatus().getCidr()) instanceof Parsed.Valid<Cidr> valid
            && !valid.value().hasHostBits()
        ? Optional.of(valid.value())
        : Optional.empty();
  }

  /** A request of this range was added or changed. */
  void seen(PoolKey range, IPAMRequest request) {
    String uid = request.getMetadata().getUid();
    Optional<Cidr> block = shownBlock(request);
    Map<String, String> ofRange = shown.computeIfAbsent(range, k -> new ConcurrentHashMap<>());
    if (block.isPresent() && request.getMetadata().getDeletionTimestamp() == null) {
      ofRange.put(uid, block.get().toString());
    } else {
      ofRange.remove(uid);
    }
  }

  /** A request left this range (deleted, or it names another range now). */
  void gone(PoolKey range, IPAMRequest request) {
    Map<String, String> ofRange = shown.get(range);
    if (ofRange != null) {
      ofRange.remove(request.getMetadata().getUid());
    }
    Map<String, Optional<String>> ours = served.get(range);
    if (ours != null) {
      ours.remove(request.getMetadata().getUid());
    }
    Set<String> back = heldBack.get(range);
    if (back != null) {
      synchronized (back) {
        back.remove(request.getMetadata().getUid());
      }
    }
  }

  /**
   * The range object is gone. What its requests show stays: they still name the range, and a range
   * created again under the name must record their blocks before it hands out any.
   */
  void forget(PoolKey range) {
    served.remove(range);
    heldBack.remove(range);
  }

  /**
   * The range's takeover as it stands.
   *
   * @param recorded the uids the range's ledger holds entries for
   * @param version the resourceVersion of the range that ledger was read from
   * @param recordedElsewhere the range whose ledger records a uid's block, if another one does (a
   *     request whose {@code spec.ipam} was changed after it was served: its block stays where it
   *     was allocated, and is no takeover here)
   */
  Snapshot snapshot(
      PoolKey range,
      Set<String> recorded,
      String version,
      Function<String, Optional<String>> recordedElsewhere) {
    Map<String, String> pending = new HashMap<>();
    Map<String, String> elsewhere = new HashMap<>();
    Map<String, Optional<String>> ours = served.get(range);
    if (ours != null) {
      ours.entrySet()
          .removeIf(
              served ->
                  recorded.contains(served.getKey())
                      || served
                          .getValue()
                          .map(at -> LedgerFeed.olderThan(at, version))
                          .orElse(false));
    }
    shown
        .getOrDefault(range, Map.of())
        .forEach(
            (uid, block) -> {
              if (recorded.contains(uid) || (ours != null && ours.containsKey(uid))) {
                return;
              }
              Optional<String> other = recordedElsewhere.apply(uid);
              if (other.isPresent()) {
                elsewhere.put(uid, other.get());
              } else {
                pending.put(uid, block);
              }
            });
    return new Snapshot(range, recorded, Map.copyOf(pending), Map.copyOf(elsewhere));
  }

  /**
   * The requests held back by earlier passes, once no takeover is pending: they are to be decided
   * now (the engine only looks at a waiting request again after a while otherwise).
   */
  Set<String> release(PoolKey range) {
    Set<String> back = heldBack.remove(range);
    if (back == null) {
      return Set.of();
    }
    synchronized (back) {
      return Set.copyOf(back);
    }
  }

  /** What one pass knows of its range's takeover. */
  final class Snapshot {
    private final PoolKey range;
    private final Set<String> recorded;
    private final Map<String, String> pending;
    private final Map<String, String> elsewhere;

    private Snapshot(
        PoolKey range,
        Set<String> recorded,
        Map<String, String> pending,
        Map<String, String> elsewhere) {
      this.range = range;
      this.recorded = recorded;
      this.pending = pending;
      this.elsewhere = elsewhere;
    }

    /** Whether a request shows a block the ledger does not hold yet. */
    boolean pending() {
      return !pending.isEmpty();
    }

    /** How many blocks wait to be recorded. */
    int count() {
      return pending.size();
    }

    /** The range that records this request's shown block, when it is another one. */
    Optional<String> recordedElsewhere(String uid) {
      return Optional.ofNullable(elsewhere.get(uid));
    }

    /**
     * A request whose block this process committed (or reports again) on the ledger of {@code
     * ledgerVersion}: no takeover until the cache shows a later ledger without it. One the pass's
     * ledger already shows is not remembered: from there on, only the ledger counts.
     */
    void served(String uid, Optional<String> ledgerVersion) {
      if (recorded.contains(uid)) {
        return;
      }
      served.computeIfAbsent(range, k -> new ConcurrentHashMap<>()).put(uid, ledgerVersion);
    }

    /** A request this pass does not decide: looked at again once the takeover is done. */
    void holdBack(String uid) {
      Set<String> back = heldBack.computeIfAbsent(range, k -> new HashSet<>());
      synchronized (back) {
        back.add(uid);
      }
    }
  }
}
