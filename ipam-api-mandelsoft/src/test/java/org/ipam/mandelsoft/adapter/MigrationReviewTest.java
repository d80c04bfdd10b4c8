package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.EngineListener;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.PoolKey;
import org.ipam.mandelsoft.model.AllocationRecord;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.IPAMRangeStatus;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestStatus;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.place.RoundRobinCursors;
import org.junit.jupiter.api.Test;

/**
 * Review: taking over upstream kubipam's allocations (docs/compat/mandelsoft.md row 24). Drives one
 * engine pass through the real IPAMRangeBinding and RangeLedger against a tiny in-memory API (a
 * dynamic proxy for the few client calls they make).
 */
class MigrationReviewTest {

  /** The in-memory API: objects by name, the range's resourceVersion, every status patch. */
  static final class Api {
    IPAMRange range;
    long rangeVersion = 10;
    final Map<String, Map<String, Object>> requestStatus = new HashMap<>();

    KubernetesClient client() {
      return (KubernetesClient)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {KubernetesClient.class},
              (p, m, a) -> {
                if (m.getName().equals("resource")) {
                  return handle(m.getReturnType(), (HasMetadata) a[0], false);
                }
                throw new KubernetesClientException("not in this fake: " + m.getName());
              });
    }

    private Object handle(Class<?> type, HasMetadata object, boolean status) {
      InvocationHandler h =
          (p, m, a) -> {
            switch (m.getName()) {
              case "subresource":
                return handle(m.getReturnType(), object, true);
              case "get":
                return object instanceof IPAMRange ? copy(range) : null;
              case "patch":
                return patch(object, status, (String) a[1]);
              default:
                throw new KubernetesClientException("not in this fake: " + m.getName());
            }
          };
      return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    @SuppressWarnings("unchecked")
    private Object patch(HasMetadata object, boolean status, String json) {
      Map<String, Object> body = Serialization.unmarshal(json, Map.class);
      if (object instanceof IPAMRange) {
        Map<String, Object> meta = (Map<String, Object>) body.get("metadata");
        if (meta != null
            && meta.get("resourceVersion") != null
            && !String.valueOf(rangeVersion).equals(meta.get("resourceVersion"))) {
          throw new KubernetesClientException("conflict", 409, null);
        }
        Map<String, Object> st = (Map<String, Object>) body.get("status");
        if (status && st != null && st.containsKey("allocations")) {
          List<AllocationRecord> records = new ArrayList<>();
          for (Object o : (List<Object>) st.get("allocations")) {
            records.add(Serialization.unmarshal(Serialization.asJson(o), AllocationRecord.class));
          }
          range.getStatus().setAllocations(records);
        }
        rangeVersion++;
        range.getMetadata().setResourceVersion(String.valueOf(rangeVersion));
        return copy(range);
      }
      if (status) {
        requestStatus.put(object.getMetadata().getName(), (Map<String, Object>) body.get("status"));
      }
      return object;
    }

    static IPAMRange copy(IPAMRange r) {
      return Serialization.unmarshal(Serialization.asJson(r), IPAMRange.class);
    }
  }

  static IPAMRequest request(String name, String created, String cidr, String state) {
    IPAMRequest r = MandelsoftHarness.request("default", name, "pool", null, null);
    r.setMetadata(
        new ObjectMetaBuilder(r.getMetadata())
            .withUid("uid-" + name)
            .withResourceVersion("1")
            .withCreationTimestamp(created)
            .withFinalizers(cidr == null ? List.of() : List.of(MandelsoftApi.FINALIZER))
            .build());
    if (state != null) {
      IPAMRequestStatus s = new IPAMRequestStatus();
      s.setState(state);
      s.setCidr(cidr);
      r.setStatus(s);
    }
    return r;
  }

