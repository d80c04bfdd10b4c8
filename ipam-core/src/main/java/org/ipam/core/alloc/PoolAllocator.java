package org.ipam.core.alloc;

import static org.ipam.core.alloc.U128SortedMap.NONE;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.ipam.core.alloc.AllocationFailure.AddressTaken;
import org.ipam.core.alloc.AllocationFailure.DiffersFromPreAllocation;
import org.ipam.core.alloc.AllocationFailure.Exhausted;
import org.ipam.core.alloc.AllocationFailure.InvalidRequest;
import org.ipam.core.alloc.AllocationFailure.OutsideSegments;
import org.ipam.core.alloc.AllocationFailure.OwnerHoldsAnother;
import org.ipam.core.alloc.AllocationFailure.PreAllocatedToOther;
import org.ipam.core.alloc.AllocationFailure.Reserved;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.U128;

/**
 * The allocations of one pool, in memory. Every operation costs O(log n) in the number of allocated
 * intervals (block searches also walk the occupied runs they must skip, and a random pick walks
 * those of its segment); memory grows with allocations, not with the pool: an IPv4 /8 or an IPv6
 * /48 is as cheap as a /24.
 *
 * <p>Promises: no address is held by two owners; an owner holds at most one allocation, and asking
 * again returns it; every failure is a value that says why. This object is a cache of what the API
 * server holds: the engine decides here, writes, and releases again if the write fails. Not
 * thread-safe: one pool, one writer at a time.
 */
public final class PoolAllocator {
  private final PoolSpec spec;
  private final IpFamily family;
  private final int bits;
  private final Segment[] segments;
  private final long[] firstHi;
  private final long[] firstLo;
  private final long[] lastHi;
  private final long[] lastLo;

  /**
   * Allocations, reserved addresses and pre-allocations, coalesced: whatever a policy must not hand
   * out.
   */
  private final IntervalSet occupied;

  private final IntervalSet reserved;

  /** Allocation start to (end, owner). */
  private final U128SortedMap allocations;

  private final OwnerIndex owners;

  /** Pre-allocated address to its owner, sorted, so a range finds those inside it in O(log n). */
  private final U128SortedMap preAllocatedTo;

  private final Map<String, Ip> preferred;

  /** The {@link OrderPolicy#RANDOM} draws: one stream per allocator, from the spec's seed. */
  private final Random random;

  private final BigInteger total;

  private boolean hasCursor;
  private long cursorHi;
  private long cursorLo;
  private long usedHi;
  private long usedLo;
  private long outOfRangeHi;
  private long outOfRangeLo;
  private final long[] scratch = new long[2];

  public PoolAllocator(PoolSpec spec) {
    this.spec = spec;
    this.family = spec.family();
    this.bits = family.bits();
    boolean wide = family == IpFamily.IPV6;
    this.occupied = new IntervalSet(wide);
    this.reserved = new IntervalSet(wide);
    this.allocations = new U128SortedMap(wide, true);
    this.owners = new OwnerIndex(wide);
    this.preAllocatedTo = new U128SortedMap(wide, true);
    this.segments = spec.segments().toArray(new Segment[0]);
    int n = segments.length;
    firstHi = new long[n];
    firstLo = new long[n];
    lastHi = new long[n];
    lastLo = new long[n];
    for (int i = 0; i < n; i++) {
      firstHi[i] = segments[i].range().first().hi();
      firstLo[i] = segments[i].range().first().lo();
      lastHi[i] = segments[i].range().last().hi();
      lastLo[i] = segments[i].range().last().lo();
    }
    for (IpRange range : spec.reserved().ranges()) {
      if (range.family() == family) {
        reserved.add(hi(range.first()), lo(range.first()), hi(range.last()), lo(range.last()));
        occupied.add(hi(range.first()), lo(range.first()), hi(range.last()), lo(range.last()));
      }
    }
    this.total = countAllocatable();
    spec.preAllocations().forEach(this::reserveFor);
    this.preferred = new HashMap<>(spec.preferred());
    this.random = new Random(spec.randomSeed());
  }

  public PoolSpec spec() {
    return spec;
  }

  // ---------------------------------------------------------------- requests

  /**
   * One address for owner: the one it holds; else its pre-allocation; else its preferred address if
   * free; else what the order policy picks.
   */
  public AllocationResult allocate(String owner) {
    return allocate(owner, owner);
  }

