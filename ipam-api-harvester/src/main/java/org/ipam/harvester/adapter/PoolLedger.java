package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ipam.core.engine.Ledger;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerStore;
import org.ipam.harvester.model.AllocationRecord;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPoolStatus;

/**
 * A Harvester pool's ledger: {@code status.allocations} (address, LoadBalancer and its uid), read
 * live and written with the status subresource's update, which carries the resourceVersion it was
 * read at (409 if the pool changed since). The same write keeps upstream's fields in step, as
 * upstream's store does on each reserve and release (reference 3.3): {@code allocated} (address to
 * {@code namespace/name}), {@code allocatedHistory} (a released address remembers its last holder;
 * a reserved one forgets any), {@code lastAllocated}, and {@code available}.
 */
final class PoolLedger implements LedgerStore {
  private final KubernetesClient client;
  private final HarvesterIPPool pool;
  private final long total;
  private final Consumer<Ledger> onRead;

  /** The objects of the reads, by resourceVersion: a write starts from the object it read. */
  private final Map<String, HarvesterIPPool> reads = new LinkedHashMap<>();

  /**
   * @param total the pool's {@code status.total}, so that {@code available} moves with each write
   * @param onRead gets every live read (the pool's {@code LedgerFeed})
   */
  PoolLedger(KubernetesClient client, HarvesterIPPool pool, long total, Consumer<Ledger> onRead) {
    this.client = client;
    this.pool = pool;
    this.total = total;
    this.onRead = onRead;
  }

  @Override
  public Ledger read() {
    HarvesterIPPool live = client.resource(pool).get();
    if (live == null) {
      throw new IllegalStateException(pool.describe() + " is gone");
    }
    reads.put(live.getMetadata().getResourceVersion(), live);
    Ledger ledger = ledgerOf(live);
    onRead.accept(ledger);
    return ledger;
  }

  /**
   * The ledger an object carries, with its resourceVersion and spec generation, and the addresses
   * its {@code status.allocated} gives to holders the ledger does not record (upstream's, or
   * written by hand): checked by the same read that guards the write, so no commit takes them.
   */
  static Ledger ledgerOf(HarvesterIPPool pool) {
    Long generation = pool.getMetadata().getGeneration();
    return new Ledger(
        pool.getMetadata().getResourceVersion(),
        HarvesterRecords.entriesOf(pool),
        generation == null ? 0 : generation,
        HarvesterRecords.foreignOf(pool));
  }

  /** The generation of the pool the pass's spec was read from. */
  @Override
  public long specGeneration() {
    Long generation = pool.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /**
   * Bytes the pool's JSON spends on the allocations and what upstream's fields keep besides: the
   * ledger (status.allocations) and status.allocated carry each allocation once, and both carry its
   * names, whatever their length. Bytes left for history, spec and metadata: {@link #MAX_HISTORY}
   * history entries of the longest names fit beside a full ledger.
   */
  static final long CAPACITY_BYTES = 900_000;

  /**
   * The most addresses {@code status.allocatedHistory} remembers: upstream's map grows with every
   * address ever released; beyond this, the addresses first in text order are forgotten first, save
   * those the same write released (a history entry is a preference, never a hold).
   */
  static final int MAX_HISTORY = 1_000;

  /** About what one allocation costs in the pool's JSON (both fields, keys and punctuation). */
  @Override
  public long cost(LedgerEntry entry) {
    long ip = entry.addresses().first().toString().length();
    long names = entry.claimNamespace().length() + entry.claimName().length();
    return 2 * (ip + names) + entry.claimUid().length() + entry.claimKind().length() + 60;
  }

  @Override
  public long capacity() {
    return CAPACITY_BYTES;
  }

  @Override
  public Ledger write(Ledger base, List<LedgerEntry> entries) {
    HarvesterIPPool live = reads.get(base.resourceVersion());
    if (live == null) {
      throw new IllegalStateException("no read of " + pool.describe() + " at " + base);
    }
    IPPoolStatus status = live.getStatus() == null ? new IPPoolStatus() : live.getStatus();
    apply(status, base.entries(), entries, total);
    live.setStatus(status);
    // The answer, not what was sent: a schema that prunes status.allocations shows here.
    return ledgerOf(client.resource(live).updateStatus());
  }

  /**
   * The status after the ledger went from {@code before} to {@code after}: upstream's fields
   * follow. Addresses in {@code allocated} that {@code before} did not record (another
   * controller's) are kept.
   */
  static void apply(
      IPPoolStatus status, List<LedgerEntry> before, List<LedgerEntry> after, long total) {
    Map<String, String> allocated = new TreeMap<>();
    Set<String> ours = new HashSet<>();
    before.forEach(e -> ours.add(ip(e)));
    if (status.getAllocated() != null) {
      status
          .getAllocated()
          .forEach(
              (ip, id) -> {
                if (!ours.contains(ip)) {
                  allocated.put(ip, id);
                }
              });
    }
    Map<String, String> history =
        new TreeMap<>(
            status.getAllocatedHistory() == null ? Map.of() : status.getAllocatedHistory());
    Set<String> now = new HashSet<>();
    List<AllocationRecord> records = new ArrayList<>();
    for (LedgerEntry entry : after) {
      String ip = ip(entry);
      now.add(ip);
      allocated.put(ip, id(entry));
      records.add(
          new AllocationRecord(
              ip,
              HarvesterRecords.recordedKind(entry.claimKind()),
              entry.claimNamespace(),
              entry.claimName(),
              entry.claimUid()));
      if (!ours.contains(ip)) {
        // Reserved now: whoever held it before loses the claim to it (upstream's Reserve).
        history.remove(ip);
        status.setLastAllocated(ip);
      }
    }
    Set<String> released = new HashSet<>();
    for (LedgerEntry entry : before) {
      if (!now.contains(ip(entry))) {
        history.put(ip(entry), id(entry));
        released.add(ip(entry));
      }
    }
    if (history.size() > MAX_HISTORY) {
      // Bounded: what this write released stays; of the rest, the first in text order go first.
      var older = history.keySet().iterator();
      while (history.size() > MAX_HISTORY && older.hasNext()) {
        if (!released.contains(older.next())) {
          older.remove();
        }
      }
    }
    status.setAllocations(records);
    status.setAllocated(allocated);
    status.setAllocatedHistory(history);
    status.setTotal(total);
    status.setAvailable(Math.max(0, total - allocated.size()));
    if (status.getLastAllocated() == null) {
      status.setLastAllocated("");
    }
  }

  private static String ip(LedgerEntry entry) {
    return entry.addresses().first().toString();
  }

  private static String id(LedgerEntry entry) {
    return HarvesterRecords.idOf(entry.claimKind(), entry.claimNamespace(), entry.claimName());
  }
}
