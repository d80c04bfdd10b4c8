package org.ipam.core.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolCounts;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.RebuildConflict;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.ClaimFacts;
import org.ipam.core.engine.ClaimOrder;
import org.ipam.core.engine.Holding;

/**
 * One pool's allocations as the engine would make them, in memory: the pool's allocator built from
 * the dialect's {@link PoolSpec}, the address objects in the files holding their addresses (those
 * of the claims in the files first, then oldest first, as the engine rebuilds), then the claims
 * served oldest first. A claim keeps what an object names it the owner of, adopts an object made by
 * hand for its name, and otherwise asks the allocator its {@link AllocationRequest}. What the
 * engine adds on a cluster (commits, conflicts with another writer, retries) has no part offline.
 */
public final class PoolSimulation {
  private final PoolAllocator allocator;

  /** The allocator's owner names (a claim's uid, or an object's) and whom they stand for. */
  private final Map<String, String> ownerNames = new HashMap<>();

  private final Map<String, Holding> objectOfOwner = new HashMap<>();
  private final Set<String> handMadeTaken = new HashSet<>();

  /** An address object that could not hold its addresses, and why. */
  public record Refused(Holding holding, String reason) {}

  /** What a claim asks, with the facts the engine orders claims by. */
  public record Request(ClaimFacts facts, AllocationRequest request) {}

  /**
   * What a claim would get: an {@link Allocation} or the {@link AllocationFailure} that says why
   * not; {@code object} is the address object in the files it keeps or adopts, null for a new one.
   */
  public record Decision(ClaimFacts facts, AllocationResult result, Holding object) {}

  public PoolSimulation(PoolSpec spec) {
    this.allocator = new PoolAllocator(spec);
  }

  /**
   * Files' order among claims with no creationTimestamp (they are created in that order when
   * applied), after every claim that has one; those are ordered as the engine orders them.
   */
  static final Comparator<ClaimFacts> SERVING_ORDER =
      (a, b) -> {
        if (a.created() == null || b.created() == null) {
          return Boolean.compare(a.created() == null, b.created() == null);
        }
        return ClaimOrder.OLDEST_FIRST.compare(a, b);
      };

  /** Places the address objects; returns those that clash with one placed before. */
  public List<Refused> hold(List<Holding> holdings, Set<String> claimUids) {
    List<Holding> ordered = new ArrayList<>(holdings);
    ordered.sort(
        Comparator.comparing(
                (Holding h) -> h.claimUid() == null || !claimUids.contains(h.claimUid()))
            .thenComparing(
                Holding::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(h -> h.object().toString()));
    List<Refused> refused = new ArrayList<>();
    for (Holding holding : ordered) {
      String owner =
          holding.claimUid() != null && allocator.lookup(holding.claimUid()).isEmpty()
              ? holding.claimUid()
              : "object:" + holding.object();
      Optional<RebuildConflict> conflict =
          allocator.adopt(new ExistingAllocation(owner, holding.addresses(), holding.claimName()));
      if (conflict.isPresent()) {
        String reason = conflict.get().reason();
        for (Map.Entry<String, String> name : ownerNames.entrySet()) {
          reason = reason.replace(name.getKey(), name.getValue());
        }
        refused.add(new Refused(holding, reason));
        if (!conflict.get().kept()) {
          continue;
        }
      }
      ownerNames.put(owner, holding.object().toString());
      objectOfOwner.put(owner, holding);
    }
    return refused;
  }

  /** Serves the claims oldest first (see {@link #SERVING_ORDER}); answers in that order. */
  public List<Decision> serve(List<Request> requests) {
    List<Request> ordered = new ArrayList<>(requests);
    ordered.sort(Comparator.comparing(Request::facts, SERVING_ORDER));
    for (Request request : ordered) {
      ownerNames.put(request.facts().uid(), request.facts().describe());
    }
    Map<String, String> keyHolders = keyHolders(ordered);
    List<Decision> decisions = new ArrayList<>();
    for (Request request : ordered) {
      decisions.add(decide(request, keyHolders));
    }
    return decisions;
  }

  public PoolCounts counts() {
    return allocator.counts();
  }

  /**
   * Everything the pool holds once served, in address order: for a dialect that counts in units of
   * its own (a prefix pool's child prefixes).
   */
  public List<Allocation> allocations() {
    List<Allocation> all = new ArrayList<>();
    allocator.forEach(all::add);
    return all;
  }

  private Decision decide(Request request, Map<String, String> keyHolders) {
    ClaimFacts facts = request.facts();
    String uid = facts.uid();
    Optional<Allocation> held = allocator.lookup(uid);
    if (held.isPresent()) {
      return new Decision(facts, held.get(), objectOfOwner.get(uid));
    }
    Optional<String> handMade = handMadeFor(facts);
    if (handMade.isPresent()) {
      Allocation object = allocator.release(handMade.get()).orElseThrow();
      allocator.adopt(new ExistingAllocation(uid, object.addresses(), facts.reservationKey()));
      handMadeTaken.add(handMade.get());
      ownerNames.put(handMade.get(), facts.describe());
      return new Decision(
          facts, allocator.lookup(uid).orElseThrow(), objectOfOwner.get(handMade.get()));
    }
    String key = facts.reservationKey();
    String keyHolder = key == null ? null : keyHolders.get(key);
    if (keyHolder != null && !keyHolder.equals(uid)) {
      return new Decision(
          facts,
          new AllocationFailure.InvalidRequest(
              "claim name \""
                  + key
                  + "\" is already served by "
                  + ownerNames.get(keyHolder)
                  + " from this pool, which keys allocations by claim name"),
          null);
    }
    AllocationResult result = request.request().decide(allocator, uid, key == null ? uid : key);
    if (result instanceof AllocationFailure.AddressTaken taken) {
      result =
          new AllocationFailure.AddressTaken(
              taken.address(), ownerNames.getOrDefault(taken.holder(), taken.holder()));
    }
    return new Decision(facts, result, null);
  }

  /**
   * Of the claims sharing a reservation key, the one the engine serves: the one that holds an
   * address already, else the oldest.
   */
  private Map<String, String> keyHolders(List<Request> ordered) {
    Map<String, String> holders = new HashMap<>();
    for (Request request : ordered) {
      String key = request.facts().reservationKey();
      if (key != null && allocator.lookup(request.facts().uid()).isPresent()) {
        holders.putIfAbsent(key, request.facts().uid());
      }
    }
    for (Request request : ordered) {
      String key = request.facts().reservationKey();
      if (key != null && !request.facts().deleting()) {
        holders.putIfAbsent(key, request.facts().uid());
      }
    }
    return holders;
  }

  /** An object made by hand (no owner uid) for a claim of this kind and name, not yet adopted. */
  private Optional<String> handMadeFor(ClaimFacts facts) {
    return objectOfOwner.entrySet().stream()
        .filter(e -> e.getKey().startsWith("object:") && !handMadeTaken.contains(e.getKey()))
        .filter(e -> e.getValue().claimUid() == null && !e.getValue().deleting())
        .filter(e -> facts.id().kind().equals(e.getValue().claimKind()))
        .filter(e -> facts.name().equals(e.getValue().claimName()))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst();
  }
}
