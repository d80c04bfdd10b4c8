package org.ipam.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipam.core.engine.ClaimId;
import org.ipam.core.engine.Ledger;
import org.ipam.core.engine.LedgerCommits;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the versioned-ledger commit costs the controller's CPU for a full ledger ({@link
 * LedgerCommits#MAX_ENTRIES}): recording a batch (1 or 100 new allocations) and removing a batch.
 * The store answers from memory and keeps nothing, so what is measured is the merge: the index of
 * the read and the new entry list (the dialect's JSON of the ledger comes on top). {@link
 * BenchMain} runs them with {@code -Dbench.include=LedgerBenchmarks}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LedgerBenchmarks {
  static final PoolKey POOL = new PoolKey("bench", "default", "pool");

  @Param({"8000"})
  int held;

  @Param({"1", "100"})
  int batch;

  private LedgerStore store;
  private List<LedgerCommits.Pending> pending;

  @Setup
  public void fill() {
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 0; i < held - batch; i++) {
      entries.add(LedgerEntry.of(claim(i), IpRange.single(Ip.v4(0x0A000001L + i))));
    }
    Ledger ledger = new Ledger("1", entries);
    store =
        new LedgerStore() {
          @Override
          public Ledger read() {
            return ledger;
          }

          @Override
          public Ledger write(Ledger base, List<LedgerEntry> written) {
            return new Ledger("2", written);
          }
        };
    pending = new ArrayList<>();
    for (int i = held - batch; i < held; i++) {
      pending.add(new LedgerCommits.Pending(claim(i), IpRange.single(Ip.v4(0x0A000001L + i))));
    }
  }

  private static ClaimId claim(int i) {
    return new ClaimId("IPAddressClaim", "default", "claim-" + i, "uid-" + i);
  }

  /** A pass's commit: read, index, check each new allocation, write the merged list. */
  @Benchmark
  public Object recordBatch() {
    return LedgerCommits.record(POOL, store, pending);
  }

  /** A pass's release of {@code batch} claims: read, filter, write. */
  @Benchmark
  public Object removeBatch() {
    java.util.Set<String> uids = new java.util.HashSet<>();
    for (int i = 0; i < batch; i++) {
      uids.add("uid-" + i);
    }
    return LedgerCommits.remove(store, e -> uids.contains(e.claimUid()));
  }
}
