package org.ipam.mandelsoft.adapter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  /** Per range: the block each live request shows, by uid (parsable, aligned blocks only). */
  private final Map<PoolKey, Map<String, String>> shown = new ConcurrentHashMap<>();

  /**
   * Per range: the requests this process served (their block committed to the ledger by it). The
   * cache can show such a request's status before the range's new ledger: it is no takeover.
   */
  private final Map<PoolKey, Set<String>> served = new ConcurrentHashMap<>();

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
    Set<String> ours = served.get(range);
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

  void forget(PoolKey range) {
    shown.remove(range);
    served.remove(range);
    heldBack.remove(range);
  }

  /** The range's takeover as it stands, given the uids its ledger holds entries for. */
  Snapshot snapshot(PoolKey range, Set<String> recorded) {
    Map<String, String> pending = new HashMap<>();
    Set<String> ours = served.getOrDefault(range, Set.of());
    shown
        .getOrDefault(range, Map.of())
        .forEach(
            (uid, block) -> {
              if (!recorded.contains(uid) && !ours.contains(uid)) {
                pending.put(uid, block);
              }
            });
    return new Snapshot(range, Map.copyOf(pending));
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
    private final Map<String, String> pending;

    private Snapshot(PoolKey range, Map<String, String> pending) {
      this.range = range;
      this.pending = pending;
    }

    /** Whether a request shows a block the ledger does not hold yet. */
    boolean pending() {
      return !pending.isEmpty();
    }

    /** How many blocks wait to be recorded. */
    int count() {
      return pending.size();
    }

    /** Whether this request is one whose shown block waits to be recorded. */
    boolean isPending(String uid) {
      return pending.containsKey(uid);
    }

    /** A request whose block this process committed: never a takeover. */
    void served(String uid) {
      served.computeIfAbsent(range, k -> ConcurrentHashMap.newKeySet()).add(uid);
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
