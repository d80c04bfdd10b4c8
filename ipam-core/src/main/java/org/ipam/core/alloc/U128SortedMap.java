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
 * <p>Positions returned by {@link #floor}, {@link #first} and {@link #next} encode (chunk, slot);
 * they stay valid until the next insert or removal. Not thread-safe: the allocator that owns it is
 * serialised by its caller.
 */
final class U128SortedMap {
  static final long NONE = -1;
  private static final int CHUNK = 256;

  private final boolean withRefs;
  private long[] dirHi = new long[16];
  private long[] dirLo = new long[16];
  private Chunk[] chunks = new Chunk[16];
  private int chunkCount;
  private int size;

  U128SortedMap(boolean withRefs) {
    this.withRefs = withRefs;
  }

  private final class Chunk {
    final long[] keyHi = new long[CHUNK];
    final long[] keyLo = new long[CHUNK];
    final long[] valHi = new long[CHUNK];
    final long[] valLo = new long[CHUNK];
    final Object[] refs = withRefs ? new Object[CHUNK] : null;
    int n;
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
    return chunks[chunkOf(pos)].keyHi[slotOf(pos)];
  }

  long keyLo(long pos) {
    return chunks[chunkOf(pos)].keyLo[slotOf(pos)];
  }

  long valHi(long pos) {
    return chunks[chunkOf(pos)].valHi[slotOf(pos)];
  }

  long valLo(long pos) {
    return chunks[chunkOf(pos)].valLo[slotOf(pos)];
  }

  Object ref(long pos) {
    return chunks[chunkOf(pos)].refs[slotOf(pos)];
  }

  void setValue(long pos, long hi, long lo) {
    Chunk c = chunks[chunkOf(pos)];
    c.valHi[slotOf(pos)] = hi;
    c.valLo[slotOf(pos)] = lo;
  }

  /**
   * Changes the key at pos; the caller keeps the order (the new key sorts between the neighbours).
   */
  void setKey(long pos, long hi, long lo) {
    int ci = chunkOf(pos);
    int slot = slotOf(pos);
    chunks[ci].keyHi[slot] = hi;
    chunks[ci].keyLo[slot] = lo;
    if (slot == 0) {
      dirHi[ci] = hi;
      dirLo[ci] = lo;
    }
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

  private int floorChunk(long hi, long lo) {
    int low = 0;
    int high = chunkCount - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (U128.compare(dirHi[mid], dirLo[mid], hi, lo) <= 0) {
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
    if (U128.compare(c.keyHi[n - 1], c.keyLo[n - 1], hi, lo) <= 0) {
      return n - 1;
    }
    int low = 0;
    int high = n - 2;
    int found = 0;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (U128.compare(c.keyHi[mid], c.keyLo[mid], hi, lo) <= 0) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** Inserts a key that is not present. */
  void insert(long hi, long lo, long vHi, long vLo, Object ref) {
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
    int move = c.n - slot;
    if (move > 0) {
      System.arraycopy(c.keyHi, slot, c.keyHi, slot + 1, move);
      System.arraycopy(c.keyLo, slot, c.keyLo, slot + 1, move);
      System.arraycopy(c.valHi, slot, c.valHi, slot + 1, move);
      System.arraycopy(c.valLo, slot, c.valLo, slot + 1, move);
      if (withRefs) {
        System.arraycopy(c.refs, slot, c.refs, slot + 1, move);
      }
    }
    c.keyHi[slot] = hi;
    c.keyLo[slot] = lo;
    c.valHi[slot] = vHi;
    c.valLo[slot] = vLo;
    if (withRefs) {
      c.refs[slot] = ref;
    }
    c.n++;
    size++;
    if (slot == 0) {
      dirHi[ci] = hi;
      dirLo[ci] = lo;
    }
  }

  private static int insertionSlot(Chunk c, long hi, long lo) {
    if (U128.compare(c.keyHi[c.n - 1], c.keyLo[c.n - 1], hi, lo) < 0) {
      return c.n;
    }
    if (U128.compare(c.keyHi[0], c.keyLo[0], hi, lo) > 0) {
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
    System.arraycopy(lower.keyHi, keep, upper.keyHi, 0, moved);
    System.arraycopy(lower.keyLo, keep, upper.keyLo, 0, moved);
    System.arraycopy(lower.valHi, keep, upper.valHi, 0, moved);
    System.arraycopy(lower.valLo, keep, upper.valLo, 0, moved);
    if (withRefs) {
      System.arraycopy(lower.refs, keep, upper.refs, 0, moved);
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
      System.arraycopy(c.keyHi, slot + 1, c.keyHi, slot, move);
      System.arraycopy(c.keyLo, slot + 1, c.keyLo, slot, move);
      System.arraycopy(c.valHi, slot + 1, c.valHi, slot, move);
      System.arraycopy(c.valLo, slot + 1, c.valLo, slot, move);
      if (withRefs) {
        System.arraycopy(c.refs, slot + 1, c.refs, slot, move);
      }
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
      dirHi[ci] = c.keyHi[0];
      dirLo[ci] = c.keyLo[0];
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
    System.arraycopy(next.keyHi, 0, c.keyHi, c.n, next.n);
    System.arraycopy(next.keyLo, 0, c.keyLo, c.n, next.n);
    System.arraycopy(next.valHi, 0, c.valHi, c.n, next.n);
    System.arraycopy(next.valLo, 0, c.valLo, c.n, next.n);
    if (withRefs) {
      System.arraycopy(next.refs, 0, c.refs, c.n, next.n);
    }
    c.n += next.n;
    removeChunk(ci + 1);
  }

  private void insertChunk(int at, Chunk chunk) {
    if (chunkCount == chunks.length) {
      int capacity = chunks.length * 2;
      dirHi = Arrays.copyOf(dirHi, capacity);
      dirLo = Arrays.copyOf(dirLo, capacity);
      chunks = Arrays.copyOf(chunks, capacity);
    }
    int move = chunkCount - at;
    if (move > 0) {
      System.arraycopy(dirHi, at, dirHi, at + 1, move);
      System.arraycopy(dirLo, at, dirLo, at + 1, move);
      System.arraycopy(chunks, at, chunks, at + 1, move);
    }
    chunks[at] = chunk;
    dirHi[at] = chunk.n > 0 ? chunk.keyHi[0] : 0;
    dirLo[at] = chunk.n > 0 ? chunk.keyLo[0] : 0;
    chunkCount++;
  }

  private void removeChunk(int at) {
    int move = chunkCount - at - 1;
    if (move > 0) {
      System.arraycopy(dirHi, at + 1, dirHi, at, move);
      System.arraycopy(dirLo, at + 1, dirLo, at, move);
      System.arraycopy(chunks, at + 1, chunks, at, move);
    }
    chunkCount--;
    chunks[chunkCount] = null;
  }
}
