package org.ipam.core.alloc;

import java.util.Arrays;
import org.ipam.core.net.U128;

/**
 * A sorted map from unsigned 128-bit keys to a 128-bit value and an optional object, stored as a
 * directory of chunks of primitive arrays. Why not a TreeMap: a node object and two boxed keys per
 * entry cost about 100 bytes and a cache miss per level; here an entry costs its array slots,
 * appends (sequential fills) touch only the last chunk, and a random insert shifts at most one
 * chunk.
 *
 * <p>Columns are only stored when they carry information, because memory per allocated address is a
 * goal: a narrow map (IPv4) keeps no high halves, and a chunk keeps no value columns while every
 * value equals its key (single addresses, the common allocation). Reads of an absent column answer
 * 0 or the key.
 *
 * <p>Positions returned by {@link #floor}, {@link #first} and {@link #next} encode (chunk, slot);
 * they stay valid until the next insert or removal. Not thread-safe: the allocator that owns it is
 * serialised by its caller.
 */
final class U128SortedMap {
  static final long NONE = -1;
  private static final int CHUNK = 128;

  private final boolean wide;
  private final boolean withRefs;
  private long[] dirHi;
  private long[] dirLo = new long[16];
  private Chunk[] chunks = new Chunk[16];
  private int chunkCount;
  private int size;

  /**
   * @param wide whether keys and values may have a non-zero high half (IPv6); a narrow map refuses
   *     them
   * @param withRefs whether each entry carries an object
   */
  U128SortedMap(boolean wide, boolean withRefs) {
    this.wide = wide;
    this.withRefs = withRefs;
    this.dirHi = wide ? new long[16] : null;
  }

  private final class Chunk {
    final long[] keyHi = wide ? new long[CHUNK] : null;
    final long[] keyLo = new long[CHUNK];

    /** Null until some entry's value differs from its key; then as long as keyLo. */
    long[] valHi;

    long[] valLo;
    final Object[] refs = withRefs ? new Object[CHUNK] : null;
    int n;

    boolean hasValues() {
      return valLo != null;
    }

    /** From now on values are stored, starting as copies of the keys. */
    void storeValues() {
      valLo = keyLo.clone();
      valHi = wide ? keyHi.clone() : null;
    }

    long keyHi(int slot) {
      return keyHi == null ? 0 : keyHi[slot];
    }

    /** Moves n entries from slot from to slot to, within this chunk. */
    void shift(int from, int to, int count) {
      copy(keyHi, from, keyHi, to, count);
      System.arraycopy(keyLo, from, keyLo, to, count);
      copy(valHi, from, valHi, to, count);
      copy(valLo, from, valLo, to, count);
      copy(refs, from, refs, to, count);
    }

    /** Copies count entries from slot from to slot to of another chunk. */
    void copyTo(int from, Chunk other, int to, int count) {
      if (hasValues() && !other.hasValues()) {
        other.storeValues();
      }
      copy(keyHi, from, other.keyHi, to, count);
      System.arraycopy(keyLo, from, other.keyLo, to, count);
      if (other.hasValues()) {
        copy(hasValues() ? valHi : keyHi, from, other.valHi, to, count);
        System.arraycopy(hasValues() ? valLo : keyLo, from, other.valLo, to, count);
      }
      copy(refs, from, other.refs, to, count);
    }
  }

  private static void copy(Object from, int fromSlot, Object to, int toSlot, int count) {
    if (from != null) {
      System.arraycopy(from, fromSlot, to, toSlot, count);
    }
  }

  int size() {
    return size;
  }

  private static long pos(int chunk, int slot) {
    return ((long) chunk << 32) | slot;
  }

  private static int chunkOf(long pos) {
    return (int) (pos >>> 32);
  }

  private static int slotOf(long pos) {
    return (int) pos;
  }

  long keyHi(long pos) {
    return chunks[chunkOf(pos)].keyHi(slotOf(pos));
  }

  long keyLo(long pos) {
    return chunks[chunkOf(pos)].keyLo[slotOf(pos)];
  }

