package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationFailure;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.CoalescedEvents;
import org.ipam.core.engine.CommitOutcome;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.Holding;
import org.ipam.core.engine.LedgerBinding;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.LedgerStore;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolView;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.IpRange;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeStatus;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.place.RoundRobinCursors;
import org.ipam.mandelsoft.rules.Ask;
import org.ipam.mandelsoft.rules.RequestRules;

/**
 * One IPAMRange during one pass. The commit point is the range's ledger ({@link RangeLedger});
 * after the commit a request gets the {@code mandelsoft.org/ipam} finalizer and {@code status.cidr}
 * with state Ready, and the range a Normal {@code allocation} event, as upstream records it. A
 * request has no address object of its own: its ledger entry is all it holds, so release is the
 * ledger write and the finalizer.
 */
final class IPAMRangeBinding implements LedgerBinding<IPAMRequest> {
  private final KubernetesClient client;
  private final IPAMRange range;
  private final PoolKey key;
  private final RangeServing serving;
  private final LedgerFeed ledgers;
  private List<IpRange> heldInCachedLedger;
  private final RoundRobinCursors cursors;
  private final Clock clock;
  private final CoalescedEvents events;
  private final Takeovers.Snapshot takeover;

  /** This pass's requests whose shown block lies outside the range: their status.cidr goes. */
  private final Set<String> refusedShown = ConcurrentHashMap.newKeySet();

  /** This pass's requests whose block another range records: their status.cidr stays. */
  private final Set<String> movedAway = ConcurrentHashMap.newKeySet();

  IPAMRangeBinding(
      KubernetesClient client,
      IPAMRange range,
      PoolKey key,
      RangeServing serving,
      LedgerFeed ledgers,
      RoundRobinCursors cursors,
      Clock clock,
      CoalescedEvents events,
      Takeovers.Snapshot takeover) {
    this.events = events;
    this.takeover = takeover;
    this.client = client;
    this.range = range;
    this.key = key;
    this.serving = serving;
    this.ledgers = ledgers;
    this.cursors = cursors;
    this.clock = clock;
  }

  private boolean deleting() {
    return range.getMetadata().getDeletionTimestamp() != null;
  }

