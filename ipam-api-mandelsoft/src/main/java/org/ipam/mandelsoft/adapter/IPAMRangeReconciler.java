package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.CoalescedEvents;
import org.ipam.core.engine.EngineFeed;
import org.ipam.core.engine.LedgerEntry;
import org.ipam.core.engine.LedgerFeed;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PassReport;
import org.ipam.core.engine.PerVersion;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolPasses;
import org.ipam.core.engine.WatchFilter;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.place.RoundRobinCursors;

/**
 * Reconciles one IPAMRange at a time: the IPAMRequests that name it are served in one pass through
 * the engine and committed in the range's ledger (docs/engine.md, "The versioned ledger"). A burst
 * of requests coalesces into one pass and one ledger write. A range being deleted refuses new
 * requests, shows state Deleting and keeps its finalizer while any request holds a block of it.
 */
// Every event reaches the reconciler: requests wake their range, and the finalizer is kept by hand.
@ControllerConfiguration(
    name = "mandelsoft-ipamrange",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = IPAMRangeReconciler.RESYNC_SECONDS))
public final class IPAMRangeReconciler implements Reconciler<IPAMRange> {
  /** Every range is looked at least this often (the engine's waiting recheck). */
  static final long RESYNC_SECONDS = 30;

  private static final Duration DELETION_RECHECK = Duration.ofSeconds(5);

  private final AllocationEngine engine;
  private final Clock clock;
  private final WatchFilter watchFilter;
  private final LedgerFeed ledgers;
  private final KnownRanges known;
  private final PerVersion<PoolKey, RangeServing> servings = new PerVersion<>();
  private final Map<PoolKey, RoundRobinCursors> cursors = new ConcurrentHashMap<>();
  private final Takeovers takeovers = new Takeovers();

  /** The ranges' allocation and release events, one per range per second in a burst. */
  private CoalescedEvents events;

  /** A range's ledger as its object at one resourceVersion carries it, parsed once. */
  private record Recorded(List<LedgerEntry> entries, Set<String> uids) {}

  private final PerVersion<PoolKey, Recorded> recorded = new PerVersion<>();

  @Inject
  public IPAMRangeReconciler(
      AllocationEngine engine, Clock clock, WatchFilter watchFilter, KnownRanges known) {
    this.engine = engine;
    this.clock = clock;
    this.watchFilter = watchFilter;
    this.known = known;
    this.ledgers = new LedgerFeed(engine);
  }

  private synchronized CoalescedEvents eventsOf(KubernetesClient client) {
    if (events == null) {
      events = CoalescedEvents.writing(client, clock, engine);
    }
    return events;
  }

  private static PoolKey keyOf(IPAMRange range) {
    return MandelsoftRecords.rangeKey(
        range.getMetadata().getNamespace(), range.getMetadata().getName());
  }

  @Override
  public List<EventSource<?, IPAMRange>> prepareEventSources(
      EventSourceContext<IPAMRange> context) {
    InformerEventSourceConfiguration<IPAMRequest> requests =
        InformerEventSourceConfiguration.from(IPAMRequest.class, IPAMRange.class)
            .withSecondaryToPrimaryMapper(
                request ->
                    MandelsoftRecords.rangeOf(request)
                        .map(key -> Set.of(new ResourceID(key.name(), key.namespace())))
                        .orElse(Set.<ResourceID>of()))
            .build();
    return List.of(
        new EngineFeed<>(
            requests,
            context,
            new EngineFeed.Listener<IPAMRequest>() {
              @Override
              public Optional<PoolKey> poolOf(IPAMRequest request) {
                return watchFilter.admits(request)
                    ? MandelsoftRecords.rangeOf(request)
                    : Optional.empty();
              }

              @Override
              public void seen(PoolKey pool, IPAMRequest request) {
                takeovers.seen(pool, request);
                engine.claimSeen(pool, request, MandelsoftRecords.facts(request));
              }

              @Override
              public void gone(PoolKey pool, IPAMRequest request) {
                takeovers.gone(pool, request);
                engine.claimGone(pool, request.getMetadata().getUid());
              }
            }));
  }