  /**
   * As {@link #allocate(String)}, for an owner whose pre-allocation is keyed by another name: the
   * engine keys allocations by claim uid while a dialect may reserve by claim name (Metal3's {@code
   * preAllocations}).
   */
  public AllocationResult allocate(String owner, String reservedFor) {
    Optional<Allocation> held = lookup(owner);
    if (held.isPresent()) {
      return held.get();
    }
    Ip pre = spec.preAllocations().get(reservedFor);
    if (pre != null) {
      return allocatePreAllocated(owner, pre);
    }
    Ip wish = preferred.get(owner);
    if (wish != null
        && wish.family() == family
        && isAllocatable(wish)
        && !occupied.contains(hi(wish), lo(wish))) {
      return commitAddress(owner, hi(wish), lo(wish), true);
    }
    return switch (spec.order()) {
      case LOWEST_FIRST -> allocateLowest(owner);
      case NEXT_AFTER_LAST -> allocateAfterCursor(owner);
      case RANDOM -> allocateRandom(owner);
    };
  }

  /**
   * Exactly this address for owner (Metal3's ipAddress annotation, kubipam's single-address
   * request).
   */
  public AllocationResult allocateSpecific(String owner, Ip address) {
    return allocateSpecific(owner, owner, address);
  }

  /** As {@link #allocateSpecific(String, Ip)}, with the pre-allocation looked up by reservedFor. */
  public AllocationResult allocateSpecific(String owner, String reservedFor, Ip address) {
    Optional<Allocation> held = lookup(owner);
    if (held.isPresent()) {
      Allocation allocation = held.get();
      return !allocation.isBlock() && allocation.address().equals(address)
          ? allocation
          : new OwnerHoldsAnother(allocation);
    }
    Ip pre = spec.preAllocations().get(reservedFor);
    if (pre != null) {
      return pre.equals(address)
          ? allocatePreAllocated(owner, pre)
          : new DiffersFromPreAllocation(address, pre);
    }
    // An address of the other family is outside every segment, as an address of this family
    // beyond them is: its bits must never be compared with this family's.
    if (address.family() != family || segmentIndexOf(hi(address), lo(address)) < 0) {
      return new OutsideSegments(address);
    }
    String holder = holderOf(hi(address), lo(address));
    if (holder != null) {
      return new AddressTaken(address, holder);
    }
    String otherOwner = preAllocatedOwnerOf(hi(address), lo(address));
    if (otherOwner != null) {
      return new PreAllocatedToOther(address, otherOwner);
    }
    if (reserved.contains(hi(address), lo(address))) {
      return new Reserved(address);
    }
    return commitAddress(owner, hi(address), lo(address), false);
  }

  /** An aligned block of the given prefix length (kubipam chunks, prefix pools). */
  public AllocationResult allocateBlock(String owner, int prefixLength, BlockPlacement placement) {
    if (prefixLength < 0 || prefixLength > bits) {
      return new InvalidRequest("prefix length " + prefixLength + " is outside 0.." + bits);
    }
    Optional<Allocation> held = lookup(owner);
    if (held.isPresent()) {
      return held.get().blockPrefixLength() == prefixLength
          ? held.get()
          : new OwnerHoldsAnother(held.get());
    }
    int hostBits = bits - prefixLength;
    boolean found =
        placement == BlockPlacement.BEST_FIT
            ? findBestFitBlock(hostBits, scratch)
            : findLowestAlignedBlock(hostBits, scratch);
    if (!found) {
      return new Exhausted();
    }
    return commit(
        owner,
        scratch[0],
        scratch[1],
        scratch[0] | U128.highMask(hostBits),
        scratch[1] | U128.lowMask(hostBits),
        prefixLength);
  }

  /** Exactly this block (kubipam's {@code spec.request} CIDR); it must not have host bits. */
  public AllocationResult allocateSpecificBlock(String owner, Cidr block) {
    if (block.family() != family) {
      return new InvalidRequest(block + " is " + block.family() + " but the pool is " + family);
    }
    if (block.hasHostBits()) {
      return new InvalidRequest(block + " has host bits set; the block is " + block.masked());
    }
    Optional<Allocation> held = lookup(owner);
    if (held.isPresent()) {
      return held.get().addresses().equals(block.range())
          ? held.get()
          : new OwnerHoldsAnother(held.get());
    }
    IpRange range = block.range();
    long sHi = hi(range.first());
    long sLo = lo(range.first());
    long eHi = hi(range.last());
    long eLo = lo(range.last());
    if (segmentContaining(sHi, sLo, eHi, eLo) < 0) {
      return new OutsideSegments(range.first());
    }
    long p = allocations.floor(eHi, eLo);
    if (p != NONE && U128.compare(allocations.valHi(p), allocations.valLo(p), sHi, sLo) >= 0) {
      return new AddressTaken(
          ip(allocations.keyHi(p), allocations.keyLo(p)), (String) allocations.ref(p));
    }
    long pre = preAllocatedTo.floor(eHi, eLo);
    if (pre != NONE
        && U128.compare(preAllocatedTo.keyHi(pre), preAllocatedTo.keyLo(pre), sHi, sLo) >= 0) {
      return new PreAllocatedToOther(
          ip(preAllocatedTo.keyHi(pre), preAllocatedTo.keyLo(pre)),
          (String) preAllocatedTo.ref(pre));
    }
    List<IpRange> reservedInside = reserved.overlapping(family, sHi, sLo, eHi, eLo);
    if (!reservedInside.isEmpty()) {
      return new Reserved(reservedInside.get(0).first());
    }
    return commit(owner, sHi, sLo, eHi, eLo, block.prefixLength());
  }

