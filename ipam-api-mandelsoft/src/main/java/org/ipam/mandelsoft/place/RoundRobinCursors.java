package org.ipam.mandelsoft.place;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;

/**
 * One RoundRobin range's pointers, one per prefix length as upstream keeps them ({@code
 * status.roundRobin}: {@code <next address>/<prefix length>}), and the blocks it chose that the
 * cached ledger may not show yet (so that two requests of one pass, or of two passes faster than
 * the cache, are not given the same block). A choice the ledger never confirms (a commit that lost)
 * is forgotten after {@link #RECENT}. Guarded by the engine's pool lock: the binding's {@code
 * request} is its only caller during a pass.
 */
public final class RoundRobinCursors {
  static final Duration RECENT = Duration.ofMinutes(2);

  private final TreeMap<Integer, Ip> next = new TreeMap<>();
  private final Map<IpRange, Instant> recent = new LinkedHashMap<>();
  private boolean restored;

  /** Restores the pointers from the range's status, once (the first pass after a start). */
  public synchronized void restore(List<String> persisted) {
    if (restored) {
      return;
    }
    restored = true;
    if (persisted == null) {
      return;
    }
    for (String text : persisted) {
      if (IpParser.parseCidr(text) instanceof Parsed.Valid<Cidr> pointer) {
        next.putIfAbsent(pointer.value().prefixLength(), pointer.value().address());
      }
    }
  }

  /**
   * The next block of {@code prefix} after the pointer, wrapping; moves the pointer past it and
   * remembers it as chosen. Empty when no block is free as far as {@code held} and the recent
   * choices show.
   */
  public synchronized Optional<Cidr> choose(
      IpFamily family, List<IpRange> intervals, Collection<IpRange> held, int prefix, Instant now) {
    recent.values().removeIf(at -> at.plus(RECENT).isBefore(now));
    held.forEach(recent::remove);
    List<IpRange> occupied = new ArrayList<>(held);
    occupied.addAll(recent.keySet());
    Ip from = next.get(prefix);
    if (from != null && from.family() != family) {
      from = null;
    }
    Optional<Cidr> chosen = RoundRobinPlacement.next(family, intervals, occupied, prefix, from);
    chosen.ifPresent(
        block -> {
          recent.put(block.range(), now);
          BigInteger after = block.last().toBigInteger().add(BigInteger.ONE);
          if (after.bitLength() > family.bits()) {
            next.remove(prefix); // past the top of the address space: start again at the bottom
          } else {
            next.put(prefix, Ip.of(family, after));
          }
        });
    return chosen;
  }

  /** The pointers as {@code status.roundRobin} shows them, by prefix length. */
  public synchronized List<String> persisted() {
    List<String> out = new ArrayList<>();
    next.forEach((prefix, ip) -> out.add(ip + "/" + prefix));
    return out;
  }
}