  static IPAMRange range(Integer chunk) {
    IPAMRange range = new IPAMRange();
    range.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("default")
            .withName("pool")
            .withUid("range-uid")
            .withGeneration(1L)
            .withResourceVersion("10")
            .withFinalizers(MandelsoftApi.FINALIZER)
            .build());
    IPAMRangeSpec spec = new IPAMRangeSpec();
    spec.setRanges(List.of("10.0.0.0/24"));
    spec.setChunkSize(chunk);
    range.setSpec(spec);
    range.setStatus(new IPAMRangeStatus()); // upstream's: no status.allocations
    return range;
  }

  private static Map<String, String> ledgerOf(IPAMRange range) {
    Map<String, String> byName = new HashMap<>();
    if (range.getStatus().getAllocations() != null) {
      range.getStatus().getAllocations().forEach(r -> byName.put(r.getName(), r.getCidr()));
    }
    return byName;
  }

  /**
   * One pass as the range's reconciler runs it: the requests fed to the engine and to the takeover
   * view, the cached range's ledger delivered, then the binding run.
   */
  private static void onePass(Api api, List<IPAMRequest> requests) {
    try (AllocationEngine engine = new AllocationEngine(2, EngineListener.NONE)) {
      PoolKey key = MandelsoftRecords.rangeKey("default", "pool");
      Takeovers takeovers = new Takeovers();
      for (IPAMRequest r : requests) {
        takeovers.seen(key, r);
        engine.claimSeen(key, r, MandelsoftRecords.facts(r));
      }
      IPAMRange cached = Api.copy(api.range);
      LedgerFeed ledgers = new LedgerFeed(engine);
      ledgers.deliver(
          key,
          cached.getMetadata().getResourceVersion(),
          RangeLedger.entriesOf(cached),
          Clock.systemUTC().instant());
      engine.run(
          new IPAMRangeBinding(
              api.client(),
              cached,
              key,
              RangeServing.of(cached),
              ledgers,
              new RoundRobinCursors(),
              Clock.systemUTC(),
              takeovers.snapshot(key, IPAMRangeReconciler.recordedUids(cached))));
    }
  }

  /** The request as the informer shows it after the statuses written so far (merge patch). */
  private static IPAMRequest asNowShown(Api api, IPAMRequest r) {
    Map<String, Object> written = api.requestStatus.get(r.getMetadata().getName());
    if (written == null) {
      return r;
    }
    IPAMRequest copy = Serialization.unmarshal(Serialization.asJson(r), IPAMRequest.class);
    IPAMRequestStatus s = copy.getStatus() == null ? new IPAMRequestStatus() : copy.getStatus();
    if (written.containsKey("state")) {
      s.setState((String) written.get("state"));
    }
    if (written.containsKey("message")) {
      s.setMessage((String) written.get("message"));
    }
    if (written.containsKey("cidr")) {
      s.setCidr((String) written.get("cidr"));
    }
    copy.setStatus(s);
    return copy;
  }

  private static List<IPAMRequest> asNowShown(Api api, List<IPAMRequest> requests) {
    return requests.stream().map(r -> asNowShown(api, r)).toList();
  }

  /**
   * Upstream served a and b (two /25s, the range full) while c, created between them, waited
   * (workqueue order is not deterministic upstream: reference 3.6). At the swap the first pass
   * serves claims oldest first, so c is decided before b adopts the block its status shows: c is
   * handed b's block, which b's consumer is still using.
   */
  @Test
  void aServedRequestKeepsTheBlockItsStatusShowsWhenAnOlderRequestWaits() {
    Api api = new Api();
    api.range = range(25);
    IPAMRequest a = request("a", "2024-01-01T00:00:00Z", "10.0.0.0/25", "Ready");
    IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, "Busy");
    IPAMRequest b = request("b", "2024-01-01T00:00:02Z", "10.0.0.128/25", "Ready");

    onePass(api, List.of(a, b, c));

    assertThat(ledgerOf(api.range))
        .as("b's upstream block stays b's, c keeps waiting")
        .containsEntry("a", "10.0.0.0/25")
        .containsEntry("b", "10.0.0.128/25")
        .doesNotContainKey("c");
    assertThat(api.requestStatus.get("c"))
        .as("c is told why it waits, and holds nothing")
        .containsEntry("state", "Busy")
        .doesNotContainKey("cidr");

    // The next pass, with b's block recorded: c is decided, and the range is full.
    api.requestStatus.clear();
    onePass(api, asNowShown(api, List.of(a, b, c)));
    assertThat(ledgerOf(api.range)).containsEntry("b", "10.0.0.128/25").doesNotContainKey("c");
    assertThat(api.requestStatus.get("c"))
        .containsEntry("state", "Busy")
        .containsEntry("cidr", null);
    assertThat((String) api.requestStatus.get("c").get("message"))
        .startsWith("allocation with size 25 failed");
  }

  /**
   * A shown block that cannot be recorded (taken by an older shown block, outside the range, not a
   * CIDR) holds fresh requests back only until its request is told: then they are decided.
   */
  @Test
  void aShownBlockThatCannotBeRecordedDoesNotHoldFreshRequestsForever() {
    Api api = new Api();
    api.range = range(25);
    IPAMRequest a = request("a", "2024-01-01T00:00:00Z", "10.0.0.0/25", "Ready");
    IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, "Busy");
    IPAMRequest b = request("b", "2024-01-01T00:00:02Z", "10.0.0.0/25", "Ready");
    IPAMRequest d = request("d", "2024-01-01T00:00:03Z", "10.9.0.0/25", "Ready");
    IPAMRequest e = request("e", "2024-01-01T00:00:04Z", "not-a-cidr", "Ready");
    List<IPAMRequest> all = List.of(a, b, c, d, e);

    onePass(api, all);
    assertThat(ledgerOf(api.range))
        .containsEntry("a", "10.0.0.0/25")
        .doesNotContainKeys("b", "c", "d", "e");
    assertThat(api.requestStatus.get("b"))
        .containsEntry("state", "Busy")
        .containsEntry("cidr", null);
    assertThat(api.requestStatus.get("d"))
        .containsEntry("state", "Invalid")
        .containsEntry("cidr", null);

    // b and d are told: their blocks no longer count, and the waiting requests are decided.
    onePass(api, asNowShown(api, all));
    assertThat(ledgerOf(api.range))
        .containsEntry("a", "10.0.0.0/25")
        .containsEntry("c", "10.0.0.128/25")
        .doesNotContainKeys("b", "d", "e");
  }

  /**
   * Upstream treats a negative chunkSize as unset (reference 2.9) and served b. Here the range is
   * Invalid (compat row 15), and the first pass answers b, which holds no ledger entry yet, with
   * Invalid and {@code cidr: null}: the only record of the block b's consumer uses is erased.
   */
  @Test
  void anUpstreamRangeOurRulesCallInvalidDoesNotEraseTheBlocksItsRequestsShow() {
    Api api = new Api();
    api.range = range(-1);
    IPAMRequest b = request("b", "2024-01-01T00:00:02Z", "10.0.0.0/32", "Ready");

    onePass(api, List.of(b));

    Map<String, Object> written = api.requestStatus.get("b");
    assertThat(written == null || written.get("cidr") != null)
        .as("b's status.cidr is kept (written: %s)", written)
        .isTrue();
    assertThat(ledgerOf(api.range)).isEmpty();
  }

  /**
   * A range that is not valid keeps the blocks its requests show; once fixed, they are recorded
   * before an older fresh request is decided.
   */
  @Test
  void aFixedRangeRecordsTheShownBlocksBeforeFreshRequests() {
    Api api = new Api();
    api.range = range(-1);
    IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, "Busy");
    IPAMRequest b = request("b", "2024-01-01T00:00:02Z", "10.0.0.0/32", "Ready");

    onePass(api, List.of(b, c));
    assertThat(api.requestStatus.get("b"))
        .containsEntry("state", "Invalid")
        .containsEntry("cidr", "10.0.0.0/32");
    assertThat(ledgerOf(api.range)).isEmpty();

    api.range.getSpec().setChunkSize(null);
    api.range.getMetadata().setGeneration(2L);
    onePass(api, asNowShown(api, List.of(b, c)));
    assertThat(ledgerOf(api.range)).containsEntry("b", "10.0.0.0/32").doesNotContainKey("c");
    assertThat(api.requestStatus.get("b"))
        .containsEntry("state", "Ready")
        .containsEntry("cidr", "10.0.0.0/32");

    onePass(api, asNowShown(api, List.of(b, c)));
    assertThat(ledgerOf(api.range)).containsEntry("b", "10.0.0.0/32").containsKey("c");
    assertThat(ledgerOf(api.range).get("c")).isNotEqualTo("10.0.0.0/32");
  }
}