  /** Gives back what owner holds. A pre-allocated address stays reserved for its owner. */
  public Optional<Allocation> release(String owner) {
    int slot = owners.find(owner);
    if (slot < 0) {
      return Optional.empty();
    }
    long sHi = owners.hiAt(slot);
    long sLo = owners.loAt(slot);
    long p = allocations.find(sHi, sLo);
    long eHi = allocations.valHi(p);
    long eLo = allocations.valLo(p);
    Allocation released = toAllocation(owner, sHi, sLo, eHi, eLo);
    count(sHi, sLo, eHi, eLo, false);
    allocations.removeAt(p);
    owners.removeAt(slot);
    occupied.remove(sHi, sLo, eHi, eLo);
    if (!reserved.isFree(sHi, sLo, eHi, eLo)) {
      for (IpRange range : reserved.overlapping(family, sHi, sLo, eHi, eLo)) {
        occupied.add(hi(range.first()), lo(range.first()), hi(range.last()), lo(range.last()));
      }
    }
    for (long pre = lastPreAllocationWithin(sHi, sLo, eHi, eLo);
        pre != NONE;
        pre = previousPreAllocationWithin(pre, sHi, sLo)) {
      long pHi = preAllocatedTo.keyHi(pre);
      long pLo = preAllocatedTo.keyLo(pre);
      occupied.add(pHi, pLo, pHi, pLo);
    }
    return Optional.of(released);
  }

  // ---------------------------------------------------------------- queries

  public Optional<Allocation> lookup(String owner) {
    int slot = owners.find(owner);
    if (slot < 0) {
      return Optional.empty();
    }
    long p = allocations.find(owners.hiAt(slot), owners.loAt(slot));
    return Optional.of(allocationAt(p));
  }

  /** The allocation that holds this address, if any. */
  public Optional<Allocation> holding(Ip address) {
    if (address.family() != family) {
      return Optional.empty();
    }
    long p = allocations.floor(hi(address), lo(address));
    if (p == NONE
        || U128.compare(allocations.valHi(p), allocations.valLo(p), hi(address), lo(address)) < 0) {
      return Optional.empty();
    }
    return Optional.of(allocationAt(p));
  }

  public boolean isAllocated(Ip address) {
    return holding(address).isPresent();
  }

  /** The owner an address is pre-allocated to, if any. */
  public Optional<String> preAllocatedOwner(Ip address) {
    return address.family() == family
        ? Optional.ofNullable(preAllocatedOwnerOf(address.hi(), address.lo()))
        : Optional.empty();
  }

  /** Every allocation in address order. */
  public void forEach(Consumer<Allocation> action) {
    for (long p = allocations.first(); p != NONE; p = allocations.next(p)) {
      action.accept(allocationAt(p));
    }
  }

  public int allocationCount() {
    return allocations.size();
  }

  public PoolCounts counts() {
    BigInteger used = unsigned(usedHi, usedLo);
    return new PoolCounts(total, used, total.subtract(used), unsigned(outOfRangeHi, outOfRangeLo));
  }

  /** How many coalesced occupied intervals the pool keeps: what its memory and costs grow with. */
  public int occupiedIntervalCount() {
    return occupied.intervalCount();
  }

  // ---------------------------------------------------------------- round robin and history

  /**
   * The last address handed out by a policy or preference, for {@link OrderPolicy#NEXT_AFTER_LAST}.
   */
  public Optional<Ip> cursor() {
    return hasCursor ? Optional.of(ip(cursorHi, cursorLo)) : Optional.empty();
  }

  /**
   * Restores the round-robin cursor persisted by a dialect (Harvester's {@code
   * status.lastAllocated}).
   */
  public void restoreCursor(Ip address) {
    if (address != null && address.family() == family) {
      hasCursor = true;
      cursorHi = address.hi();
      cursorLo = address.lo();
    }
  }

