package org.ipam.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.RebuildConflict;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;

/**
 * Everything the engine knows about one pool, kept between passes and changed by events, so that a
 * pass costs what it decides, not what the pool holds. Not thread-safe: the engine touches it under
 * the pool's lock only, and never does I/O while it holds that lock.
 *
 * <p>The allocator's owners are <em>slots</em>: a claim's uid for the allocation that claim holds;
 * {@code object:<kind>/<ns>/<name>} for an object that holds addresses without being the holding of
 * a known claim (made by hand, a second object of one claim, an earlier incarnation's); {@code
 * taken:<range>} for an address a competing writer was seen to hold before the cache shows its
 * object. Whatever the slot, the addresses stay occupied while it exists, and only a claim's own
 * uid slot is ever reported to a claim.
 */
final class PoolState<C> {
  /** A claim as the events left it, and where the engine stands with it. */
  static final class ClaimEntry<C> {
    C claim;
    ClaimFacts facts;

    /** A write for this claim is in flight: no other pass may plan for it. */
    boolean writing;

    /** The claim changed, or a pass wanted it, while its write was in flight: look again after. */
    boolean touchedWhileWriting;

    /** Consecutive failed writes, for the backoff. */
    int failures;

    Instant notBefore = Instant.MIN;

    /**
     * Its allocation was written and reported: until then a view that does not show it yet is
     * waited for, not reported again ({@link AllocationEngine#VIEW_CATCH_UP}).
     */
    Instant reportedUntil = Instant.MIN;

    /** The last failure reported to the claim, so that it is reported once. */
    String lastFailure;

    /**
     * Its commit got no answer (the write may have happened): the decision stays held and the same
     * allocation is committed again, so that a lost response never gives the claim a second one.
     */
    boolean commitInDoubt;

    /**
     * The commit in doubt was of a new decision and was not counted: if it turns out to have
     * happened (its retry finds it, or the cache shows it first), that is the allocation, counted
     * then, once.
     */
    boolean inDoubtUncounted;

    /** When the commit in doubt was decided ({@link System#nanoTime}), for its latency. */
    long inDoubtSinceNanos;

    /**
     * The binding threw while a pass planned for it: it waits out a backoff before the next try.
     */
    boolean planThrew;

    ClaimEntry(C claim, ClaimFacts facts) {
      this.claim = claim;
      this.facts = facts;
    }
  }

  /** One allocator owner: what it holds and what keeps it alive. */
  static final class Slot {
    final IpRange range;
    int objects;

    /** Set while a commit of ours is in flight or written but not yet shown by the cache. */
    Instant pendingSince;

    /** False for a slot the allocator refused (other family, or overlapping another slot). */
    boolean inAllocator;

    /** Placeholder slots ({@code taken:}) expire; others live as long as their objects. */
    final boolean placeholder;

    /** The claim name it serves, or the one its object names (null for a placeholder). */
    final String claimName;

    Slot(IpRange range, boolean placeholder, String claimName) {
      this.range = range;
      this.placeholder = placeholder;
      this.claimName = claimName;
    }
  }

  private final PoolKey pool;
  private final Map<ObjectKey, Holding> holdings = new HashMap<>();
  private final Map<ObjectKey, String> slotOfObject = new HashMap<>();
  private final Map<String, Set<ObjectKey>> objectsOfClaim = new HashMap<>();
  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<String, ClaimEntry<C>> claims = new HashMap<>();
  private final Map<String, Set<String>> claimsByReservation = new HashMap<>();
  private final Map<String, Set<String>> claimsByName = new HashMap<>();

  /** Objects without a claim uid (made by hand), by the claim name they give. */
  private final Map<String, Set<ObjectKey>> handMadeByName = new HashMap<>();

  // The sets and maps a pass walks are linked: walking a hash set or map costs the capacity its
  // largest burst left behind, a linked one only its size.

  /** Slots with a write of ours the cache does not show yet, and placeholders. */
  private final Set<String> pendingSlots = new LinkedHashSet<>();

  private final Set<String> placeholderSlots = new LinkedHashSet<>();

  /**
   * Slots the allocator refused because another slot holds some of their addresses. They are tried
   * again whenever a slot leaves, so that an address two objects hold never turns free while one of
   * them still exists.
   */
  private final Set<String> refusedSlots = new LinkedHashSet<>();

  /** Slots of the other family than the pool's (its family changed): the pool's problems. */
  private final Set<String> otherFamilySlots = new LinkedHashSet<>();

  /** Objects placed in an {@code object:} slot: the ones the pool's problems are about. */
  private final Set<ObjectKey> strayObjects = new HashSet<>();

  /**
   * Claims to look at in the next pass. Replaced, not cleared, by each pass: clearing a hash set
   * costs the capacity its largest burst left (the 100,000 claims of a start), on every pass.
   */
  private Set<String> dirty = new LinkedHashSet<>();

