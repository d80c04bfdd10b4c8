package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ipam.core.engine.Conditions;
import org.ipam.core.engine.ObjectWrites;
import org.ipam.harvester.model.HarvesterApi;

/**
 * Writes what a core Service of our class shows: our finalizer, {@code status.loadBalancer.ingress}
 * and the condition {@link HarvesterApi#SERVICE_CONDITION} (the other conditions kept as they are).
 * Each write is a merge patch of the status subresource.
 */
final class ServiceWrites {
  private final KubernetesClient client;
  private final Clock clock;

  ServiceWrites(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The addresses {@code status.loadBalancer.ingress} shows. */
  static List<String> ingressIps(Service service) {
    if (service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .map(LoadBalancerIngress::getIp)
        .filter(Objects::nonNull)
        .toList();
  }

  static String allocatedMessage(String ip, String pool) {
    return "address " + ip + " from IPPool " + pool;
  }

  private static List<Condition> conditions(Service service) {
    return service.getStatus() == null || service.getStatus().getConditions() == null
        ? List.of()
        : service.getStatus().getConditions();
  }

  /** Whether our condition says this already. */
  static boolean says(Service service, boolean allocated, String message) {
    return Conditions.find(conditions(service), HarvesterApi.SERVICE_CONDITION)
        .map(
            c ->
                (allocated ? "True" : "False").equals(c.getStatus())
                    && message.equals(c.getMessage()))
        .orElse(false);
  }

  /** Whether our condition says the Service got nothing. */
  static boolean failing(Service service) {
    return Conditions.find(conditions(service), HarvesterApi.SERVICE_CONDITION)
        .map(c -> "False".equals(c.getStatus()))
        .orElse(false);
  }

  /** Finalizer, ingress and condition; false when the Service is gone. */
  boolean allocated(Service service, String ip, String pool) {
    if (!ObjectWrites.addFinalizer(client, service, HarvesterApi.SERVICE_FINALIZER)) {
      return false;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("loadBalancer", Map.of("ingress", List.of(Map.of("ip", ip))));
    status.put("conditions", withCondition(service, true, "Allocated", allocatedMessage(ip, pool)));
    return ObjectWrites.patchStatus(client, service, status);
  }

  /** Whether the ingress is the one address our condition says we allocated. */
  private static boolean showsOurs(Service service) {
    List<String> ips = ingressIps(service);
    return ips.size() == 1
        && Conditions.find(conditions(service), HarvesterApi.SERVICE_CONDITION)
            .map(
                c ->
                    "True".equals(c.getStatus())
                        && c.getMessage() != null
                        && c.getMessage().startsWith(allocatedMessage(ips.get(0), "")))
            .orElse(false);
  }

  /** Our condition False with the reason and message; the ingress left as it is. */
  void failed(Service service, String reason, String message) {
    ObjectWrites.patchStatus(
        client, service, Map.of("conditions", withCondition(service, false, reason, message)));
  }

  /**
   * Its address is released: our finalizer goes, and a Service that stays (no longer of our type or
   * class) loses the ingress and our condition. The finalizer first (an update of the live Service,
   * ObjectWrites.removeFinalizer), then the status.
   */
  void letGo(Service service) {
    if (!ObjectWrites.removeFinalizer(client, service, HarvesterApi.SERVICE_FINALIZER)
        || service.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    List<Condition> others = new ArrayList<>(conditions(service));
    others.removeIf(c -> HarvesterApi.SERVICE_CONDITION.equals(c.getType()));
    Map<String, Object> status = new LinkedHashMap<>();
    if (showsOurs(service)) {
      // Only the ingress we wrote: the controller of the Service's new class may have written its
      // own by now.
      status.put("loadBalancer", Map.of("ingress", List.of()));
    }
    status.put("conditions", others);
    ObjectWrites.patchStatus(client, service, status);
  }

  /**
   * Takes the ingress away (our condition False, saying why), if the Service is still at the
   * resourceVersion it was read at: false on a 409 (an address another pool wrote meanwhile stays),
   * or when it is gone.
   */
  boolean clearIngress(Service live, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("loadBalancer", Map.of("ingress", List.of()));
    status.put("conditions", withCondition(live, false, "Moving", message));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("resourceVersion", live.getMetadata().getResourceVersion()));
    body.put("status", status);
    try {
      client
          .resource(live)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  private List<Condition> withCondition(
      Service service, boolean allocated, String reason, String message) {
    List<Condition> copy = new ArrayList<>();
    conditions(service).forEach(c -> copy.add(new ConditionBuilder(c).build()));
    Conditions.set(
        copy,
        HarvesterApi.SERVICE_CONDITION,
        allocated,
        reason,
        message,
        service.getMetadata().getGeneration(),
        clock.instant());
    return copy;
  }
}