  /** Remembers the address owner should get back if it asks again (history). */
  public void prefer(String owner, Ip address) {
    preferred.put(owner, address);
  }

  public void forget(String owner) {
    preferred.remove(owner);
  }

  // ---------------------------------------------------------------- rebuild

  /**
   * Adopts an allocation that already exists in the API. Unlike a request, it is taken even outside
   * every segment or on a reserved address (nothing allocated is lost; {@link #counts()} shows it
   * as out of range). It is refused only when it would give one address to two owners, or two
   * allocations to one owner.
   */
  public Optional<RebuildConflict> adopt(ExistingAllocation existing) {
    IpRange range = existing.addresses();
    if (range.family() != family) {
      return Optional.of(
          new RebuildConflict(
              existing, false, range + " is " + range.family() + " in a " + family + " pool"));
    }
    Optional<Allocation> held = lookup(existing.owner());
    if (held.isPresent()) {
      return held.get().addresses().equals(range)
          ? Optional.empty()
          : Optional.of(
              new RebuildConflict(
                  existing, false, existing.owner() + " already holds " + held.get().addresses()));
    }
    long sHi = hi(range.first());
    long sLo = lo(range.first());
    long eHi = hi(range.last());
    long eLo = lo(range.last());
    long p = allocations.floor(eHi, eLo);
    if (p != NONE && U128.compare(allocations.valHi(p), allocations.valLo(p), sHi, sLo) >= 0) {
      return Optional.of(
          new RebuildConflict(
              existing,
              false,
              ip(allocations.keyHi(p), allocations.keyLo(p))
                  + " is already allocated to "
                  + allocations.ref(p)));
    }
    int prefix = blockPrefixLength(sHi, sLo, eHi, eLo);
    commit(existing.owner(), sHi, sLo, eHi, eLo, prefix);
    for (long pre = lastPreAllocationWithin(sHi, sLo, eHi, eLo);
        pre != NONE;
        pre = previousPreAllocationWithin(pre, sHi, sLo)) {
      String preOwner = (String) preAllocatedTo.ref(pre);
      if (!preOwner.equals(existing.reservationKey())) {
        Ip address = ip(preAllocatedTo.keyHi(pre), preAllocatedTo.keyLo(pre));
        return Optional.of(
            new RebuildConflict(existing, true, address + " is pre-allocated to " + preOwner));
      }
    }
    return Optional.empty();
  }

  /**
   * A new allocator for spec holding the existing allocations, taken in the given order (pass them
   * sorted by creation, so the oldest wins a clash). Clashes are reported, never thrown.
   */
  public static Rebuilt rebuild(PoolSpec spec, List<ExistingAllocation> existing) {
    PoolAllocator allocator = new PoolAllocator(spec);
    if (allocator.adoptAllIfClean(existing)) {
      return new Rebuilt(allocator, List.of());
    }
    // Some allocation clashes: adopt one at a time in the given order, so the oldest wins and every
    // clash is reported as adopt() words it.
    allocator = new PoolAllocator(spec);
    List<RebuildConflict> conflicts = new ArrayList<>();
    for (ExistingAllocation allocation : existing) {
      allocator.adopt(allocation).ifPresent(conflicts::add);
    }
    return new Rebuilt(allocator, List.copyOf(conflicts));
  }

  /**
   * The fast path of a rebuild, for the normal case of no clash: sorted by address, the allocations
   * are appended to the maps instead of inserted at random places. Returns false, with this
   * allocator left half-built, as soon as anything would be a conflict (wrong family, an owner
   * twice, overlapping addresses, a pre-allocation of someone else); the caller then starts over
   * one at a time.
   */
  private boolean adoptAllIfClean(List<ExistingAllocation> existing) {
    int n = existing.size();
    AddressSort.Columns columns = new AddressSort.Columns(n);
    String[] ownerOf = new String[n];
    String[] reservationKeyOf = new String[n];
    owners.ensureCapacity(n);
    for (int i = 0; i < n; i++) {
      ExistingAllocation allocation = existing.get(i);
      IpRange range = allocation.addresses();
      if (range.family() != family || owners.find(allocation.owner()) >= 0) {
        return false;
      }
      ownerOf[i] = allocation.owner();
      reservationKeyOf[i] = allocation.reservationKey();
      columns.startHi[i] = hi(range.first());
      columns.startLo[i] = lo(range.first());
      columns.endHi[i] = hi(range.last());
      columns.endLo[i] = lo(range.last());
      columns.input[i] = i;
      owners.put(allocation.owner(), columns.startHi[i], columns.startLo[i]);
    }
    AddressSort.byStart(columns);
    for (int k = 0; k < n; k++) {
      long sHi = columns.startHi[k];
      long sLo = columns.startLo[k];
      long eHi = columns.endHi[k];
      long eLo = columns.endLo[k];
      String owner = ownerOf[columns.input[k]];
      boolean overlapsPrevious =
          k > 0 && U128.compare(columns.endHi[k - 1], columns.endLo[k - 1], sHi, sLo) >= 0;
      if (overlapsPrevious
          || isPreAllocatedToOther(reservationKeyOf[columns.input[k]], sHi, sLo, eHi, eLo)) {
        return false;
      }
      record(owner, sHi, sLo, eHi, eLo);
    }
    return true;
  }