  /**
   * Claims waiting out a backoff: looked at again in the next pass, without making that pass due at
   * once (their wake-up is their backoff's end).
   */
  private Set<String> deferred = new HashSet<>();

  /** Claims that got no address for lack of room: looked at again once something is freed. */
  private final Set<String> waiting = new HashSet<>();

  /** When the waiting claims are looked at again whatever happens (null before the first pass). */
  private Instant waitingRecheckAt;

  /** Objects whose claim (by uid) is not known, since when. */
  private final Map<ObjectKey, Instant> orphanSince = new LinkedHashMap<>();

  /** Second objects of a live claim (two writers gave it two addresses), since when. */
  private final Map<ObjectKey, Instant> surplusSince = new LinkedHashMap<>();

  /** Orphans being released right now. */
  private final Set<ObjectKey> releasingOrphans = new HashSet<>();

  private volatile PoolSpec spec;
  private PoolAllocator allocator;
  private long changeCount;

  PoolState(PoolKey pool) {
    this.pool = pool;
  }

  PoolKey pool() {
    return pool;
  }

  // ---------------------------------------------------------------- events

  void claimSeen(C claim, ClaimFacts facts) {
    String uid = facts.uid();
    ClaimEntry<C> entry = claims.get(uid);
    if (entry == null) {
      claims.put(uid, new ClaimEntry<>(claim, facts));
      claimsByName.computeIfAbsent(facts.name(), k -> new HashSet<>()).add(uid);
      changeCount++;
      if (facts.reservationKey() != null) {
        claimsByReservation.computeIfAbsent(facts.reservationKey(), k -> new HashSet<>()).add(uid);
      }
      for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
        orphanSince.remove(object);
      }
    } else {
      entry.claim = claim;
      entry.facts = facts;
    }
    dirty.add(uid);
  }

  void claimGone(String uid) {
    ClaimEntry<C> entry = claims.remove(uid);
    if (entry == null) {
      return;
    }
    changeCount++;
    removeFromIndex(claimsByName, entry.facts.name(), uid);
    String key = entry.facts.reservationKey();
    if (key != null) {
      Set<String> sharing = claimsByReservation.get(key);
      sharing.remove(uid);
      if (sharing.isEmpty()) {
        claimsByReservation.remove(key);
      } else {
        // Another claim of this key may now be served.
        dirty.addAll(sharing);
      }
    }
    dirty.remove(uid);
    deferred.remove(uid);
    waiting.remove(uid);
    for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
      orphanSince.putIfAbsent(object, Instant.MIN);
    }
  }

  void holdingSeen(Holding holding) {
    Holding old = holdings.get(holding.object());
    if (old != null) {
      if (old.addresses().equals(holding.addresses())
          && java.util.Objects.equals(old.claimUid(), holding.claimUid())) {
        holdings.put(holding.object(), holding);
        touchClaim(holding.claimUid());
        return;
      }
      holdingGone(holding.object());
    }
    holdings.put(holding.object(), holding);
    changeCount++;
    if (holding.claimUid() == null && holding.claimName() != null) {
      handMadeByName
          .computeIfAbsent(holding.claimName(), k -> new HashSet<>())
          .add(holding.object());
    }
    if (holding.claimUid() != null) {
      objectsOfClaim
          .computeIfAbsent(holding.claimUid(), k -> new HashSet<>())
          .add(holding.object());
      if (!claims.containsKey(holding.claimUid())) {
        orphanSince.putIfAbsent(holding.object(), Instant.MIN);
      }
    }
    if (allocator != null) {
      place(holding);
    }
    touchClaim(holding.claimUid());
    touchHandMadeClaim(holding);
  }

  void holdingGone(ObjectKey object) {
    Holding holding = holdings.remove(object);
    if (holding == null) {
      return;
    }
    orphanSince.remove(object);
    if (holding.claimUid() == null && holding.claimName() != null) {
      removeFromIndex(handMadeByName, holding.claimName(), object);
    }
    String uid = holding.claimUid();
    if (uid != null) {
      Set<ObjectKey> objects = objectsOfClaim.get(uid);
      objects.remove(object);
      if (objects.isEmpty()) {
        objectsOfClaim.remove(uid);
      }
    }
    changeCount++;
    strayObjects.remove(object);
    surplusSince.remove(object);
    String slotName = slotOfObject.remove(object);
    if (slotName != null) {
      Slot slot = slots.get(slotName);
      slot.objects--;
      dropIfUnused(slotName, slot);
      if (uid != null && slotName.equals(uid) && !slots.containsKey(uid)) {
        promoteExtra(uid);
      }
    }
    touchClaim(uid);
  }

  private static <K, V> void removeFromIndex(Map<K, Set<V>> index, K key, V value) {
    Set<V> values = index.get(key);
    if (values != null) {
      values.remove(value);
      if (values.isEmpty()) {
        index.remove(key);
      }
    }
  }

  private void touchClaim(String uid) {
    if (uid != null && claims.containsKey(uid)) {
      dirty.add(uid);
    }
  }

  /** A claim waiting for an object made by hand for it, or one whose hand-made object changed. */
  private void touchHandMadeClaim(Holding holding) {
    if (holding.claimUid() == null && holding.claimName() != null) {
      dirty.addAll(claimsByName.getOrDefault(holding.claimName(), Set.of()));
    }
  }

  // ---------------------------------------------------------------- slots

  private static String objectSlot(ObjectKey object) {
    return "object:" + object.kind() + "/" + object.namespace() + "/" + object.name();
  }

  private static String takenSlot(IpRange range) {
    return "taken:" + range;
  }

  /**
   * The slot a holding belongs in: its claim's, unless that claim already holds other addresses.
   */
  private String slotFor(Holding holding) {
    if (holding.claimUid() == null) {
      return objectSlot(holding.object());
    }
    Slot claimSlot = slots.get(holding.claimUid());
    return claimSlot == null || claimSlot.range.equals(holding.addresses())
        ? holding.claimUid()
        : objectSlot(holding.object());
  }

  /** Takes a holding into its slot and the allocator; a clash keeps it out but remembered. */
  private void place(Holding holding) {
    List<Slot> cleared = clearPlaceholders(holding.addresses());
    String name = slotFor(holding);
    slotOfObject.put(holding.object(), name);
    if (!name.equals(holding.claimUid())) {
      strayObjects.add(holding.object());
    }
    Slot slot = slots.get(name);
    if (slot != null) {
      slot.objects++;
    } else {
      slot = new Slot(holding.addresses(), false, holding.claimName());
      slot.objects = 1;
      slots.put(name, slot);
      adopt(name, slot);
      changeCount++;
    }
    for (Slot placeholder : cleared) {
      // Most often the winner's object holds just what the placeholder did: nothing is freed, and
      // waking every waiting claim would cost a decision each for every commit lost.
      if (!(slot.inAllocator && slot.range.contains(placeholder.range))) {
        roomFreed(placeholder.range);
      }
    }
  }

  private void adopt(String name, Slot slot) {
    if (allocator == null) {
      // The pool is gone; its next pass rebuilds everything from the holdings.
      slot.inAllocator = false;
      return;
    }
    if (slot.range.family() != allocator.spec().family()) {
      slot.inAllocator = false;
      if (!slot.placeholder) {
        otherFamilySlots.add(name);
      }
      return;
    }
    Optional<RebuildConflict> conflict =
        allocator.adopt(new ExistingAllocation(name, slot.range, slot.claimName));
    slot.inAllocator = conflict.isEmpty() || conflict.get().kept();
    if (!slot.inAllocator && !slot.placeholder) {
      refusedSlots.add(name);
    }
  }

  /**
   * Takes the placeholders that overlap an object the cache now shows out of the allocator; returns
   * those that were in it, whose room the caller frees unless the object holds all of it.
   */
  private List<Slot> clearPlaceholders(IpRange range) {
    if (placeholderSlots.isEmpty()) {
      return List.of();
    }
    List<String> overlapping = new ArrayList<>();
    for (String name : placeholderSlots) {
      if (slots.get(name).range.overlaps(range)) {
        overlapping.add(name);
      }
    }
    List<Slot> released = new ArrayList<>();
    for (String name : overlapping) {
      Slot slot = slots.remove(name);
      placeholderSlots.remove(name);
      pendingSlots.remove(name);
      if (slot.inAllocator && allocator != null) {
        allocator.release(name);
        released.add(slot);
      }
    }
    return released;
  }

  private void dropIfUnused(String name, Slot slot) {
    if (slot.objects > 0 || slot.pendingSince != null) {
      return;
    }
    slots.remove(name);
    placeholderSlots.remove(name);
    refusedSlots.remove(name);
    otherFamilySlots.remove(name);
    if (slot.inAllocator && allocator != null) {
      allocator.release(name);
      roomFreed(slot.range);
    }
  }

  /** A slot left the allocator: what it kept out may fit now, and waiting claims look again. */
  private void roomFreed(IpRange range) {
    changeCount++;
    readoptRefused(range);
    dirty.addAll(waiting);
    waiting.clear();
  }

  private void readoptRefused(IpRange freed) {
    if (refusedSlots.isEmpty()) {
      return;
    }
    for (String name : new ArrayList<>(refusedSlots)) {
      Slot slot = slots.get(name);
      if (slot.range.overlaps(freed)) {
        refusedSlots.remove(name);
        adopt(name, slot);
        touchClaim(name);
      }
    }
  }

  /** The claim's own slot went; a second object it holds becomes its allocation. */
  private void promoteExtra(String uid) {
    for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
      String current = slotOfObject.get(object);
      if (current != null && !current.equals(uid)) {
        Holding holding = holdings.get(object);
        slotOfObject.remove(object);
        strayObjects.remove(object);
        Slot old = slots.get(current);
        old.objects--;
        dropIfUnused(current, old);
        if (allocator != null) {
          place(holding);
        }
        return;
      }
    }
  }

  // ---------------------------------------------------------------- spec and rebuild

  /**
   * Makes the allocator follow the pool's spec: the first pass, and every spec change, build it
   * anew from what is held (oldest object first, so the oldest wins a clash).
   */
  void follow(PoolSpec newSpec) {
    follow(newSpec, Optional.empty());
  }

  /**
   * As {@link #follow(PoolSpec)}; a new allocator goes on after {@code cursor} (a round-robin
   * cursor the dialect persists). A change of preferences alone is applied to the allocator in
   * place: a dialect whose preferences move with every release (Harvester's history) must not pay a
   * rebuild per pass, nor lose its round-robin cursor to one.
   */
  void follow(PoolSpec newSpec, Optional<Ip> cursor) {
    if (allocator != null && newSpec.equals(spec)) {
      return;
    }
    if (allocator != null && newSpec.withPreferred(Map.of()).equals(spec.withPreferred(Map.of()))) {
      spec.preferred().keySet().stream()
          .filter(owner -> !newSpec.preferred().containsKey(owner))
          .forEach(allocator::forget);
      newSpec.preferred().forEach(allocator::prefer);
      spec = newSpec;
      return;
    }
    spec = newSpec;
    allocator = new PoolAllocator(newSpec);
    cursor.ifPresent(allocator::restoreCursor);
    Map<String, Slot> pending = new HashMap<>();
    for (String name : pendingSlots) {
      Slot slot = slots.get(name);
      if (!slot.placeholder) {
        pending.put(name, slot);
      }
    }
    slots.clear();
    strayObjects.clear();
    pendingSlots.clear();
    placeholderSlots.clear();
    refusedSlots.clear();
    otherFamilySlots.clear();
    slotOfObject.clear();
    List<Holding> byAge = new ArrayList<>(holdings.values());
    // Objects of live claims first (a rebuild must not take an address away from a claim that is
    // shown it, for an object made by hand or left by a claim that is gone), then oldest first.
    byAge.sort(
        Comparator.comparing(
                (Holding h) -> h.claimUid() == null || !claims.containsKey(h.claimUid()))
            .thenComparing(
                Holding::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(h -> h.object().toString()));
    for (Holding holding : byAge) {
      place(holding);
    }
    pending.forEach(
        (name, old) -> {
          Slot slot = slots.get(name);
          if (slot == null) {
            slot = new Slot(old.range, false, old.claimName);
            slots.put(name, slot);
            adopt(name, slot);
          }
          slot.pendingSince = old.pendingSince;
          pendingSlots.add(name);
        });
    changeCount++;
    dirty.addAll(claims.keySet());
    waiting.clear();
  }

  PoolAllocator allocator() {
    return allocator;
  }

  // ---------------------------------------------------------------- what a pass reads

  Map<String, ClaimEntry<C>> claims() {
    return claims;
  }

  /** The claims to look at now, oldest first; they leave the dirty set. */
  List<ClaimEntry<C>> takeDirty(Instant now) {
    if (!deferred.isEmpty()) {
      dirty.addAll(deferred);
      deferred = new HashSet<>();
    }
    List<ClaimEntry<C>> due = new ArrayList<>();
    for (String uid : dirty) {
      ClaimEntry<C> entry = claims.get(uid);
      if (entry != null) {
        due.add(entry);
      }
    }
    dirty = new LinkedHashSet<>();
    due.sort((a, b) -> ClaimOrder.OLDEST_FIRST.compare(a.facts, b.facts));
    return due;
  }

  void markDirty(String uid) {
    if (claims.containsKey(uid)) {
      dirty.add(uid);
    }
  }

  /** Looks at the claim in the next pass, which it does not make due (a backoff). */
  void defer(String uid) {
    if (claims.containsKey(uid)) {
      deferred.add(uid);
    }
  }

  void markWaiting(String uid) {
    waiting.add(uid);
  }

  /**
   * Waiting claims are looked at again at least every {@code interval}, not only when this view
   * sees room freed: a freed address the view missed (an event it never got, two writers' views
   * crossing) must not leave a claim waiting for good. The dialects' reconcilers come back
   * periodically, so a pass is due at least that often. True if it woke them.
   */
  boolean recheckWaitingIfDue(Instant now, Duration interval) {
    if (waitingRecheckAt == null) {
      waitingRecheckAt = now.plus(interval);
      return false;
    }
    if (now.isBefore(waitingRecheckAt)) {
      return false;
    }
    waitingRecheckAt = now.plus(interval);
    dirty.addAll(waiting);
    waiting.clear();
    return true;
  }

  boolean hasDirty() {
    return !dirty.isEmpty();
  }

  /** The claim's own allocation, if it holds one (committed, or seen in the cache). */
  Optional<Allocation> allocationOf(String uid) {
    Slot slot = slots.get(uid);
    if (slot == null || !slot.inAllocator) {
      return Optional.empty();
    }
    return allocator.lookup(uid);
  }

  /** Whether the claim holds addresses the allocator could not take (other family, a clash). */
  Optional<IpRange> heldOutside(String uid) {
    Slot slot = slots.get(uid);
    return slot != null && !slot.inAllocator ? Optional.of(slot.range) : Optional.empty();
  }

  /** Whether the claim's allocation is ours and the cache does not show its object yet. */
  boolean isUncached(String uid) {
    Slot slot = slots.get(uid);
    return slot != null && slot.pendingSince != null && slot.objects == 0;
  }

  /** The cached objects of this claim, all of them. */
  List<Holding> objectsOf(String uid) {
    List<Holding> result = new ArrayList<>();
    for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
      result.add(holdings.get(object));
    }
    return result;
  }

  /** The cached objects of this claim that hold this range. */
  List<Holding> objectsHolding(String uid, IpRange range) {
    List<Holding> result = new ArrayList<>();
    for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
      Holding holding = holdings.get(object);
      if (holding.addresses().equals(range)) {
        result.add(holding);
      }
    }
    result.sort(Comparator.comparing(h -> h.object().toString()));
    return result;
  }

  /**
   * An object made by hand for this claim that it may adopt, if there is one: the oldest, then by
   * name, the order that picks a claim's own object among several ({@link #PRIMARY_FIRST}).
   */
  Optional<Holding> handMadeFor(ClaimFacts facts) {
    Holding found = null;
    for (ObjectKey object : handMadeByName.getOrDefault(facts.name(), Set.of())) {
      Holding holding = holdings.get(object);
      Slot slot = slots.get(slotOfObject.get(object));
      // One that clashes with another holder, or of the other family, is never adopted: adopting
      // it would show a claim an address someone else holds.
      boolean placed = slot != null && slot.inAllocator;
      if (!holding.deleting()
          && placed
          && facts.id().kind().equals(holding.claimKind())
          && facts.name().equals(holding.claimName())
          && (found == null || PRIMARY_FIRST.compare(holding, found) < 0)) {
        found = holding;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The claim that a reservation key belongs to, among the live claims that share it: the one that
   * holds an address, else the oldest.
   */
  Optional<ClaimFacts> reservationHolder(String key) {
    Set<String> sharing = claimsByReservation.getOrDefault(key, Set.of());
    ClaimFacts oldest = null;
    for (String uid : sharing) {
      ClaimEntry<C> entry = claims.get(uid);
      if (slots.containsKey(uid)) {
        return Optional.of(entry.facts);
      }
      if (!entry.facts.deleting()
          && (oldest == null || ClaimOrder.OLDEST_FIRST.compare(entry.facts, oldest) < 0)) {
        oldest = entry.facts;
      }
    }
    return Optional.ofNullable(oldest);
  }

  // ---------------------------------------------------------------- two addresses for one claim

  /** Oldest object first, then by name: every writer picks the same object as the claim's own. */
  private static final Comparator<Holding> PRIMARY_FIRST =
      Comparator.comparing(
              Holding::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(h -> h.object().toString());

  /**
   * A claim that two writers each gave an address holds two: the oldest object's addresses are its
   * own (the same choice in every writer, so they converge on one answer), the others are surplus,
   * kept occupied for {@code grace} (a consumer may have read them) and then released. Returns the
   * surplus objects due for release now.
   */
  void resolveSurplus(String uid, Instant now) {
    Set<ObjectKey> objects = objectsOfClaim.getOrDefault(uid, Set.of());
    if (objects.size() < 2 || allocator == null) {
      return;
    }
    List<Holding> live = new ArrayList<>();
    for (ObjectKey object : objects) {
      Holding holding = holdings.get(object);
      if (!holding.deleting()) {
        live.add(holding);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    live.sort(PRIMARY_FIRST);
    IpRange primary = live.get(0).addresses();
    Slot slot = slots.get(uid);
    boolean ourWriteInFlight = slot != null && slot.pendingSince != null && slot.objects == 0;
    if (slot != null && !slot.range.equals(primary) && !ourWriteInFlight) {
      replace(uid, live);
    }
    for (Holding holding : live) {
      if (holding.addresses().equals(primary)) {
        surplusSince.remove(holding.object());
      } else {
        surplusSince.putIfAbsent(holding.object(), now);
      }
    }
  }

  /**
   * Surplus objects whose grace has ended and that are still surplus (their claim lives and holds
   * other addresses as its own), each handed out once at a time.
   */
  List<Holding> surplusDue(Instant now, Duration grace) {
    List<Holding> due = new ArrayList<>();
    List<ObjectKey> settled = new ArrayList<>();
    for (Map.Entry<ObjectKey, Instant> e : surplusSince.entrySet()) {
      Holding holding = holdings.get(e.getKey());
      String slotName = slotOfObject.get(e.getKey());
      boolean stillSurplus =
          holding != null
              && holding.claimUid() != null
              && claims.containsKey(holding.claimUid())
              && slots.containsKey(holding.claimUid())
              && !holding.claimUid().equals(slotName);
      if (!stillSurplus) {
        settled.add(e.getKey());
      } else if (!e.getValue().plus(grace).isAfter(now) && !releasingOrphans.contains(e.getKey())) {
        due.add(holding);
        releasingOrphans.add(e.getKey());
      }
    }
    settled.forEach(surplusSince::remove);
    return due;
  }

  /** Places a claim's objects again, the primary one first, so that it becomes the claim's slot. */
  private void replace(String uid, List<Holding> primaryFirst) {
    for (Holding holding : primaryFirst) {
      String name = slotOfObject.remove(holding.object());
      strayObjects.remove(holding.object());
      if (name != null) {
        Slot old = slots.get(name);
        old.objects--;
        dropIfUnused(name, old);
      }
    }
    for (Holding holding : primaryFirst) {
      place(holding);
    }
  }

  /** The earliest instant a surplus object's grace ends, if any is counting. */
  Optional<Instant> nextSurplusDue(Duration grace) {
    Instant next = null;
    for (Map.Entry<ObjectKey, Instant> e : surplusSince.entrySet()) {
      if (resolvable(e.getKey())) {
        Instant due = e.getValue().plus(grace);
        next = next == null || due.isBefore(next) ? due : next;
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * Claims with a surplus object whose grace has ended are looked at in this pass (only a claim's
   * pass resolves its surplus).
   */
  void touchSurplusDue(Instant now, Duration grace) {
    for (Map.Entry<ObjectKey, Instant> e : surplusSince.entrySet()) {
      if (!e.getValue().plus(grace).isAfter(now) && resolvable(e.getKey())) {
        dirty.add(holdings.get(e.getKey()).claimUid());
      }
    }
  }

  /**
   * Whether a pass would resolve this surplus object: its claim is live and it is not in flight.
   */
  private boolean resolvable(ObjectKey object) {
    Holding holding = holdings.get(object);
    if (holding == null || releasingOrphans.contains(object)) {
      return false;
    }
    ClaimEntry<C> entry = claims.get(holding.claimUid());
    return entry != null && !entry.facts.deleting();
  }

  // ---------------------------------------------------------------- decisions and their outcomes

  /** A decision about to be written: nobody else may be handed these addresses meanwhile. */
  void hold(ClaimFacts facts, Allocation allocation, Instant now) {
    Slot slot = new Slot(allocation.addresses(), false, facts.name());
    slot.pendingSince = now;
    slot.inAllocator = true;
    slots.put(facts.uid(), slot);
    pendingSlots.add(facts.uid());
    changeCount++;
  }

  /** The commit succeeded: the slot waits for the cache to show the object. */
  void committed(String uid, Instant now) {
    Slot slot = slots.get(uid);
    if (slot != null) {
      slot.pendingSince = now;
      pendingSlots.add(uid);
    }
  }

  /** The commit did not happen: the decision is void. */
  void rollBack(String uid) {
    settlePending(uid);
  }

  private void settlePending(String name) {
    Slot slot = slots.get(name);
    pendingSlots.remove(name);
    if (slot != null && slot.pendingSince != null) {
      slot.pendingSince = null;
      dropIfUnused(name, slot);
      reclaimOwnSlot(name);
    }
  }

  /**
   * A claim whose own slot just went (a decision rolled back) while objects of its own sit in other
   * slots gets them back as its allocation: they went there because the decision held the claim's
   * slot when they arrived (another writer's commit for it, seen through a live ledger read or an
   * event). Without this, the claim would decide again, lose to its own entry, and loop.
   */
  private void reclaimOwnSlot(String uid) {
    if (slots.containsKey(uid) || !claims.containsKey(uid) || allocator == null) {
      return;
    }
    List<Holding> own = new ArrayList<>();
    for (ObjectKey object : objectsOfClaim.getOrDefault(uid, Set.of())) {
      Holding holding = holdings.get(object);
      if (holding != null && !holding.deleting()) {
        own.add(holding);
      }
    }
    if (own.isEmpty()) {
      return;
    }
    own.sort(PRIMARY_FIRST);
    replace(uid, own);
    touchClaim(uid);
  }

  /** A competing writer holds these addresses; keep them occupied until the cache says who. */
  void takenBySomeoneElse(IpRange range, Instant now) {
    String name = takenSlot(range);
    if (slots.containsKey(name)) {
      slots.get(name).pendingSince = now;
      return;
    }
    Slot slot = new Slot(range, true, null);
    slot.pendingSince = now;
    slots.put(name, slot);
    pendingSlots.add(name);
    placeholderSlots.add(name);
    adopt(name, slot);
    changeCount++;
  }

  /** The claim's objects were deleted by us: an uncached commit of ours is gone too. */
  void released(String uid) {
    settlePending(uid);
  }

  /**
   * Forgets what the cache never confirmed within {@code patience} (an object deleted right after
   * its create, a placeholder whose object never showed up). Returns the earliest instant at which
   * another entry expires, if any.
   */
  Optional<Instant> expire(Instant now, Duration patience) {
    Instant next = null;
    List<String> expired = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
    for (String name : pendingSlots) {
      Slot slot = slots.get(name);
      if (slot == null || slot.objects > 0) {
        confirmed.add(name);
        continue;
      }
      if (isWriting(name)) {
        continue;
      }
      Instant due = slot.pendingSince.plus(patience);
      if (!due.isAfter(now)) {
        expired.add(name);
      } else if (next == null || due.isBefore(next)) {
        next = due;
      }
    }
    // The cache shows these: their objects keep them from now on.
    for (String name : confirmed) {
      settlePending(name);
    }
    for (String name : expired) {
      settlePending(name);
      ClaimEntry<C> entry = claims.get(name);
      if (entry != null) {
        // The unanswered commit is given up with its slot: a later decision is a new one.
        entry.commitInDoubt = false;
        entry.inDoubtUncounted = false;
      }
    }
    return Optional.ofNullable(next);
  }

  private boolean isWriting(String uid) {
    ClaimEntry<C> entry = claims.get(uid);
    return entry != null && entry.writing;
  }

  /**
   * Objects whose claim has been unknown for {@code grace}, ready to be released (each once at a
   * time), and the earliest instant another one will be.
   */
  List<Holding> orphansDue(
      Instant now, Duration grace, java.util.function.Predicate<String> watchedKind) {
    List<Holding> due = new ArrayList<>();
    for (Map.Entry<ObjectKey, Instant> e : orphanSince.entrySet()) {
      if (e.getValue() == Instant.MIN) {
        e.setValue(now);
      }
      Holding holding = holdings.get(e.getKey());
      if (holding == null
          || holding.claimUid() == null
          || !watchedKind.test(holding.claimKind())
          || releasingOrphans.contains(e.getKey())
          || claims.containsKey(holding.claimUid())) {
        continue;
      }
      if (!e.getValue().plus(grace).isAfter(now)) {
        due.add(holding);
        releasingOrphans.add(e.getKey());
      }
    }
    return due;
  }

  /** The earliest instant an orphan's grace ends, if any is counting. */
  Optional<Instant> nextOrphanDue(
      Duration grace, java.util.function.Predicate<String> watchedKind) {
    Instant next = null;
    for (Map.Entry<ObjectKey, Instant> e : orphanSince.entrySet()) {
      Holding holding = holdings.get(e.getKey());
      // Only orphans that orphansDue would release: others must not make a pass due.
      if (e.getValue() == Instant.MIN
          || holding == null
          || holding.claimUid() == null
          || !watchedKind.test(holding.claimKind())
          || releasingOrphans.contains(e.getKey())
          || claims.containsKey(holding.claimUid())) {
        continue;
      }
      Instant due = e.getValue().plus(grace);
      next = next == null || due.isBefore(next) ? due : next;
    }
    return Optional.ofNullable(next);
  }

  /** A stray a pass took but never sent for release (the pass threw): due again at once. */
  void strayNotReleased(ObjectKey object) {
    releasingOrphans.remove(object);
  }

  void orphanReleased(ObjectKey object, boolean released, Instant now) {
    releasingOrphans.remove(object);
    // Not released (the API still knows its claim, or the delete failed), or released but not yet
    // gone from the cache: looked at again after another grace, not on every pass meanwhile.
    if (surplusSince.containsKey(object)) {
      surplusSince.put(object, now);
    }
    if (orphanSince.containsKey(object)) {
      orphanSince.put(object, now);
    }
  }

  // ---------------------------------------------------------------- the view for the pool status

  long changeCount() {
    return changeCount;
  }

  /** The live claims that hold no address yet: how many, and when the oldest was created. */
  record Pending(int claims, Optional<Instant> oldestCreated) {}

  /**
   * Costs one walk over the claims: taken with the status snapshot, at most once a second. Paused
   * claims do not count: they do not wait for the controller.
   */
  Pending pending(java.util.function.Predicate<C> paused) {
    int count = 0;
    Instant oldest = null;
    for (ClaimEntry<C> entry : claims.values()) {
      if (entry.facts.deleting()
          || allocationOf(entry.facts.uid()).isPresent()
          || paused.test(entry.claim)) {
        continue;
      }
      count++;
      Instant created = entry.facts.created();
      if (created != null && (oldest == null || created.isBefore(oldest))) {
        oldest = created;
      }
    }
    return new Pending(count, Optional.ofNullable(oldest));
  }

  /** A snapshot for the pool's status; costs one walk over the allocations. */
  PoolView view() {
    List<PoolView.NamedAllocation> allocations = new ArrayList<>(allocator.allocationCount());
    allocator.forEach(
        allocation ->
            allocations.add(
                new PoolView.NamedAllocation(claimNameOf(allocation.owner()), allocation)));
    return new PoolView(
        changeCount, allocator.counts(), allocations, problems(), List.copyOf(holdings.keySet()));
  }

  /**
   * Who holds a slot, in words for a claim's message: the claim's kind, namespace and name, the
   * claim its object names, or another writer (a placeholder).
   */
  String describeHolder(String slotName) {
    ClaimEntry<C> entry = claims.get(slotName);
    if (entry != null) {
      return entry.facts.id().describe();
    }
    Slot slot = slots.get(slotName);
    return slot == null || slot.claimName == null
        ? "another writer's allocation"
        : "an object of claim " + slot.claimName;
  }

  private String claimNameOf(String slotName) {
    ClaimEntry<C> entry = claims.get(slotName);
    if (entry != null) {
      return entry.facts.name();
    }
    Slot slot = slots.get(slotName);
    return slot == null ? null : slot.claimName;
  }

  /** Objects that hold addresses without serving a claim, each said once. */
  List<String> problems() {
    Set<String> problems = new TreeSet<>();
    Set<ObjectKey> suspects = new HashSet<>(strayObjects);
    suspects.addAll(orphanSince.keySet());
    for (Set<String> unplaced : List.of(refusedSlots, otherFamilySlots)) {
      for (String name : unplaced) {
        suspects.addAll(objectsOfClaim.getOrDefault(name, Set.of()));
      }
    }
    for (ObjectKey object : suspects) {
      Holding holding = holdings.get(object);
      String slotName = slotOfObject.get(object);
      if (holding == null || slotName == null) {
        continue;
      }
      Slot slot = slots.get(slotName);
      String what = holding.object() + " (" + holding.addresses() + ")";
      if (!slot.inAllocator && !holding.addresses().family().equals(spec.family())) {
        problems.add(
            what
                + " is "
                + holding.addresses().family()
                + " in a "
                + spec.family()
                + " pool: kept until its claim goes");
      } else if (!slot.inAllocator) {
        problems.add(what + " overlaps addresses another object holds: kept, not served");
      } else if (holding.claimUid() == null) {
        problems.add(
            what
                + " was made by hand for "
                + holding.claimKind()
                + " "
                + holding.claimName()
                + ", which does not exist or holds another address: kept occupied");
      } else if (!claims.containsKey(holding.claimUid())) {
        problems.add(
            what
                + " belongs to "
                + holding.claimKind()
                + " "
                + holding.claimName()
                + " uid "
                + holding.claimUid()
                + ", which no longer exists: released after a grace period");
      } else if (!slotName.equals(holding.claimUid())) {
        problems.add(
            what
                + " is a second address of "
                + holding.claimKind()
                + " "
                + holding.claimName()
                + ": kept occupied for a grace period (a consumer may have read it), then"
                + " released; the claim keeps its oldest address");
      }
    }
    return List.copyOf(problems);
  }

  /**
   * The pool object is gone: its next incarnation, even with an equal spec, rebuilds the allocator
   * and looks at every claim again.
   */
  void poolGone() {
    allocator = null;
    spec = null;
    closing = false;
  }

  private volatile boolean closing;

  /** Paused since the last pass ({@link AllocationEngine#paused}). */
  private volatile boolean paused;

  /**
   * Whether a pass has followed the pool's spec since it was created (or last gone), and it is
   * neither being deleted nor paused.
   */
  boolean serving() {
    return spec != null && !closing && !paused;
  }

  /** The pool is paused: not served until its next pass. */
  void paused() {
    paused = true;
  }

  /** A pass runs: a pause is over. */
  void resumed() {
    paused = false;
  }

  /** The pool is being deleted. */
  void closing() {
    closing = true;
  }

  /** Whether any object of ours or any write of ours still holds addresses of this pool. */
  boolean holdsAnything() {
    return !holdings.isEmpty() || !pendingSlots.isEmpty();
  }

  /** Whether the state can be dropped: nothing left that holds or claims. */
  boolean isEmpty() {
    return holdings.isEmpty() && claims.isEmpty() && slots.isEmpty();
  }
}
