package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.select.PoolCandidate;

/**
 * The two labels upstream's mutating webhook keeps on an IPPool (reference 1.4 and 4.1), kept here
 * by the controller, which serves no mutating webhook: {@code global-ip-pool} ({@code "true"} for a
 * global pool, as selection decides it from the spec, else {@code "false"}) and {@code vid} (the
 * VLAN id of {@code selector.network}'s NetworkAttachmentDefinition, {@code "0"} for a pool with no
 * network). Informational, as upstream's UI reads them: selection never reads a label.
 *
 * <p>A network whose NetworkAttachmentDefinition cannot be read (none, no Multus, not {@code
 * namespace/name}) gets no {@code vid} label, where upstream's mutator refuses the pool: the pool
 * serves on, and the label comes when the definition does.
 */
final class PoolLabels {
  /** The NetworkAttachmentDefinition's own VLAN label, read first, as upstream does. */
  static final String NAD_VLAN_LABEL = "network.harvesterhci.io/vlan-id";

  /** A definition not found is looked for again this long after, not on every pass. */
  static final Duration MISSING_RECHECK = Duration.ofSeconds(30);

  /** A VLAN id found is looked up again this long after (a definition may change). */
  static final Duration FOUND_RECHECK = Duration.ofMinutes(10);

  private static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();

  private record Looked(String network, Optional<String> vid, Instant at) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Looked> looked = new ConcurrentHashMap<>();

  PoolLabels(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Patches the pool's two labels where they differ from what its spec says. */
  void keep(HarvesterIPPool pool) {
    Map<String, String> labels = pool.getMetadata().getLabels();
    Map<String, String> wanted = wanted(pool, this::vidOf);
    Map<String, Object> change = new LinkedHashMap<>();
    for (String key : new String[] {HarvesterApi.GLOBAL_IP_POOL_LABEL, HarvesterApi.VID_LABEL}) {
      String have = labels == null ? null : labels.get(key);
      if (!Objects.equals(have, wanted.get(key))) {
        change.put(key, wanted.get(key)); // null removes it
      }
    }
    if (change.isEmpty()) {
      return;
    }
    Map<String, Object> body = Map.of("metadata", Map.of("labels", change));
    try {
      client
          .resource(pool)
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * The labels a pool should carry; {@code vid} absent when {@code vidOf} does not know the
   * network's VLAN.
   */
  static Map<String, String> wanted(
      HarvesterIPPool pool, Function<String, Optional<String>> vidOf) {
    Map<String, String> wanted = new HashMap<>();
    PoolCandidate candidate = PoolCandidate.of(pool);
    wanted.put(HarvesterApi.GLOBAL_IP_POOL_LABEL, Boolean.toString(candidate.isGlobal()));
    if (candidate.network().isEmpty()) {
      wanted.put(HarvesterApi.VID_LABEL, "0");
    } else {
      vidOf.apply(candidate.network()).ifPresent(vid -> wanted.put(HarvesterApi.VID_LABEL, vid));
    }
    return wanted;
  }

  /** The VLAN id of a network, looked up once per network value (again later if not found). */
  private Optional<String> vidOf(String network) {
    Looked before = looked.get(network);
    Instant now = clock.instant();
    if (before != null
        && before
            .at()
            .plus(before.vid().isPresent() ? FOUND_RECHECK : MISSING_RECHECK)
            .isAfter(now)) {
      return before.vid();
    }
    Optional<String> vid = lookUp(network);
    looked.put(network, new Looked(network, vid, now));
    return vid;
  }

  private Optional<String> lookUp(String network) {
    int slash = network.indexOf('/');
    if (slash <= 0 || slash != network.lastIndexOf('/') || slash == network.length() - 1) {
      return Optional.empty();
    }
    GenericKubernetesResource nad;
    try {
      nad =
          client
              .genericKubernetesResources(NAD)
              .inNamespace(network.substring(0, slash))
              .withName(network.substring(slash + 1))
              .get();
    } catch (KubernetesClientException e) {
      return Optional.empty(); // no such API (no Multus), or not allowed: no label
    }
    return nad == null ? Optional.empty() : vidOf(nad);
  }

  /**
   * The definition's label {@code network.harvesterhci.io/vlan-id}, else {@code vlan} of the CNI
   * configuration in {@code spec.config}, as upstream reads them.
   */
  static Optional<String> vidOf(GenericKubernetesResource nad) {
    Map<String, String> labels = nad.getMetadata().getLabels();
    if (labels != null && labels.get(NAD_VLAN_LABEL) != null) {
      return Optional.of(labels.get(NAD_VLAN_LABEL));
    }
    Object spec = nad.getAdditionalProperties().get("spec");
    if (!(spec instanceof Map<?, ?> fields) || !(fields.get("config") instanceof String config)) {
      return Optional.empty();
    }
    try {
      Object vlan = Serialization.unmarshal(config, Map.class).get("vlan");
      return vlan instanceof Number number && number.doubleValue() == number.longValue()
          ? Optional.of(Long.toString(number.longValue()))
          : Optional.empty();
    } catch (RuntimeException notJson) {
      return Optional.empty();
    }
  }
}