  private boolean isPreAllocatedToOther(String owner, long sHi, long sLo, long eHi, long eLo) {
    for (long pre = lastPreAllocationWithin(sHi, sLo, eHi, eLo);
        pre != NONE;
        pre = previousPreAllocationWithin(pre, sHi, sLo)) {
      if (!preAllocatedTo.ref(pre).equals(owner)) {
        return true;
      }
    }
    return false;
  }

  /** The rebuilt allocator and what could not be taken into it as it was. */
  public record Rebuilt(PoolAllocator allocator, List<RebuildConflict> conflicts) {}

  // ---------------------------------------------------------------- policies

  private AllocationResult allocateLowest(String owner) {
    for (int i = 0; i < segments.length; i++) {
      if (occupied.firstFree(firstHi[i], firstLo[i], lastHi[i], lastLo[i], scratch)) {
        return commitAddress(owner, scratch[0], scratch[1], true);
      }
    }
    return new Exhausted();
  }

  private AllocationResult allocateAfterCursor(String owner) {
    int start = hasCursor ? segmentIndexOf(cursorHi, cursorLo) : -1;
    if (start < 0) {
      return allocateLowest(owner);
    }
    // From just after the cursor to the end of its segment, then the other segments in order, then
    // the beginning
    // of the cursor's segment.
    boolean cursorAtEnd = cursorHi == lastHi[start] && cursorLo == lastLo[start];
    if (!cursorAtEnd
        && occupied.firstFree(
            U128.incHigh(cursorHi, cursorLo),
            cursorLo + 1,
            lastHi[start],
            lastLo[start],
            scratch)) {
      return commitAddress(owner, scratch[0], scratch[1], true);
    }
    for (int k = 1; k < segments.length; k++) {
      int i = (start + k) % segments.length;
      if (occupied.firstFree(firstHi[i], firstLo[i], lastHi[i], lastLo[i], scratch)) {
        return commitAddress(owner, scratch[0], scratch[1], true);
      }
    }
    if (occupied.firstFree(firstHi[start], firstLo[start], cursorHi, cursorLo, scratch)) {
      return commitAddress(owner, scratch[0], scratch[1], true);
    }
    return new Exhausted();
  }

  /** Draws tried at random in a segment before the exact walk: a sparse segment needs one. */
  private static final int RANDOM_TRIES = 8;

  /**
   * Uniform over the free addresses of the first segment that has one. First a few draws over the
   * whole segment, kept when free (rejection sampling: uniform over the free addresses, O(log n)
   * each); when they all meet occupied addresses (a dense segment), a rank k drawn in [0, free) and
   * the k-th free address found by walking the gaps between the occupied intervals, O(log n + m)
   * for the m occupied intervals of the segment. Either way each free address is equally likely,
   * whatever the occupied runs around it; all in unsigned 128-bit pairs without allocation.
   */
  private AllocationResult allocateRandom(String owner) {
    for (int i = 0; i < segments.length; i++) {
      if (!occupied.firstFree(firstHi[i], firstLo[i], lastHi[i], lastLo[i], scratch)) {
        continue;
      }
      long spanHi = U128.subHigh(lastHi[i], lastLo[i], firstHi[i], firstLo[i]);
      long spanLo = lastLo[i] - firstLo[i];
      for (int attempt = 0; attempt < RANDOM_TRIES; attempt++) {
        drawAtMost(spanHi, spanLo, scratch);
        long hi = U128.addHigh(firstHi[i], firstLo[i], scratch[0], scratch[1]);
        long lo = firstLo[i] + scratch[1];
        if (!occupied.contains(hi, lo)) {
          return commitAddress(owner, hi, lo, true);
        }
      }
      if (occupied.maxFreeRank(firstHi[i], firstLo[i], lastHi[i], lastLo[i], scratch)) {
        drawAtMost(scratch[0], scratch[1], scratch);
        if (!occupied.freeAtRank(
            firstHi[i], firstLo[i], lastHi[i], lastLo[i], scratch[0], scratch[1], scratch)) {
          throw new IllegalStateException("free rank out of range in segment " + i);
        }
        return commitAddress(owner, scratch[0], scratch[1], true);
      }
    }
    return new Exhausted();
  }

