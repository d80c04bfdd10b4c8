package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.Events;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.LoadBalancer;
import org.ipam.harvester.select.ClaimAsk;
import org.ipam.harvester.select.Selection;

/**
 * A Harvester LoadBalancer as a claim: any address of its pool, answered in {@code
 * status.allocatedAddress} and its Ready condition, under upstream's finalizer.
 */
record LoadBalancerClaim(LoadBalancer lb) implements HarvesterClaim {
  /** What a {@code dhcp} LoadBalancer shows, as upstream writes it. */
  private static final String DHCP_ADDRESS = "0.0.0.0";

  @Override
  public HasMetadata object() {
    return lb;
  }

  @Override
  public String kind() {
    return HarvesterApi.LOAD_BALANCER;
  }

  @Override
  public boolean concerned() {
    return true;
  }

  @Override
  public boolean releasing() {
    return lb.getMetadata().getDeletionTimestamp() != null;
  }

  @Override
  public ClaimAsk ask() {
    return ClaimAsk.of(lb);
  }

  @Override
  public String namingField() {
    return "spec.ipPool";
  }

  @Override
  public AllocationRequest request() {
    return new AllocationRequest.AnyAddress();
  }

  @Override
  public boolean shows(String pool, Allocation allocation) {
    AllocatedAddress shown = lb.getStatus() == null ? null : lb.getStatus().getAllocatedAddress();
    return lb.getMetadata().getFinalizers().contains(HarvesterApi.LOAD_BALANCER_FINALIZER)
        && shown != null
        && pool.equals(shown.getIpPool())
        && allocation.address().toString().equals(shown.getIp())
        && LoadBalancerWrites.says(lb, true, "");
  }

  @Override
  public void reportAllocated(ClaimWriters writers, AllocatedAddress address, String from) {
    if (!ObjectWrites.addFinalizer(writers.client(), lb, HarvesterApi.LOAD_BALANCER_FINALIZER)) {
      return; // gone: its entry is released as an orphan
    }
    boolean waited =
        LoadBalancerWrites.ready(lb).map(c -> "False".equals(c.getStatus())).orElse(false);
    writers.loadBalancers().writeStatus(lb, address, true, "", writers.clock().instant());
    if (waited) {
      Events.normal(
          writers.client(),
          writers.clock(),
          lb,
          "Allocated",
          "address " + address.getIp() + " from " + from);
    }
  }

  @Override
  public void reportFailed(ClaimWriters writers, String message) {
    if (LoadBalancerWrites.says(lb, false, message)) {
      return;
    }
    writers.loadBalancers().writeStatus(lb, null, false, message, writers.clock().instant());
    Events.warning(writers.client(), writers.clock(), lb, "AllocationFailed", message);
  }

  @Override
  public void tellUnrouted(ClaimWriters writers, Selection selection) {
    if (selection instanceof Selection.NoPool noPool) {
      if (!LoadBalancerWrites.says(lb, false, noPool.message())) {
        writers
            .loadBalancers()
            .writeStatus(lb, null, false, noPool.message(), writers.clock().instant());
      }
    } else if (selection instanceof Selection.NotPooled) {
      AllocatedAddress shown = lb.getStatus() == null ? null : lb.getStatus().getAllocatedAddress();
      if (shown == null || !DHCP_ADDRESS.equals(shown.getIp())) {
        writers
            .loadBalancers()
            .writeStatus(
                lb,
                new AllocatedAddress(null, DHCP_ADDRESS, null, null),
                true,
                "",
                writers.clock().instant());
      }
    }
  }

  @Override
  public void letGo(ClaimWriters writers) {
    ObjectWrites.removeFinalizer(writers.client(), lb, HarvesterApi.LOAD_BALANCER_FINALIZER);
  }
}