  private String rangeName() {
    return MandelsoftRecords.describeRange(key);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public PoolKey pool() {
    return key;
  }

  @Override
  public PoolSpec spec() {
    return serving.allocator();
  }

  @Override
  public LedgerStore ledger() {
    return new RangeLedger(
        client,
        range,
        read -> ledgers.deliver(key, read.resourceVersion(), read.entries(), clock.instant()));
  }

  @Override
  public boolean watchesClaimKind(String kind) {
    return MandelsoftApi.REQUEST_KIND.equals(kind);
  }

  @Override
  public AllocationRequest request(IPAMRequest request) {
    String uid = request.getMetadata().getUid();
    Optional<String> allocatedIn = takeover.recordedElsewhere(uid);
    if (allocatedIn.isPresent()) {
      // spec.ipam was changed after the request was served (webhooks off): its block stays in the
      // range it came from until the request is deleted (compat row 10), and its status shows it.
      movedAway.add(uid);
      return new AllocationRequest.Unservable(
          "spec.ipam: "
              + rangeName()
              + " cannot serve this request: "
              + allocatedIn.get()
              + " holds "
              + request.getStatus().getCidr()
              + " for it (spec.ipam cannot change after allocation; delete and create the request"
              + " again to move it)");
    }
    if (!serving.valid()) {
      // The range's problem: told in state and message; a shown block stays shown (reportFailed).
      return new AllocationRequest.Unservable(rangeName() + " not valid: " + serving.problem());
    }
    // A request that shows a block the engine does not hold for it (served by the controller this
    // one replaces, whose only record is the request's status): it asks for exactly that block,
    // before anything else is decided (docs/compat/mandelsoft.md row 24), whatever its spec asks,
    // as upstream keeps it. A range being deleted records it too: the block is in use, and the
    // range waits for it as for any held block.
    Optional<Cidr> shown = Takeovers.shownBlock(request);
    if (shown.isPresent()) {
      Cidr block = shown.get();
      if (block.family() != serving.shape().family() || !serving.shape().contains(block.range())) {
        // Can never be recorded here: told, and its status.cidr cleared (reportFailed), so that it
        // holds the range's other requests back no longer.
        refusedShown.add(uid);
        String where =
            block.family() != serving.shape().family()
                ? " is of another IP family than " + rangeName()
                : " is not inside " + rangeName();
        return new AllocationRequest.Unservable(
            MandelsoftApi.REQUEST_KIND
                + " "
                + request.getMetadata().getNamespace()
                + "/"
                + request.getMetadata().getName()
                + ": status.cidr "
                + block
                + where
                + " and cannot be kept");
      }
      return new AllocationRequest.SpecificBlock(block);
    }
    if (deleting()) {
      // Upstream's text: a range being deleted refuses new requests.
      return new AllocationRequest.Unservable(rangeName() + " not valid: IPRange deleted");
    }
    if (takeover.pending()) {
      // Blocks served before are recorded first: until then nothing else is decided, so that no
      // request is handed a block a served request still uses. The request holds nothing and
      // loses nothing; it is decided in the pass after the last shown block is recorded (or
      // refused, and its request told so).
      takeover.holdBack(request.getMetadata().getUid());
      return new AllocationRequest.Unservable(takeoverMessage());
    }
    Ask ask = RequestRules.against(request, serving.shape(), rangeName());
    if (ask instanceof Ask.Refused refused) {
      return new AllocationRequest.Unservable(String.join("; ", refused.problems()));
    }
    if (ask instanceof Ask.Exact exact) {
      return new AllocationRequest.SpecificBlock(exact.block());
    }
    int prefix = ((Ask.Sized) ask).prefixLength();
    if (serving.shape().roundRobin()) {
      List<IpRange> held = heldInCachedLedger();
      Optional<Cidr> next =
          cursors.choose(
              serving.shape().family(), serving.shape().intervals(), held, prefix, clock.instant());
      if (next.isPresent()) {
        return new AllocationRequest.SpecificBlock(next.get());
      }
    }
    // FirstMatch: best fit, as upstream (differences: docs/compat/mandelsoft.md).
    return new AllocationRequest.Block(prefix, BlockPlacement.BEST_FIT);
  }

  /**
   * The blocks the cached range's ledger records, parsed once per pass (this binding lives for one
   * pass; RoundRobin asks for every request it decides).
   */
  private List<IpRange> heldInCachedLedger() {
    if (heldInCachedLedger == null) {
      heldInCachedLedger =
          RangeLedger.entriesOf(range).stream().map(LedgerEntry::addresses).toList();
    }
    return heldInCachedLedger;
  }

  private String takeoverMessage() {
    return "waiting: "
        + rangeName()
        + " first records the "
        + takeover.count()
        + " block(s) its requests show (served before this controller)";
  }

  /** Whether a failure is the range's (not valid, being deleted), not the request's. */
  private boolean rangeFailure(AllocationFailure failure) {
    return failure instanceof AllocationFailure.InvalidRequest
        && failure.message().startsWith(rangeName() + " not valid: ");
  }

  @Override
  public boolean showsAllocation(IPAMRequest request, Allocation allocation, List<Holding> held) {
    return request.getMetadata().getFinalizers().contains(MandelsoftApi.FINALIZER)
        && request.getStatus() != null
        && MandelsoftApi.STATE_READY.equals(request.getStatus().getState())
        && allocation.block().toString().equals(request.getStatus().getCidr());
  }

  // ---------------------------------------------------------------- reports

  @Override
  public void reportAllocated(IPAMRequest request, Allocation allocation, List<Holding> held) {
    // Before its status shows the block: the cache may show that status before the range's new
    // ledger, and the block must not look like one served before this controller.
    takeover.served(request.getMetadata().getUid(), ledgers.versionOf(key));
    if (!ObjectWrites.addFinalizer(client, request, MandelsoftApi.FINALIZER)) {
      return; // the request is gone; its entry is released as an orphan
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", MandelsoftApi.STATE_READY);
    status.put("message", "");
    status.put("cidr", allocation.block().toString());
    ObjectWrites.patchStatus(client, request, status);
    // One event per range per second in a burst (upstream's recorder drops most of a burst's).
    events.normal(range, "allocation", "cidr " + allocation.block() + " allocated");
  }

  @Override
  public void reportFailed(IPAMRequest request, AllocationFailure failure) {
    if (failure instanceof AllocationFailure.InvalidRequest
        && failure.message().equals(takeoverMessage())) {
      // Held back while the range takes over shown blocks: told why, nothing else touched.
      if (MandelsoftApi.STATE_BUSY.equals(stateOf(request))
          && failure.message().equals(request.getStatus().getMessage())) {
        return;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("state", MandelsoftApi.STATE_BUSY);
      status.put("message", failure.message());
      ObjectWrites.patchStatus(client, request, status);
      return;
    }
    Optional<Cidr> shown = Takeovers.shownBlock(request);
    String uid = request.getMetadata().getUid();
    if (shown.isPresent()
        && !(failure instanceof AllocationFailure.AddressTaken)
        && !(failure instanceof AllocationFailure.OutsideSegments)
        && !refusedShown.contains(uid)) {
      // A shown block that is not refused for good (the range is not valid, another range holds
      // it, a write failed): the request keeps showing it, since its consumer may use it; it is
      // recorded when it can be.
      String state =
          rangeFailure(failure) || movedAway.contains(uid)
              ? MandelsoftApi.STATE_INVALID
              : stateOf(request);
      if (Objects.equals(state, stateOf(request))
          && failure.message().equals(request.getStatus().getMessage())) {
        return;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("state", state);
      status.put("message", failure.message());
      status.put("cidr", request.getStatus().getCidr());
      ObjectWrites.patchStatus(client, request, status);
      return;
    }
    String state;
    String message;
    boolean asked =
        request.getSpec() != null
            && request.getSpec().getRequest() != null
            && !request.getSpec().getRequest().isBlank();
    if (failure instanceof AllocationFailure.InvalidRequest
        || failure instanceof AllocationFailure.OutsideSegments) {
      state = MandelsoftApi.STATE_INVALID;
      message = failure.message();
    } else if (failure instanceof AllocationFailure.AddressTaken taken) {
      if (!asked
          && Takeovers.shownBlock(request).isEmpty()
          && serving.valid()
          && serving.shape().roundRobin()) {
        // A RoundRobin choice another writer took first: the pointer has moved on, and the next
        // look picks the next block. Nothing to tell the user.
        return;
      }
      String block =
          Takeovers.shownBlock(request)
              .map(Cidr::toString)
              .orElse(asked ? request.getSpec().getRequest().trim() : "the block");
      state = MandelsoftApi.STATE_BUSY;
      message = block + " already busy (" + taken.message() + ")";
    } else if (failure instanceof AllocationFailure.Exhausted) {
      state = MandelsoftApi.STATE_BUSY;
      int size = serving.shape().effectiveSize(request.getSpec().getSize());
      // Upstream's words first (scripts match them), then what they leave out: where, and why.
      message =
          "allocation with size "
              + size
              + " failed: "
              + rangeName()
              + " has no free aligned /"
              + size
              + " left (the request waits for a release)";
    } else {
      state = MandelsoftApi.STATE_BUSY;
      message = failure.message();
    }
    if (request.getStatus() != null
        && state.equals(request.getStatus().getState())
        && message.equals(request.getStatus().getMessage())
        && request.getStatus().getCidr() == null) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", state);
    status.put("message", message);
    status.put("cidr", null); // holds nothing: a block shown but refused is not the request's
    ObjectWrites.patchStatus(client, request, status);
    if (MandelsoftApi.STATE_BUSY.equals(state)) {
      Events.warning(client, clock, range, "allocation", message);
    }
  }

  private static String stateOf(IPAMRequest request) {
    return request.getStatus() == null ? null : request.getStatus().getState();
  }

  // ---------------------------------------------------------------- release

  /** Requests hold no objects: their ledger entry is all they hold. */
  @Override
  public CommitOutcome adopt(IPAMRequest request, Holding handMade) {
    return new CommitOutcome.Conflict();
  }

  @Override
  public boolean releaseObjects(IPAMRequest request, List<Holding> held) {
    return true;
  }

  @Override
  public void letGo(IPAMRequest request) {
    ObjectWrites.removeFinalizer(client, request, MandelsoftApi.FINALIZER);
    if (request.getStatus() != null && request.getStatus().getCidr() != null) {
      events.normal(range, "release", "cidr " + request.getStatus().getCidr() + " released");
    }
  }

  /**
   * Whether no request of the entry's uid exists (a live read). A request whose {@code spec.ipam}
   * now names another range still exists: its entry stays here, in the range it was allocated from,
   * until it is deleted (upstream released into the new range: reference/mandelsoft.md 1.6).
   */
  @Override
  public boolean claimIsGone(Holding entry) {
    Optional<String> namespace = claimNamespaceOf(entry);
    if (namespace.isEmpty()) {
      // Known from a live read the cache does not show yet: its namespace (a request may name a
      // range of another namespace) comes with the cache; a read in a guessed one would miss it.
      return false;
    }
    IPAMRequest live =
        client
            .resources(IPAMRequest.class)
            .inNamespace(namespace.get())
            .withName(entry.claimName())
            .get();
    return live == null || !entry.claimUid().equals(live.getMetadata().getUid());
  }

  private Optional<String> claimNamespaceOf(Holding entry) {
    return RangeLedger.entriesOf(range).stream()
        .filter(e -> e.claimUid().equals(entry.claimUid()))
        .map(LedgerEntry::claimNamespace)
        .findFirst();
  }

  @Override
  public boolean releaseOrphan(Holding orphan) {
    return false;
  }

  @Override
  public boolean releaseSurplus(Holding surplus) {
    return false;
  }

  // ---------------------------------------------------------------- the range's status

  @Override
  public void reportPool(PoolView view) {
    String state;
    String message;
    if (deleting()) {
      // Upstream's state while a range waits for its requests, valid or not.
      state = MandelsoftApi.STATE_DELETING;
      message =
          serving.valid()
              ? MandelsoftApi.DELETING_MESSAGE
              : MandelsoftApi.DELETING_MESSAGE + "; " + serving.problem();
    } else if (!serving.valid()) {
      state = MandelsoftApi.STATE_INVALID;
      message = serving.problem();
    } else {
      state = MandelsoftApi.STATE_READY;
      message = "";
    }
    List<String> roundRobin =
        serving.valid() && serving.shape().roundRobin() ? cursors.persisted() : null;
    IPAMRangeStatus current = range.getStatus();
    if (current != null
        && state.equals(current.getState())
        && message.equals(Objects.toString(current.getMessage(), ""))
        && Objects.equals(
            roundRobin == null || roundRobin.isEmpty() ? null : roundRobin,
            current.getRoundRobin() == null || current.getRoundRobin().isEmpty()
                ? null
                : current.getRoundRobin())) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", state);
    status.put("message", message);
    status.put("roundRobin", roundRobin == null ? null : new ArrayList<>(roundRobin));
    ObjectWrites.patchStatus(client, range, status);
  }
}