  /**
   * A uniform draw from [0, bound], bound an unsigned 128-bit (hi, lo), written to out as (hi, lo).
   * Below 2^63 one bounded draw; above, rejection sampling on the bound's bit length (fewer than
   * two tries on average).
   */
  private void drawAtMost(long boundHi, long boundLo, long[] out) {
    if (boundHi == 0 && boundLo >= 0 && boundLo != Long.MAX_VALUE) {
      out[0] = 0;
      out[1] = random.nextLong(boundLo + 1);
      return;
    }
    long maskHi = boundHi == 0 ? 0 : -1L >>> Long.numberOfLeadingZeros(boundHi);
    long maskLo = boundHi == 0 ? -1L >>> Long.numberOfLeadingZeros(boundLo) : -1L;
    long drawHi;
    long drawLo;
    do {
      drawHi = maskHi == 0 ? 0 : random.nextLong() & maskHi;
      drawLo = random.nextLong() & maskLo;
    } while (U128.compare(drawHi, drawLo, boundHi, boundLo) > 0);
    out[0] = drawHi;
    out[1] = drawLo;
  }

  private AllocationResult allocatePreAllocated(String owner, Ip pre) {
    String holder = holderOf(hi(pre), lo(pre));
    if (holder != null) {
      return new AddressTaken(pre, holder);
    }
    if (segmentAccepting(pre) == null) {
      return new OutsideSegments(pre);
    }
    return commitAddress(owner, hi(pre), lo(pre), false);
  }

  /**
   * The lowest aligned block of 2^hostBits addresses, segment by segment; its start goes to out.
   */
  private boolean findLowestAlignedBlock(int hostBits, long[] out) {
    long maskHi = U128.highMask(hostBits);
    long maskLo = U128.lowMask(hostBits);
    for (int i = 0; i < segments.length; i++) {
      long xHi = firstHi[i];
      long xLo = firstLo[i];
      while (alignUp(xHi, xLo, maskHi, maskLo, out)) {
        xHi = out[0];
        xLo = out[1];
        long endHi = xHi | maskHi;
        long endLo = xLo | maskLo;
        if (U128.compare(endHi, endLo, lastHi[i], lastLo[i]) > 0) {
          break;
        }
        if (!occupied.overlapEnd(xHi, xLo, endHi, endLo, out)) {
          out[0] = xHi;
          out[1] = xLo;
          return true;
        }
        if (out[0] == -1L && out[1] == -1L) {
          break;
        }
        // Continue after the occupied run that overlaps the candidate.
        xHi = U128.incHigh(out[0], out[1]);
        xLo = out[1] + 1;
      }
    }
    return false;
  }

  /**
   * Best fit: over every free gap, split into maximal aligned blocks, the smallest block that holds
   * 2^hostBits addresses, lowest address on ties; the request goes to its start.
   */
  private boolean findBestFitBlock(int hostBits, long[] out) {
    int bestBits = Integer.MAX_VALUE;
    long bestHi = 0;
    long bestLo = 0;
    long[] gap = new long[2];
    long[] next = new long[2];
    for (int i = 0; i < segments.length; i++) {
      long xHi = firstHi[i];
      long xLo = firstLo[i];
      while (occupied.firstFree(xHi, xLo, lastHi[i], lastLo[i], gap)) {
        long gsHi = gap[0];
        long gsLo = gap[1];
        long geHi = lastHi[i];
        long geLo = lastLo[i];
        if (occupied.nextStartAfter(gsHi, gsLo, next)
            && U128.compare(next[0], next[1], geHi, geLo) <= 0) {
          geHi = U128.decHigh(next[0], next[1]);
          geLo = next[1] - 1;
        }
        // Walk the gap's maximal aligned blocks.
        long aHi = gsHi;
        long aLo = gsLo;
        while (true) {
          int k = largestAlignedBlockBits(aHi, aLo, geHi, geLo);
          boolean better =
              k >= hostBits
                  && (k < bestBits
                      || (k == bestBits && U128.compare(aHi, aLo, bestHi, bestLo) < 0));
          if (better) {
            bestBits = k;
            bestHi = aHi;
            bestLo = aLo;
          }
          long endHi = aHi | U128.highMask(k);
          long endLo = aLo | U128.lowMask(k);
          if (U128.compare(endHi, endLo, geHi, geLo) >= 0) {
            break;
          }
          aHi = U128.incHigh(endHi, endLo);
          aLo = endLo + 1;
        }
        if (bestBits == hostBits || (geHi == lastHi[i] && geLo == lastLo[i])) {
          break;
        }
        xHi = U128.incHigh(geHi, geLo);
        xLo = geLo + 1;
      }
      if (bestBits == hostBits) {
        break;
      }
    }
    if (bestBits == Integer.MAX_VALUE) {
      return false;
    }
    out[0] = bestHi;
    out[1] = bestLo;
    return true;
  }

