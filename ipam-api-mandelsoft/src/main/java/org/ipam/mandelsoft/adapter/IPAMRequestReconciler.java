package org.ipam.mandelsoft.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.core.engine.PoolKey;
import org.ipam.core.engine.PoolPasses;
import org.ipam.core.engine.WatchFilter;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;

/**
 * The requests no range pass sees: those that name no range, or a range that does not exist (state
 * Invalid, upstream's message), and deleting requests whose range is gone (their finalizer is
 * removed: nothing is left to release). Requests whose range exists are the range's to serve.
 */
@ControllerConfiguration(name = "mandelsoft-ipamrequest")
public final class IPAMRequestReconciler implements Reconciler<IPAMRequest> {
  /** A request waiting for its range to appear is looked at again this often. */
  private static final Duration MISSING_RECHECK = Duration.ofSeconds(30);

  private final AllocationEngine engine;
  private final WatchFilter watchFilter;
  private final KnownRanges known;

  @Inject
  public IPAMRequestReconciler(
      AllocationEngine engine, WatchFilter watchFilter, KnownRanges known) {
    this.engine = engine;
    this.watchFilter = watchFilter;
    this.known = known;
  }

  @Override
  public UpdateControl<IPAMRequest> reconcile(IPAMRequest request, Context<IPAMRequest> context) {
    return PoolPasses.guarded(request, () -> reconcileRequest(request, context.getClient()));
  }

  private UpdateControl<IPAMRequest> reconcileRequest(
      IPAMRequest request, KubernetesClient client) {
    if (engine.isFenced() || !watchFilter.admits(request)) {
      return UpdateControl.noUpdate();
    }
    boolean ready =
        request.getStatus() != null
            && MandelsoftApi.STATE_READY.equals(request.getStatus().getState());
    boolean deleting = request.getMetadata().getDeletionTimestamp() != null;
    if (ready && !deleting) {
      return UpdateControl.noUpdate(); // served: its range exists (it keeps its finalizer)
    }
    Optional<PoolKey> key = MandelsoftRecords.rangeOf(request);
    if (key.isEmpty()) {
      if (!deleting) {
        FieldProblems problems = new FieldProblems(request);
        problems.add("spec.ipam.name", "is empty: IPAMRange object not specified");
        invalid(client, request, problems.lines().get(0));
      }
      return UpdateControl.noUpdate();
    }
    if (known.exists(key.get())) {
      // The range's to serve. Looked at again after a while: the range may be deleted meanwhile,
      // and then this request is told so here.
      return UpdateControl.<IPAMRequest>noUpdate().rescheduleAfter(MISSING_RECHECK);
    }
    IPAMRange range =
        client
            .resources(IPAMRange.class)
            .inNamespace(key.get().namespace())
            .withName(key.get().name())
            .get();
    if (range != null) {
      return UpdateControl.noUpdate();
    }
    if (deleting) {
      ObjectWrites.removeFinalizer(client, request, MandelsoftApi.FINALIZER);
      return UpdateControl.noUpdate();
    }
    invalid(client, request, MandelsoftRecords.describeRange(key.get()) + " not found");
    return UpdateControl.<IPAMRequest>noUpdate().rescheduleAfter(MISSING_RECHECK);
  }

  private static void invalid(KubernetesClient client, IPAMRequest request, String message) {
    if (request.getStatus() != null
        && MandelsoftApi.STATE_INVALID.equals(request.getStatus().getState())
        && Objects.equals(message, request.getStatus().getMessage())) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", MandelsoftApi.STATE_INVALID);
    status.put("message", message);
    // status.cidr stays: a block a request shows (served before a takeover, or held by the range it
    // moved away from) is what it holds until a range's ledger says otherwise.
    ObjectWrites.patchStatus(client, request, status);
  }
}