  long valHi(long pos) {
    Chunk c = chunks[chunkOf(pos)];
    if (!c.hasValues()) {
      return c.keyHi(slotOf(pos));
    }
    return c.valHi == null ? 0 : c.valHi[slotOf(pos)];
  }

  long valLo(long pos) {
    Chunk c = chunks[chunkOf(pos)];
    return c.hasValues() ? c.valLo[slotOf(pos)] : c.keyLo[slotOf(pos)];
  }

  Object ref(long pos) {
    return chunks[chunkOf(pos)].refs[slotOf(pos)];
  }

  void setValue(long pos, long hi, long lo) {
    requireFits(hi);
    Chunk c = chunks[chunkOf(pos)];
    int slot = slotOf(pos);
    if (!c.hasValues()) {
      if (c.keyHi(slot) == hi && c.keyLo[slot] == lo) {
        return;
      }
      c.storeValues();
    }
    if (c.valHi != null) {
      c.valHi[slot] = hi;
    }
    c.valLo[slot] = lo;
  }

  long first() {
    return size == 0 ? NONE : pos(0, 0);
  }

  long next(long pos) {
    int ci = chunkOf(pos);
    int slot = slotOf(pos) + 1;
    if (slot < chunks[ci].n) {
      return pos(ci, slot);
    }
    return ci + 1 < chunkCount ? pos(ci + 1, 0) : NONE;
  }

  long previous(long pos) {
    int ci = chunkOf(pos);
    int slot = slotOf(pos);
    if (slot > 0) {
      return pos(ci, slot - 1);
    }
    return ci > 0 ? pos(ci - 1, chunks[ci - 1].n - 1) : NONE;
  }

  /** The entry with the greatest key not above (hi, lo), or {@link #NONE}. */
  long floor(long hi, long lo) {
    int ci = floorChunk(hi, lo);
    if (ci < 0) {
      return NONE;
    }
    return pos(ci, floorSlot(chunks[ci], hi, lo));
  }

  /** The entry with exactly this key, or {@link #NONE}. */
  long find(long hi, long lo) {
    long p = floor(hi, lo);
    return p != NONE && keyHi(p) == hi && keyLo(p) == lo ? p : NONE;
  }

  private long dirHi(int ci) {
    return dirHi == null ? 0 : dirHi[ci];
  }