  /** The largest k such that a is aligned to 2^k and a + 2^k - 1 does not pass end. */
  private int largestAlignedBlockBits(long aHi, long aLo, long endHi, long endLo) {
    int alignment =
        aLo != 0
            ? Long.numberOfTrailingZeros(aLo)
            : (aHi != 0 ? 64 + Long.numberOfTrailingZeros(aHi) : bits);
    int k = Math.min(alignment, bits);
    while (k > 0 && U128.compare(aHi | U128.highMask(k), aLo | U128.lowMask(k), endHi, endLo) > 0) {
      k--;
    }
    return k;
  }

  /** x rounded up to the alignment mask; false when that passes the top of the address space. */
  private static boolean alignUp(long xHi, long xLo, long maskHi, long maskLo, long[] out) {
    if ((xHi & maskHi) == 0 && (xLo & maskLo) == 0) {
      out[0] = xHi;
      out[1] = xLo;
      return true;
    }
    long endHi = xHi | maskHi;
    long endLo = xLo | maskLo;
    if (endHi == -1L && endLo == -1L) {
      return false;
    }
    out[0] = U128.incHigh(endHi, endLo);
    out[1] = endLo + 1;
    return true;
  }

  // ---------------------------------------------------------------- bookkeeping

  private AllocationResult commitAddress(String owner, long aHi, long aLo, boolean movesCursor) {
    if (movesCursor) {
      hasCursor = true;
      cursorHi = aHi;
      cursorLo = aLo;
    }
    return commit(owner, aHi, aLo, aHi, aLo, bits);
  }

  private Allocation commit(
      String owner, long sHi, long sLo, long eHi, long eLo, int prefixLength) {
    owners.put(owner, sHi, sLo);
    record(owner, sHi, sLo, eHi, eLo);
    return new Allocation(
        owner, new IpRange(ip(sHi, sLo), ip(eHi, eLo)), prefixLength, segmentFor(sHi, sLo));
  }

  /** Enters an allocation into the address maps and counts; the owner index is the caller's. */
  private void record(String owner, long sHi, long sLo, long eHi, long eLo) {
    allocations.insert(sHi, sLo, eHi, eLo, owner);
    occupied.add(sHi, sLo, eHi, eLo);
    count(sHi, sLo, eHi, eLo, true);
  }

  private void reserveFor(String owner, Ip address) {
    preAllocatedTo.insert(hi(address), lo(address), hi(address), lo(address), owner);
    occupied.add(hi(address), lo(address), hi(address), lo(address));
    if (isAllocatable(address)) {
      usedLo++;
      usedHi += usedLo == 0 ? 1 : 0;
    }
  }

  /**
   * Adds (or takes away) an allocation's addresses to the used or the out-of-range count.
   * Pre-allocated addresses were counted as used when they were reserved, so they are not counted
   * again.
   */
  private void count(long sHi, long sLo, long eHi, long eLo, boolean add) {
    long sizeLo = eLo - sLo + 1;
    long sizeHi = U128.subHigh(eHi, eLo, sHi, sLo) + (sizeLo == 0 ? 1 : 0);
    boolean inRange =
        segmentContaining(sHi, sLo, eHi, eLo) >= 0 && reserved.isFree(sHi, sLo, eHi, eLo);
    if (inRange) {
      for (long pre = lastPreAllocationWithin(sHi, sLo, eHi, eLo);
          pre != NONE;
          pre = previousPreAllocationWithin(pre, sHi, sLo)) {
        sizeHi = U128.decHigh(sizeHi, sizeLo);
        sizeLo--;
      }
    }
    if (inRange) {
      usedHi =
          add
              ? U128.addHigh(usedHi, usedLo, sizeHi, sizeLo)
              : U128.subHigh(usedHi, usedLo, sizeHi, sizeLo);
      usedLo = add ? usedLo + sizeLo : usedLo - sizeLo;
    } else {
      outOfRangeHi =
          add
              ? U128.addHigh(outOfRangeHi, outOfRangeLo, sizeHi, sizeLo)
              : U128.subHigh(outOfRangeHi, outOfRangeLo, sizeHi, sizeLo);
      outOfRangeLo = add ? outOfRangeLo + sizeLo : outOfRangeLo - sizeLo;
    }
  }

