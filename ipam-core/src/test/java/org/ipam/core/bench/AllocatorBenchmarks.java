package org.ipam.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.ExistingAllocation;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The allocator's speed goals (issue "ipam-core allocator"), each as single-shot measurements on a
 * fresh or steady-state pool. {@link BenchMain} runs them and prints one BENCH line per case.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllocatorBenchmarks {
  static final int MILLION = 1_000_000;
  static final int SLICE = 100_000;
  static final int BASELINE_SLICE = 200;

  static PoolSpec pool(String cidr) {
    var block = IpParser.parseCidr(cidr).orElseThrow();
    return PoolSpec.of(block.family(), List.of(Segment.of(block)));
  }

  /** A pool filled to {@code fill} addresses; the measurement adds the next 100,000. */
  @State(Scope.Thread)
  public static class SequentialFill {
    @Param({"10.0.0.0/8", "2001:db8::/64"})
    public String cidr;

    @Param({"0", "450000", "900000"})
    public int fill;

    String[] owners;
    PoolAllocator allocator;

    @Setup(Level.Trial)
    public void names() {
      owners = Owners.names(MILLION);
    }

    @Setup(Level.Invocation)
    public void fill() {
      allocator = new PoolAllocator(pool(cidr));
      for (int i = 0; i < fill; i++) {
        allocator.allocate(owners[i]);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(SLICE)
  public void sequentialFill(SequentialFill state, Blackhole sink) {
    for (int i = state.fill; i < state.fill + SLICE; i++) {
      sink.consume(state.allocator.allocate(state.owners[i]));
    }
  }

  /** The baseline at the same fill levels; it is so slow that a slice is 200 allocations. */
  @State(Scope.Thread)
  public static class LinearFill {
    @Param({"0", "450000", "900000"})
    public int fill;

    LinearScanPool pool;

    @Setup(Level.Invocation)
    public void fill() {
      pool = new LinearScanPool(0, (1L << 24) - 1);
      for (int i = 0; i < fill; i++) {
        pool.markUsed(i);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BASELINE_SLICE)
  public void linearScanBaseline(LinearFill state, Blackhole sink) {
    for (int i = 0; i < BASELINE_SLICE; i++) {
      sink.consume(state.pool.allocate());
    }
  }

  /**
   * An IPv4 /12 (1,048,576 addresses) at 50 % fill, fragmented at random; each operation releases a
   * random holder or allocates for a new owner, alternately, so the fill stays at 50 %.
   */
  @State(Scope.Thread)
  public static class Churn {
    static final int SIZE = 1 << 20;
    String[] owners;
    int[] held;
    int heldCount;
    int nextOwner;
    Random random;
    PoolAllocator allocator;

    @Setup(Level.Trial)
    public void setup() {
      fragment(Owners.names(SIZE * 2));
    }

    void fragment(String[] names) {
      owners = names;
      allocator = new PoolAllocator(pool("10.16.0.0/12"));
      random = new Random(7);
      held = new int[SIZE];
      for (int i = 0; i < SIZE; i++) {
        allocator.allocate(owners[i]);
        held[i] = i;
      }
      heldCount = SIZE;
      while (heldCount > SIZE / 2) {
        releaseRandom();
      }
      nextOwner = SIZE;
    }

    void releaseRandom() {
      int at = random.nextInt(heldCount);
      allocator.release(owners[held[at]]);
      held[at] = held[--heldCount];
    }

    void allocateNext() {
      int owner = nextOwner++ % owners.length;
      allocator.allocate(owners[owner]);
      held[heldCount++] = owner;
    }
  }

  @Benchmark
  @OperationsPerInvocation(MILLION)
  public void churn(Churn state) {
    for (int i = 0; i < MILLION / 2; i++) {
      state.releaseRandom();
      state.allocateNext();
    }
  }

  /** 1,000,000 existing allocations at random addresses of an IPv4 /8, already parsed. */
  @State(Scope.Benchmark)
  public static class Existing {
    List<ExistingAllocation> existing;
    PoolSpec spec;

    @Setup(Level.Trial)
    public void make() {
      spec = pool("10.0.0.0/8");
      String[] owners = Owners.names(MILLION);
      java.util.BitSet taken = new java.util.BitSet(1 << 24);
      Random random = new Random(11);
      existing = new ArrayList<>(MILLION);
      while (existing.size() < MILLION) {
        int offset = random.nextInt(1 << 24);
        if (!taken.get(offset)) {
          taken.set(offset);
          existing.add(ExistingAllocation.of(owners[existing.size()], Ip.v4((10L << 24) | offset)));
        }
      }
    }
  }

  @Benchmark
  public PoolAllocator.Rebuilt rebuild(Existing state) {
    return PoolAllocator.rebuild(state.spec, state.existing);
  }

  /** The text of the same 1,000,000 addresses, to report parsing separately from the rebuild. */
  @State(Scope.Benchmark)
  public static class ExistingText {
    String[] texts;

    @Setup(Level.Trial)
    public void make(Existing existing) {
      texts =
          existing.existing.stream()
              .map(e -> e.addresses().first().toString())
              .toArray(String[]::new);
    }
  }

  @Benchmark
  @OperationsPerInvocation(MILLION)
  public void parseAddresses(ExistingText state, Blackhole sink) {
    for (String text : state.texts) {
      sink.consume(IpParser.parseAddress(text));
    }
  }

  /** /28 blocks from an IPv4 /8 until it is full: 1,048,576 blocks. */
  @State(Scope.Thread)
  public static class Blocks {
    String[] owners;
    PoolAllocator allocator;

    @Setup(Level.Trial)
    public void names() {
      owners = Owners.names(1 << 20);
    }

    @Setup(Level.Invocation)
    public void empty() {
      allocator = new PoolAllocator(pool("10.0.0.0/8"));
    }
  }

  @Benchmark
  @OperationsPerInvocation(1 << 20)
  public void blocksUntilFull(Blocks state, Blackhole sink) {
    for (String owner : state.owners) {
      sink.consume(state.allocator.allocateBlock(owner, 28, BlockPlacement.LOWEST_ALIGNED));
    }
  }
}
