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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.CoalescedEvents;
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
   * One controller process: its engine, takeover view and ledger feed live across passes, as the
   * range's reconciler keeps them. Each pass feeds the requests as the informer shows them now,
   * delivers the cached range's ledger, then runs the binding.
   */
  static final class Controller implements AutoCloseable {
    final PoolKey key = MandelsoftRecords.rangeKey("default", "pool");
    final AllocationEngine engine = new AllocationEngine(2, EngineListener.NONE);
    final Takeovers takeovers = new Takeovers();
    final LedgerFeed ledgers = new LedgerFeed(engine);
    final RoundRobinCursors cursors = new RoundRobinCursors();
    Function<String, Optional<String>> elsewhere = uid -> Optional.empty();
    Takeovers.Snapshot last;

    void pass(Api api, List<IPAMRequest> requests) {
      for (IPAMRequest r : requests) {
        takeovers.seen(key, r);
        engine.claimSeen(key, r, MandelsoftRecords.facts(r));
      }
      IPAMRange cached = Api.copy(api.range);
      ledgers.deliver(
          key,
          cached.getMetadata().getResourceVersion(),
          RangeLedger.entriesOf(cached),
          Clock.systemUTC().instant());
      Set<String> recorded = new HashSet<>();
      RangeLedger.entriesOf(cached).forEach(entry -> recorded.add(entry.claimUid()));
      last =
          takeovers.snapshot(key, recorded, cached.getMetadata().getResourceVersion(), elsewhere);
      if (!last.pending()) {
        takeovers.release(key).forEach(uid -> engine.claimTouched(key, uid));
      }
      engine.run(
          new IPAMRangeBinding(
              api.client(),
              cached,
              key,
              RangeServing.of(cached),
              ledgers,
              cursors,
              Clock.systemUTC(),
              CoalescedEvents.writing(api.client(), Clock.systemUTC(), engine),
              last));
    }

    /** Whether the range, being deleted, may go: what the reconciler asks before the finalizer. */
    boolean rangeMayGo() {
      return !engine.holdsAnything(key) && !last.pending();
    }

    /** The range object is gone (its finalizer removed): what the reconciler forgets. */
    void rangeGone() {
      ledgers.forget(key);
      engine.forget(key);
      takeovers.forget(key);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  /** One pass of a controller started for it (a restart before every pass). */
  private static void onePass(Api api, List<IPAMRequest> requests) {
    try (Controller controller = new Controller()) {
      controller.pass(api, requests);
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
      if (s.getCidr() != null
          && !copy.getMetadata().getFinalizers().contains(MandelsoftApi.FINALIZER)) {
        // The binding adds its finalizer before it writes a block (not recorded by this fake).
        copy.getMetadata().getFinalizers().add(MandelsoftApi.FINALIZER);
      }
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

  /**
   * Cold review F1: a range being deleted whose spec our rules refuse kept b's shown block but let
   * the range go (the engine held nothing for b), and forgot what b showed: the range created again
   * under its name handed b's block to the older fresh request c. Now the range waits for the shown
   * block, and what requests show outlives the range object.
   */
  @Test
  void aRangeBeingDeletedWaitsForShownBlocksAndItsSuccessorRecordsThemFirst() {
    Api api = new Api();
    api.range = range(-1);
    api.range.getMetadata().setDeletionTimestamp("2024-02-01T00:00:00Z");
    IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, "Busy");
    IPAMRequest b = request("b", "2024-01-01T00:00:02Z", "10.0.0.0/32", "Ready");
    try (Controller controller = new Controller()) {
      controller.pass(api, List.of(b, c));
      assertThat(api.requestStatus.get("b")).containsEntry("cidr", "10.0.0.0/32");
      assertThat(controller.rangeMayGo()).as("b's block is in use: the range waits").isFalse();

      // Gone all the same (its finalizer removed by hand) and created again, valid, under its
      // name; no request changed, so the informer tells nothing new.
      controller.rangeGone();
      api.range = range(null);
      api.range.getMetadata().setUid("range-uid-2");
      api.rangeVersion = 10;
      api.requestStatus.clear();
      controller.pass(api, List.of());
      assertThat(ledgerOf(api.range))
          .as("b's block is recorded before the older fresh request c is decided")
          .containsEntry("b", "10.0.0.0/32")
          .doesNotContainKey("c");

      controller.pass(api, asNowShown(api, List.of(b, c)));
      assertThat(ledgerOf(api.range)).containsEntry("b", "10.0.0.0/32").containsKey("c");
      assertThat(ledgerOf(api.range).get("c")).isNotEqualTo("10.0.0.0/32");
    }
  }

  /**
   * Cold review F2: the requests this controller served were never takeovers again, for the life of
   * the process. When the range's ledger was lost while it ran (its status overwritten), the older
   * fresh request c was handed a's block, which a still showed and used. Now a block counts as
   * served by this process only until the ledger shows it.
   */
  @Test
  void aLedgerLostWhileRunningHandsNoShownBlockToAnotherRequest() {
    Api api = new Api();
    api.range = range(25);
    IPAMRequest p = request("p", "2024-01-01T00:00:00Z", null, null);
    IPAMRequest a = request("a", "2024-01-01T00:00:02Z", null, null);
    try (Controller controller = new Controller()) {
      controller.pass(api, List.of(p, a));
      assertThat(ledgerOf(api.range))
          .containsEntry("p", "10.0.0.0/25")
          .containsEntry("a", "10.0.0.128/25");
      controller.pass(api, asNowShown(api, List.of(p, a)));

      api.range.getStatus().setAllocations(null);
      api.rangeVersion++;
      api.range.getMetadata().setResourceVersion(String.valueOf(api.rangeVersion));
      IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, null);
      controller.pass(api, List.of(c));

      assertThat(ledgerOf(api.range))
          .as("the blocks p and a show are recorded again, for them")
          .containsEntry("p", "10.0.0.0/25")
          .containsEntry("a", "10.0.0.128/25")
          .doesNotContainKey("c");
      assertThat(api.requestStatus.get("a")).doesNotContainEntry("cidr", null);
    }
  }

  /**
   * Cold review F3: a request showing a block of the other family asked for it, the allocator
   * refused it as an invalid request, and the block stayed shown as if the range's problem: the
   * range's fresh requests waited for it for good. Bad inputs tried: an IPv6 block on an IPv4
   * range; an IPv4 block outside the range.
   */
  @Test
  void aShownBlockOfTheOtherFamilyIsToldAndHoldsNothingBack() {
    Api api = new Api();
    api.range = range(25);
    IPAMRequest c = request("c", "2023-12-31T23:59:59Z", null, null);
    IPAMRequest b = request("b", "2024-01-01T00:00:00Z", "fd00::/64", "Ready");
    IPAMRequest d = request("d", "2024-01-01T00:00:01Z", "192.168.0.0/25", "Ready");
    try (Controller controller = new Controller()) {
      controller.pass(api, List.of(b, c, d));
      assertThat(api.requestStatus.get("b"))
          .containsEntry("state", "Invalid")
          .containsEntry("cidr", null);
      assertThat((String) api.requestStatus.get("b").get("message"))
          .contains(
              "IPAMRequest default/b: status.cidr fd00::/64 is of another IP family than"
                  + " IPAMRange default/pool");
      assertThat(api.requestStatus.get("d"))
          .containsEntry("state", "Invalid")
          .containsEntry("cidr", null);

      controller.pass(api, asNowShown(api, List.of(b, c, d)));
      assertThat(ledgerOf(api.range))
          .as("c, held back while b and d showed blocks, is decided first now")
          .containsEntry("c", "10.0.0.0/25")
          .containsEntry("b", "10.0.0.128/25")
          .doesNotContainKey("d");
    }
  }

  /**
   * Cold review F5: with webhooks off, b's spec.ipam was changed to this range after another range
   * served it. Its block stays recorded there (compat row 10); here it was taken for a takeover,
   * found outside this range, and its status.cidr cleared while the other range still held it. Now
   * b is told where its block is, keeps showing it, and holds no fresh request back.
   */
  @Test
  void aRequestMovedFromTheRangeThatHoldsItsBlockKeepsShowingIt() {
    Api api = new Api();
    api.range = range(25);
    IPAMRequest b = request("b", "2024-01-01T00:00:00Z", "10.9.0.0/25", "Ready");
    IPAMRequest c = request("c", "2024-01-01T00:00:01Z", null, null);
    try (Controller controller = new Controller()) {
      controller.elsewhere =
          uid -> "uid-b".equals(uid) ? Optional.of("IPAMRange default/old") : Optional.empty();
      controller.pass(api, List.of(b, c));

      assertThat(api.requestStatus.get("b"))
          .containsEntry("state", "Invalid")
          .containsEntry("cidr", "10.9.0.0/25");
      assertThat((String) api.requestStatus.get("b").get("message"))
          .contains("IPAMRange default/old holds 10.9.0.0/25 for it");
      assertThat(ledgerOf(api.range)).containsEntry("c", "10.0.0.0/25").doesNotContainKey("b");
    }
  }
}