  private BigInteger countAllocatable() {
    IntervalSet union = new IntervalSet(family == IpFamily.IPV6);
    for (int i = 0; i < segments.length; i++) {
      union.add(firstHi[i], firstLo[i], lastHi[i], lastLo[i]);
    }
    BigInteger sum = BigInteger.ZERO;
    for (IpRange range : union.toRanges(family)) {
      sum = sum.add(range.size());
      for (IpRange inside :
          reserved.overlapping(
              family, hi(range.first()), lo(range.first()), hi(range.last()), lo(range.last()))) {
        sum = sum.subtract(inside.size());
      }
    }
    return sum;
  }

  private boolean isAllocatable(Ip address) {
    return segmentIndexOf(hi(address), lo(address)) >= 0
        && !reserved.contains(hi(address), lo(address));
  }

  private String preAllocatedOwnerOf(long aHi, long aLo) {
    long p = preAllocatedTo.find(aHi, aLo);
    return p == NONE ? null : (String) preAllocatedTo.ref(p);
  }

  /** The highest pre-allocated address in [start, end], or NONE; walk down with the next method. */
  private long lastPreAllocationWithin(long sHi, long sLo, long eHi, long eLo) {
    long p = preAllocatedTo.floor(eHi, eLo);
    return p != NONE
            && U128.compare(preAllocatedTo.keyHi(p), preAllocatedTo.keyLo(p), sHi, sLo) >= 0
        ? p
        : NONE;
  }

  private long previousPreAllocationWithin(long p, long sHi, long sLo) {
    long q = preAllocatedTo.previous(p);
    return q != NONE
            && U128.compare(preAllocatedTo.keyHi(q), preAllocatedTo.keyLo(q), sHi, sLo) >= 0
        ? q
        : NONE;
  }

  private String holderOf(long aHi, long aLo) {
    long p = allocations.floor(aHi, aLo);
    if (p == NONE || U128.compare(allocations.valHi(p), allocations.valLo(p), aHi, aLo) < 0) {
      return null;
    }
    return (String) allocations.ref(p);
  }

  private int segmentIndexOf(long aHi, long aLo) {
    return segmentContaining(aHi, aLo, aHi, aLo);
  }

  /** The first segment whose range holds all of [start, end], or -1. */
  private int segmentContaining(long sHi, long sLo, long eHi, long eLo) {
    for (int i = 0; i < segments.length; i++) {
      if (U128.compare(firstHi[i], firstLo[i], sHi, sLo) <= 0
          && U128.compare(eHi, eLo, lastHi[i], lastLo[i]) <= 0) {
        return i;
      }
    }
    return -1;
  }

  private Segment segmentAccepting(Ip address) {
    for (Segment segment : segments) {
      if (segment.accepts(address)) {
        return segment;
      }
    }
    return null;
  }

  private Segment segmentFor(long sHi, long sLo) {
    int i = segmentIndexOf(sHi, sLo);
    return i >= 0 ? segments[i] : segmentAccepting(ip(sHi, sLo));
  }

  /** The allocation stored at a position of the allocation map. */
  private Allocation allocationAt(long p) {
    return toAllocation(
        (String) allocations.ref(p),
        allocations.keyHi(p),
        allocations.keyLo(p),
        allocations.valHi(p),
        allocations.valLo(p));
  }

  private Allocation toAllocation(String owner, long sHi, long sLo, long eHi, long eLo) {
    return new Allocation(
        owner,
        new IpRange(ip(sHi, sLo), ip(eHi, eLo)),
        blockPrefixLength(sHi, sLo, eHi, eLo),
        segmentFor(sHi, sLo));
  }

  /**
   * The prefix length of [start, end] seen as a block: bits minus log2 of its size (size is a power
   * of two).
   */
  private int blockPrefixLength(long sHi, long sLo, long eHi, long eLo) {
    long dHi = eHi ^ sHi;
    long dLo = eLo ^ sLo;
    int hostBits =
        dHi != 0 ? 128 - Long.numberOfLeadingZeros(dHi) : 64 - Long.numberOfLeadingZeros(dLo);
    return bits - hostBits;
  }

  private Ip ip(long hi, long lo) {
    return new Ip(family, hi, lo);
  }

  private static long hi(Ip address) {
    return address.hi();
  }

  private static long lo(Ip address) {
    return address.lo();
  }

  private static BigInteger unsigned(long hi, long lo) {
    return new Ip(IpFamily.IPV6, hi, lo).toBigInteger();
  }
}