  @Override
  public UpdateControl<IPAMRange> reconcile(IPAMRange range, Context<IPAMRange> context) {
    return PoolPasses.guarded(range, () -> reconcileRange(range, context));
  }

  private UpdateControl<IPAMRange> reconcileRange(IPAMRange range, Context<IPAMRange> context) {
    if (!watchFilter.admits(range)) {
      known.gone(keyOf(range)); // no longer ours: its requests read it live again
      engine.forget(keyOf(range)); // nor served: the claim finalizer webhook adds none for it
      return UpdateControl.noUpdate();
    }
    if (engine.isFenced()) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    PoolKey key = keyOf(range);
    if (context.isPrimaryResourceDeleted()) {
      known.gone(key);
      ledgers.forget(key);
      engine.forget(key);
      servings.forget(key);
      cursors.remove(key);
      takeovers.forget(key);
      recorded.forget(key);
      return UpdateControl.noUpdate();
    }
    known.seen(key);
    boolean deleting = range.getMetadata().getDeletionTimestamp() != null;
    if (deleting) {
      engine.closing(keyOf(range)); // the claim finalizer webhook adds none for it from now on
    }
    if (!deleting && !ObjectWrites.addFinalizer(client, range, MandelsoftApi.FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    Recorded ledger = recordedIn(range);
    ledgers.deliver(
        key, range.getMetadata().getResourceVersion(), ledger.entries(), clock.instant());
    RangeServing serving =
        servings.get(
            key,
            range.getMetadata().getUid() + "/" + range.getMetadata().getGeneration(),
            () -> RangeServing.of(range));
    RoundRobinCursors rr = cursors.computeIfAbsent(key, k -> new RoundRobinCursors());
    rr.restore(range.getStatus() == null ? null : range.getStatus().getRoundRobin());
    Takeovers.Snapshot takeover =
        takeovers.snapshot(
            key,
            ledger.uids(),
            range.getMetadata().getResourceVersion(),
            uid -> recordedElsewhere(context, range, uid));
    if (!takeover.pending()) {
      // The shown blocks are recorded (or refused): the requests held back are decided now.
      takeovers.release(key).forEach(uid -> engine.claimTouched(key, uid));
    }
    PassReport report =
        engine.run(
            new IPAMRangeBinding(
                client, range, key, serving, ledgers, rr, clock, eventsOf(client), takeover));
    if (deleting) {
      // A block a request shows and the ledger does not hold yet is in use all the same: the range
      // waits for it, or a range created again under the name could hand it out.
      if (engine.holdsAnything(key) || takeover.pending()) {
        return UpdateControl.<IPAMRange>noUpdate().rescheduleAfter(DELETION_RECHECK);
      }
      ObjectWrites.removeFinalizer(client, range, MandelsoftApi.FINALIZER);
      return UpdateControl.noUpdate();
    }
    return report.control();
  }

  /**
   * The cached range, other than {@code range}, whose ledger records {@code uid}: asked only for a
   * request that shows a block this range does not record (rare: a takeover, or a request moved).
   * Each ledger is parsed once per resourceVersion.
   */
  private Optional<String> recordedElsewhere(
      Context<IPAMRange> context, IPAMRange range, String uid) {
    return context
        .getPrimaryCache()
        .list(other -> !other.getMetadata().getUid().equals(range.getMetadata().getUid()))
        .filter(other -> recordedIn(other).uids().contains(uid))
        .map(other -> MandelsoftRecords.describeRange(keyOf(other)))
        .findFirst();
  }

  private Recorded recordedIn(IPAMRange range) {
    return recorded.get(
        keyOf(range),
        range.getMetadata().getUid() + "/" + range.getMetadata().getResourceVersion(),
        () -> {
          List<LedgerEntry> entries = RangeLedger.entriesOf(range);
          return new Recorded(
              entries, entries.stream().map(LedgerEntry::claimUid).collect(Collectors.toSet()));
        });
  }
}
