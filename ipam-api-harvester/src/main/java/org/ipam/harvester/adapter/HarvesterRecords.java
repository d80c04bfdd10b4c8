package org.ipam.harvester.adapter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.ObjectKey;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.AllocationRecord;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPoolStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the engine knows Harvester's objects: a pool by name (the names of both groups' pools are one
 * name space, as a LoadBalancer names its pool by name only), a LoadBalancer as a claim by uid, and
 * a pool's status as ledger entries and holdings.
 */
final class HarvesterRecords {
  private static final Logger LOG = LoggerFactory.getLogger(HarvesterRecords.class);

  static final String DIALECT = "harvester";
  static final String CLAIM_KIND = HarvesterApi.LOAD_BALANCER;

  /** The two kinds of claim a pool serves (its ledger records both). */
  static final java.util.Set<String> CLAIM_KINDS =
      java.util.Set.of(HarvesterApi.LOAD_BALANCER, HarvesterApi.SERVICE);

  /** An address in {@code status.allocated} that the ledger does not record (upstream's). */
  static final String FOREIGN_KIND = "allocated";

  private HarvesterRecords() {}

  static PoolKey poolKey(String name) {
    return new PoolKey(DIALECT, null, name);
  }

  /**
   * How {@code status.allocated} and {@code allocatedHistory} name a claim: {@code namespace/name}
   * for a LoadBalancer, as upstream; {@code Service/namespace/name} for a core Service, so that a
   * Service and a LoadBalancer of one name (Harvester makes such pairs) are never taken for one.
   */
  static String idOf(String kind, String namespace, String name) {
    String id = namespace + "/" + name;
    return HarvesterApi.SERVICE.equals(kind) ? HarvesterApi.SERVICE + "/" + id : id;
  }

  /**
   * The kind a ledger record carries: none for a LoadBalancer (the records upstream-era pools
   * have).
   */
  static String recordedKind(String claimKind) {
    return CLAIM_KIND.equals(claimKind) ? null : claimKind;
  }

  /** The ledger: {@code status.allocations}; a record that does not parse is dropped (logged). */
  static List<LedgerEntry> entriesOf(HarvesterIPPool pool) {
    IPPoolStatus status = pool.getStatus();
    if (status == null || status.getAllocations() == null) {
      return List.of();
    }
    List<LedgerEntry> entries = new ArrayList<>();
    for (AllocationRecord record : status.getAllocations()) {
      Parsed<Ip> ip = IpParser.parseAddress(record.getIp());
      if (!ip.isValid() || record.getUid() == null || record.getUid().isEmpty()) {
        LOG.warn(
            "{}: status.allocations entry for {}/{} ignored (no uid, or ip {} does not parse)",
            pool.describe(),
            record.getNamespace(),
            record.getName(),
            record.getIp());
        continue;
      }
      entries.add(
          new LedgerEntry(
              IpRange.single(ip.orElseThrow()),
              record.getKind() == null ? CLAIM_KIND : record.getKind(),
              record.getNamespace(),
              record.getName(),
              record.getUid()));
    }
    return entries;
  }

  /**
   * Addresses {@code status.allocated} shows that the ledger does not record: written by the
   * controller this one replaces. They stay occupied (held by no claim) until released by hand.
   */
  static List<Holding> foreignOf(HarvesterIPPool pool) {
    IPPoolStatus status = pool.getStatus();
    if (status == null || status.getAllocated() == null) {
      return List.of();
    }
    Set<String> recorded = new HashSet<>();
    entriesOf(pool).forEach(e -> recorded.add(e.addresses().first().toString()));
    List<Holding> foreign = new ArrayList<>();
    for (Map.Entry<String, String> entry : status.getAllocated().entrySet()) {
      Parsed<Ip> ip = IpParser.parseAddress(entry.getKey());
      if (ip.isValid() && !recorded.contains(ip.orElseThrow().toString())) {
        foreign.add(
            new Holding(
                foreignKey(pool.getMetadata().getName(), ip.orElseThrow()),
                IpRange.single(ip.orElseThrow()),
                CLAIM_KIND,
                null,
                null,
                null,
                false));
      }
    }
    return foreign;
  }

  static ObjectKey foreignKey(String pool, Ip ip) {
    return new ObjectKey(FOREIGN_KIND, null, pool + "/" + ip);
  }
}
