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
import org.ipam.core.engine.ObjectWrites;
import org.ipam.harvester.model.AllocatedAddress;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterCondition;
import org.ipam.harvester.model.LoadBalancer;

/**
 * Writes a LoadBalancer's status: {@code allocatedAddress} and the {@code Ready} condition. The CRD
 * this module generates has a status subresource; Harvester's own has none (the cloud provider
 * writes status with a plain update). Which one is installed is read from the CRD once; when it
 * cannot be read, a status write that finds no subresource goes to the object itself, that time
 * only (a 404 from a LoadBalancer deleted and recreated under its name must not silence every later
 * status write).
 */
final class LoadBalancerWrites {
  private static final String CRD = "loadbalancers." + HarvesterApi.LOADBALANCER_GROUP;

  private final KubernetesClient client;

  /** From the installed CRD: true or false; null until read, or when it cannot be read. */
  private volatile Boolean statusSubresource;

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

  /** Whether the installed LoadBalancer CRD serves a status subresource; null if unknown. */
  private Boolean statusSubresource() {
    Boolean known = statusSubresource;
    if (known != null) {
      return known;
    }
    try {
      var crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      if (crd == null) {
        return null;
      }
      known =
          crd.getSpec().getVersions().stream()
              .filter(v -> HarvesterApi.V1BETA1.equals(v.getName()))
              .anyMatch(
                  v -> v.getSubresources() != null && v.getSubresources().getStatus() != null);
      statusSubresource = known;
      return known;
    } catch (KubernetesClientException e) {
      return null; // no right to read CRDs: decided per write
    }
  }

  /** Sets the allocated address (null leaves it alone) and Ready; false if the object is gone. */
  boolean writeStatus(
      LoadBalancer lb, AllocatedAddress address, boolean ready, String message, Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    if (address != null) {
      status.put("allocatedAddress", address);
    }
    status.put("conditions", conditionsWith(lb, ready, message, now));
    return patch(lb, Map.of("status", status));
  }

  /**
   * Takes the allocated address away (Ready False, saying why), if the LoadBalancer is still at the
   * resourceVersion it was read at: false on a 409, so that an address another pool wrote meanwhile
   * is not erased. False too when it is gone.
   */
  boolean clearAddress(LoadBalancer live, String message, Instant now) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("allocatedAddress", null);
    status.put("conditions", conditionsWith(live, false, message, now));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("metadata", Map.of("resourceVersion", live.getMetadata().getResourceVersion()));
    body.put("status", status);
    try {
      return patch(live, body);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  /** A merge patch of the LoadBalancer read (its uid a precondition); false when it is gone. */
  private boolean patch(LoadBalancer lb, Map<String, Object> body) {
    String json = Serialization.asJson(ObjectWrites.guardedByUid(lb, body));
    try {
      if (!Boolean.FALSE.equals(statusSubresource())) {
        try {
          client
              .resource(lb)
              .subresource("status")
              .patch(PatchContext.of(PatchType.JSON_MERGE), json);
          return true;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404 || client.resource(lb).get() == null) {
            throw e;
          }
          // No status subresource after all (Harvester's CRD): the object itself, this time.
        }
      }
      client.resource(lb).patch(PatchContext.of(PatchType.JSON_MERGE), json);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || ObjectWrites.otherIncarnation(client, lb, e)) {
        return false;
      }
      throw e;
    }
  }
}
