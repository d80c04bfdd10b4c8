package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import java.util.Objects;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.engine.AllocationRequest;
import org.ipam.core.engine.Events;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.select.ClaimAsk;
import org.ipam.harvester.select.Requirement;
import org.ipam.harvester.select.Selection;

/**
 * A core Service as a claim: {@code type: LoadBalancer} with {@code spec.loadBalancerClass} {@link
 * HarvesterApi#LOAD_BALANCER_CLASS}. Its pool is chosen as a LoadBalancer's is, from its own
 * namespace and the LoadBalancer annotations it carries, or named by {@link
 * HarvesterApi#SERVICE_POOL_ANNOTATION}; {@code spec.loadBalancerIP} or {@link
 * HarvesterApi#SERVICE_IP_ANNOTATION} asks for one address. The answer is {@code
 * status.loadBalancer.ingress[0].ip} and the condition {@link HarvesterApi#SERVICE_CONDITION}. Once
 * the Service is deleted, or is no longer of our type and class, its address is released and our
 * finalizer goes.
 */
record ServiceClaim(Service service) implements HarvesterClaim {

  /** Whether the Service asks us for an address (type LoadBalancer, our class). */
  static boolean ours(Service service) {
    return service.getSpec() != null
        && "LoadBalancer".equals(service.getSpec().getType())
        && HarvesterApi.LOAD_BALANCER_CLASS.equals(service.getSpec().getLoadBalancerClass());
  }

  @Override
  public HasMetadata object() {
    return service;
  }

  @Override
  public String kind() {
    return HarvesterApi.SERVICE;
  }

  @Override
  public boolean concerned() {
    return ours(service) || holdsFinalizer();
  }

  private boolean holdsFinalizer() {
    return service.getMetadata().getFinalizers().contains(HarvesterApi.SERVICE_FINALIZER);
  }

  @Override
  public boolean releasing() {
    return service.getMetadata().getDeletionTimestamp() != null || !ours(service);
  }

  @Override
  public ClaimAsk ask() {
    return new ClaimAsk(
        true, annotation(HarvesterApi.SERVICE_POOL_ANNOTATION), "", Requirement.of(service));
  }

  @Override
  public String namingField() {
    return "annotation " + HarvesterApi.SERVICE_POOL_ANNOTATION;
  }

  /**
   * Any address, or the one the annotation or {@code spec.loadBalancerIP} names; the two naming
   * different addresses, or a value that is not an address, is answered with field and value.
   */
  @Override
  public AllocationRequest request() {
    String annotated = annotation(HarvesterApi.SERVICE_IP_ANNOTATION);
    String specified = Objects.requireNonNullElse(service.getSpec().getLoadBalancerIP(), "").trim();
    if (!annotated.isEmpty() && !specified.isEmpty() && !annotated.equals(specified)) {
      return new AllocationRequest.Unservable(
          describe()
              + ": annotation "
              + HarvesterApi.SERVICE_IP_ANNOTATION
              + " \""
              + annotated
              + "\" and spec.loadBalancerIP \""
              + specified
              + "\" ask for two addresses");
    }
    String field =
        annotated.isEmpty()
            ? "spec.loadBalancerIP"
            : "annotation " + HarvesterApi.SERVICE_IP_ANNOTATION;
    String text = annotated.isEmpty() ? specified : annotated;
    if (text.isEmpty()) {
      return new AllocationRequest.AnyAddress();
    }
    Parsed<Ip> ip = IpParser.parseAddress(text);
    if (ip instanceof Parsed.Invalid<Ip> invalid) {
      return new AllocationRequest.Unservable(
          describe() + ": " + field + " \"" + text + "\" " + invalid.message());
    }
    return new AllocationRequest.SpecificAddress(ip.orElseThrow());
  }

  @Override
  public String askedAddress() {
    String annotated = annotation(HarvesterApi.SERVICE_IP_ANNOTATION);
    if (!annotated.isEmpty()) {
      return describe()
          + ": annotation "
          + HarvesterApi.SERVICE_IP_ANNOTATION
          + " \""
          + annotated
          + "\"";
    }
    String specified = Objects.requireNonNullElse(service.getSpec().getLoadBalancerIP(), "").trim();
    return specified.isEmpty() ? "" : describe() + ": spec.loadBalancerIP \"" + specified + "\"";
  }

  private String annotation(String key) {
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault(key, "").trim();
  }

  @Override
  public boolean shows(String pool, Allocation allocation) {
    return holdsFinalizer()
        && ServiceWrites.ingressIps(service)
            .equals(java.util.List.of(allocation.address().toString()))
        && ServiceWrites.says(
            service, true, ServiceWrites.allocatedMessage(allocation.address().toString(), pool));
  }

  @Override
  public void reportAllocated(ClaimWriters writers, AllocatedAddress address, String from) {
    boolean waited = ServiceWrites.failing(service);
    if (!writers.services().allocated(service, address.getIp(), address.getIpPool())) {
      return; // gone: its entry is released as an orphan
    }
    if (waited) {
      Events.normal(
          writers.client(),
          writers.clock(),
          service,
          "Allocated",
          "address " + address.getIp() + " from " + from);
    }
  }

  @Override
  public void reportFailed(ClaimWriters writers, String message) {
    if (ServiceWrites.says(service, false, message)) {
      return;
    }
    writers.services().failed(service, "AllocationFailed", message);
    Events.warning(writers.client(), writers.clock(), service, "AllocationFailed", message);
  }

  @Override
  public void tellUnrouted(ClaimWriters writers, Selection selection) {
    if (selection instanceof Selection.NoPool noPool
        && !ServiceWrites.says(service, false, noPool.message())) {
      writers.services().failed(service, "NoPool", noPool.message());
      Events.warning(writers.client(), writers.clock(), service, "NoPool", noPool.message());
    }
  }

  @Override
  public void letGo(ClaimWriters writers) {
    writers.services().letGo(service);
  }
}
