package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ipam.core.engine.Conditions;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterCondition;
import org.ipam.harvester.model.LoadBalancer;

/**
 * Writes a LoadBalancer's status: {@code allocatedAddress} and the {@code Ready} condition. The CRD
 * this module generates has a status subresource; Harvester's own has none (the cloud provider
 * writes status with a plain update), so a status write that finds no subresource goes to the
 * object itself, and is remembered.
 */
final class LoadBalancerWrites {
  private final KubernetesClient client;
  private volatile boolean statusSubresource = true;

  LoadBalancerWrites(KubernetesClient client) {
    this.client = client;
  }

  /** The Ready condition of a LoadBalancer, if it has one. */
  static Optional<HarvesterCondition> ready(LoadBalancer lb) {
    return lb.getStatus() == null || lb.getStatus().getConditions() == null
        ? Optional.empty()
        : lb.getStatus().getConditions().stream()
            .filter(c -> HarvesterApi.READY_CONDITION.equals(c.getType()))
            .findFirst();
  }

  /** Whether its Ready condition says this already. */
  static boolean says(LoadBalancer lb, boolean ready, String message) {
    return ready(lb)
        .map(
            c ->
                (ready ? "True" : "False").equals(c.getStatus())
                    && Objects.equals(message, c.getMessage() == null ? "" : c.getMessage()))
        .orElse(false);
  }

  /** The conditions with Ready set; the other conditions as they are. */
  static List<HarvesterCondition> conditionsWith(
      LoadBalancer lb, boolean ready, String message, Instant now) {
    List<HarvesterCondition> conditions = new ArrayList<>();
    if (lb.getStatus() != null && lb.getStatus().getConditions() != null) {
      lb.getStatus().getConditions().stream()
          .filter(c -> !HarvesterApi.READY_CONDITION.equals(c.getType()))
          .forEach(conditions::add);
    }
    String timestamp = Conditions.timestamp(now);
    HarvesterCondition condition =
        new HarvesterCondition(
            HarvesterApi.READY_CONDITION, ready ? "True" : "False", null, message, timestamp);
    ready(lb)
        .filter(c -> condition.getStatus().equals(c.getStatus()))
        .ifPresent(c -> condition.setLastTransitionTime(c.getLastTransitionTime()));
    conditions.add(condition);
    return conditions;
  }

  /** Sets the allocated address (null leaves it alone) and Ready; false if the object is gone. */
  boolean writeStatus(
      LoadBalancer lb, AllocatedAddress address, boolean ready, String message, Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (address != null) {
      status.put("allocatedAddress", address);
    }
    status.put("conditions", conditionsWith(lb, ready, message, now));
    String body = Serialization.asJson(Map.of("status", status));
    try {
      if (statusSubresource) {
        try {
          client
              .resource(lb)
              .subresource("status")
              .patch(PatchContext.of(PatchType.JSON_MERGE), body);
          return true;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404 || client.resource(lb).get() == null) {
            throw e;
          }
          statusSubresource = false; // Harvester's CRD: no status subresource
        }
      }
      client.resource(lb).patch(PatchContext.of(PatchType.JSON_MERGE), body);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
