package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ipam.core.engine.Ledger;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.mandelsoft.model.AllocationRecord;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A range's ledger: {@code status.allocations}, read live and written by a merge patch of the
 * status subresource carrying the resourceVersion it was read at (409 if the range changed since).
 * Upstream keeps allocations only in the requests' statuses; blocks of several sizes overlap, so no
 * object name derived from one block could lock it, and the ledger is the commit point
 * (docs/engine.md).
 */
final class RangeLedger implements LedgerStore {
  private static final Logger LOG = LoggerFactory.getLogger(RangeLedger.class);

  private final KubernetesClient client;
  private final IPAMRange range;
  private final Consumer<Ledger> onRead;

  RangeLedger(KubernetesClient client, IPAMRange range, Consumer<Ledger> onRead) {
    this.client = client;
    this.range = range;
    this.onRead = onRead;
  }

  @Override
  public Ledger read() {
    IPAMRange live = client.resource(range).get();
    if (live == null) {
      throw new IllegalStateException(
          MandelsoftApi.RANGE_KIND
              + " "
              + range.getMetadata().getNamespace()
              + "/"
              + range.getMetadata().getName()
              + " is gone");
    }
    Ledger ledger = ledgerOf(live);
    onRead.accept(ledger);
    return ledger;
  }

  /**
   * The generation of the range whose spec this pass serves: a commit finds the live range at
   * another one (the spec changed since the decisions) and leaves them to be made again.
   */
  @Override
  public long specGeneration() {
    Long generation = range.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /**
   * Bytes the range's JSON may spend on its ledger: etcd takes objects up to 1.5 MiB; the spec, the
   * metadata and the rest of the status fit in what is left.
   */
  static final long CAPACITY_BYTES = 1_400_000;

  /** About what one entry costs in the range's JSON: its four fields, keys and punctuation. */
  @Override
  public long cost(LedgerEntry entry) {
    return entry.addresses().toString().length()
        + Objects.toString(entry.claimNamespace(), "").length()
        + Objects.toString(entry.claimName(), "").length()
        + Objects.toString(entry.claimUid(), "").length()
        + 50;
  }

  @Override
  public long capacity() {
    return CAPACITY_BYTES;
  }

  private static Ledger ledgerOf(IPAMRange object) {
    Long generation = object.getMetadata().getGeneration();
    return new Ledger(
        object.getMetadata().getResourceVersion(),
        entriesOf(object),
        generation == null ? 0 : generation);
  }

  /** The API's answer shows what it kept: a CRD that does not declare the ledger prunes it. */
  @Override
  public Ledger write(Ledger base, List<LedgerEntry> entries) {
    List<AllocationRecord> records = new ArrayList<>();
    String namespace = range.getMetadata().getNamespace();
    for (LedgerEntry entry : entries) {
      records.add(
          new AllocationRecord(
              MandelsoftBlocks.cidrOf(entry.addresses()).toString(),
              namespace.equals(entry.claimNamespace()) ? null : entry.claimNamespace(),
              entry.claimName(),
              entry.claimUid()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("resourceVersion", base.resourceVersion()));
    body.put("status", Map.of("allocations", records));
    IPAMRange answer =
        client
            .resource(range)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
    return ledgerOf(answer);
  }

  /** The ledger's entries as a range object carries them (cached or read live). */
  static List<LedgerEntry> entriesOf(IPAMRange range) {
    if (range.getStatus() == null || range.getStatus().getAllocations() == null) {
      return List.of();
    }
    List<LedgerEntry> entries = new ArrayList<>();
    for (AllocationRecord record : range.getStatus().getAllocations()) {
      Parsed<Cidr> cidr = IpParser.parseCidr(record.getCidr());
      if (record.getUid() == null
          || record.getUid().isEmpty()
          || !(cidr instanceof Parsed.Valid<Cidr> valid)
          || valid.value().hasHostBits()) {
        LOG.warn(
            "IPAMRange {}/{}: status.allocations entry {} ignored (no uid, or its cidr does not"
                + " parse or has host bits)",
            range.getMetadata().getNamespace(),
            range.getMetadata().getName(),
            Serialization.asJson(record));
        continue;
      }
      entries.add(
          new LedgerEntry(
              valid.value().range(),
              MandelsoftApi.REQUEST_KIND,
              record.getNamespace() == null || record.getNamespace().isEmpty()
                  ? range.getMetadata().getNamespace()
                  : record.getNamespace(),
              record.getName(),
              record.getUid()));
    }
    return entries;
  }
}
