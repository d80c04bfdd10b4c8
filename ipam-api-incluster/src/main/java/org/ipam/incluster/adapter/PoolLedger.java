package org.ipam.incluster.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipam.core.engine.Ledger;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.incluster.model.AllocationRecord;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.pool.AddressSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-cluster pool's ledger: {@code status.allocations} of the pool object, read live and written
 * by a merge patch of the status subresource that carries the resourceVersion it was read at (the
 * API server refuses it with 409 if the pool changed since). Entries that do not parse are dropped
 * with a log line: the controller writes them, so only a hand edit makes one.
 */
final class PoolLedger implements LedgerStore {
  private static final Logger LOG = LoggerFactory.getLogger(PoolLedger.class);

  private final KubernetesClient client;
  private final HasMetadata pool;
  private final java.util.function.Consumer<Ledger> onRead;

  /**
   * @param onRead gets every live read: the engine learns at once what a refused commit found (the
   *     pool's {@code LedgerFeed})
   */
  PoolLedger(
      KubernetesClient client, HasMetadata pool, java.util.function.Consumer<Ledger> onRead) {
    this.client = client;
    this.pool = pool;
    this.onRead = onRead;
  }

  @Override
  public Ledger read() {
    HasMetadata live = client.resource(pool).get();
    if (live == null) {
      throw new IllegalStateException(
          pool.getKind() + " " + pool.getMetadata().getName() + " is gone");
    }
    Ledger ledger = ledgerOf(live);
    onRead.accept(ledger);
    return ledger;
  }

  /** The generation of the pool object the binding's spec came from. */
  @Override
  public long specGeneration() {
    return generationOf(pool);
  }

  @Override
  public Ledger write(Ledger base, List<LedgerEntry> entries) {
    List<AllocationRecord> records = new ArrayList<>();
    for (LedgerEntry entry : entries) {
      // A namespaced pool's claims are all of its namespace: only a Global pool's entries name it.
      records.add(
          new AllocationRecord(
              text(entry.addresses()),
              pool.getMetadata().getNamespace() == null ? entry.claimNamespace() : null,
              entry.claimName(),
              entry.claimUid()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("resourceVersion", base.resourceVersion()));
    body.put("status", Map.of("allocations", records));
    return ledgerOf(
        client
            .resource(pool)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body)));
  }

  private static Ledger ledgerOf(HasMetadata pool) {
    return new Ledger(pool.getMetadata().getResourceVersion(), entriesOf(pool), generationOf(pool));
  }

  private static long generationOf(HasMetadata pool) {
    Long generation = pool.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /** The ledger's entries as a pool object carries them (the cached one, or a live read). */
  static List<LedgerEntry> entriesOf(HasMetadata pool) {
    PoolStatus status = statusOf(pool);
    if (status == null || status.getAllocations() == null) {
      return List.of();
    }
    List<LedgerEntry> entries = new ArrayList<>();
    for (AllocationRecord record : status.getAllocations()) {
      IpRange held = parse(record.getAddress());
      if (record.getUid() == null || record.getUid().isEmpty() || held == null) {
        LOG.warn(
            "{} {}: status.allocations entry {} ignored (no uid, or its address does not parse)",
            pool.getKind(),
            pool.getMetadata().getName(),
            Serialization.asJson(record));
        continue;
      }
      entries.add(
          new LedgerEntry(
              held,
              InClusterRecords.CLAIM_KIND,
              record.getNamespace() == null
                  ? pool.getMetadata().getNamespace()
                  : record.getNamespace(),
              record.getName(),
              record.getUid()));
    }
    return entries;
  }

  /**
   * An entry's address: an IP, or a prefix pool's child prefix (an aligned block, as the allocator
   * hands them out) as a CIDR.
   */
  private static String text(IpRange held) {
    return held.size().equals(BigInteger.ONE)
        ? held.first().toString()
        : new Cidr(held.first(), held.family().bits() - (held.size().bitLength() - 1)).toString();
  }

  /** The addresses an entry's text holds; null when it does not parse or has host bits. */
  private static IpRange parse(String text) {
    if (text != null && text.contains("/")) {
      return AddressSyntax.parseCidr(text) instanceof Parsed.Valid<Cidr> cidr
              && !cidr.value().hasHostBits()
          ? cidr.value().range()
          : null;
    }
    return AddressSyntax.parseAddress(text) instanceof Parsed.Valid<Ip> ip
        ? IpRange.single(ip.value())
        : null;
  }

  static PoolStatus statusOf(HasMetadata pool) {
    if (pool instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> resource
        && resource.getStatus() instanceof PoolStatus status) {
      return status;
    }
    return null;
  }
}