  private int floorChunk(long hi, long lo) {
    int last = chunkCount - 1;
    // Sequential fills append: the last chunk answers them without a search of the directory.
    if (last >= 0 && U128.compare(dirHi(last), dirLo[last], hi, lo) <= 0) {
      return last;
    }
    int low = 0;
    int high = last - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (U128.compare(dirHi(mid), dirLo[mid], hi, lo) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  private static int floorSlot(Chunk c, long hi, long lo) {
    int n = c.n;
    // Appends and lookups near the end dominate sequential fills: check the last slot first.
    if (U128.compare(c.keyHi(n - 1), c.keyLo[n - 1], hi, lo) <= 0) {
      return n - 1;
    }
    int low = 0;
    int high = n - 2;
    int found = 0;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (U128.compare(c.keyHi(mid), c.keyLo[mid], hi, lo) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  private void requireFits(long hi) {
    if (!wide && hi != 0) {
      throw new IllegalArgumentException("a narrow (IPv4) map cannot hold a 128-bit value");
    }
  }

  /** Inserts a key that is not present. */
  void insert(long hi, long lo, long vHi, long vLo, Object ref) {
    requireFits(hi | vHi);
    if (chunkCount == 0) {
      insertChunk(0, new Chunk());
    }
    int ci = Math.max(floorChunk(hi, lo), 0);
    Chunk c = chunks[ci];
    int slot = c.n == 0 ? 0 : insertionSlot(c, hi, lo);
    if (c.n == CHUNK) {
      if (slot == CHUNK && ci == chunkCount - 1) {
        // A sequential fill: start a fresh chunk and leave this one full.
        c = new Chunk();
        insertChunk(++ci, c);
        slot = 0;
      } else {
        Chunk upper = split(ci);
        if (slot > c.n) {
          slot -= c.n;
          c = upper;
          ci++;
        }
      }
    }
    if (!c.hasValues() && (vHi != hi || vLo != lo)) {
      c.storeValues();
    }
    int move = c.n - slot;
    if (move > 0) {
      c.shift(slot, slot + 1, move);
    }
    if (c.keyHi != null) {
      c.keyHi[slot] = hi;
    }
    c.keyLo[slot] = lo;
    if (c.hasValues()) {
      if (c.valHi != null) {
        c.valHi[slot] = vHi;
      }
      c.valLo[slot] = vLo;
    }
    if (withRefs) {
      c.refs[slot] = ref;
    }
    c.n++;
    size++;
    if (slot == 0) {
      setDirectory(ci, hi, lo);
    }
  }

  private void setDirectory(int ci, long hi, long lo) {
    if (dirHi != null) {
      dirHi[ci] = hi;
    }
    dirLo[ci] = lo;
  }

  private static int insertionSlot(Chunk c, long hi, long lo) {
    if (U128.compare(c.keyHi(c.n - 1), c.keyLo[c.n - 1], hi, lo) < 0) {
      return c.n;
    }
    if (U128.compare(c.keyHi(0), c.keyLo[0], hi, lo) > 0) {
      return 0;
    }
    return floorSlot(c, hi, lo) + 1;
  }

  /** Splits a full chunk into two halves and returns the upper one. */
  private Chunk split(int ci) {
    Chunk lower = chunks[ci];
    Chunk upper = new Chunk();
    int keep = CHUNK / 2;
    int moved = lower.n - keep;
    lower.copyTo(keep, upper, 0, moved);
    if (withRefs) {
      Arrays.fill(lower.refs, keep, lower.n, null);
    }
    upper.n = moved;
    lower.n = keep;
    insertChunk(ci + 1, upper);
    return upper;
  }

  void removeAt(long pos) {
    int ci = chunkOf(pos);
    int slot = slotOf(pos);
    Chunk c = chunks[ci];
    int move = c.n - slot - 1;
    if (move > 0) {
      c.shift(slot + 1, slot, move);
    }
    c.n--;
    if (withRefs) {
      c.refs[c.n] = null;
    }
    size--;
    if (c.n == 0) {
      removeChunk(ci);
      return;
    }
    if (slot == 0) {
      setDirectory(ci, c.keyHi(0), c.keyLo[0]);
    }
    mergeWithNextIfSparse(ci);
  }

  /** Keeps chunks at least a quarter full under churn, so memory per entry stays bounded. */
  private void mergeWithNextIfSparse(int ci) {
    if (ci + 1 >= chunkCount) {
      return;
    }
    Chunk c = chunks[ci];
    Chunk next = chunks[ci + 1];
    if (c.n >= CHUNK / 4 || c.n + next.n > CHUNK / 2) {
      return;
    }
    next.copyTo(0, c, c.n, next.n);
    c.n += next.n;
    removeChunk(ci + 1);
  }

  private void insertChunk(int at, Chunk chunk) {
    if (chunkCount == chunks.length) {
      int capacity = chunks.length * 2;
      dirHi = dirHi == null ? null : Arrays.copyOf(dirHi, capacity);
      dirLo = Arrays.copyOf(dirLo, capacity);
      chunks = Arrays.copyOf(chunks, capacity);
    }
    int move = chunkCount - at;
    if (move > 0) {
      copy(dirHi, at, dirHi, at + 1, move);
      System.arraycopy(dirLo, at, dirLo, at + 1, move);
      System.arraycopy(chunks, at, chunks, at + 1, move);
    }
    chunks[at] = chunk;
    chunkCount++;
    if (chunk.n > 0) {
      setDirectory(at, chunk.keyHi(0), chunk.keyLo[0]);
    } else {
      setDirectory(at, 0, 0);
    }
  }

  private void removeChunk(int at) {
    int move = chunkCount - at - 1;
    if (move > 0) {
      copy(dirHi, at + 1, dirHi, at, move);
      System.arraycopy(dirLo, at + 1, dirLo, at, move);
      System.arraycopy(chunks, at + 1, chunks, at, move);
    }
    chunkCount--;
    chunks[chunkCount] = null;
  }
}
