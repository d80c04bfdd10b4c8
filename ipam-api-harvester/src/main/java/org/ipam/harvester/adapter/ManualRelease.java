package org.ipam.harvester.adapter;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ipam.core.engine.Events;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.harvester.model.HarvesterApi;
import org.ipam.harvester.model.HarvesterIPPool;
import org.ipam.harvester.model.IPPoolStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code loadbalancer.harvesterhci.io/manuallyReleaseIP: "<ip>: <namespace>/<name>"} on
 * an IPPool (reference 3.4): the address that {@code status.allocated} gives to that holder is
 * freed (into {@code allocatedHistory}) if the holder no longer exists, then the annotation is
 * removed; in every other case the annotation is only removed, and an event on the pool says why.
 *
 * <p>Here it is the way to free what the controller this one replaces left in {@code allocated}:
 * addresses of the controller's own ledger are released by the controller once their holder is
 * gone, with no annotation. Unlike upstream, which splits at the first {@code :}, an IPv6 address
 * works ({@code "fd00::5: default/lb"}: the holder is after the last {@code :}), and a holder may
 * be a Service ({@code Service/<namespace>/<name>}, as {@code allocated} names it).
 */
final class ManualRelease {
  private static final Logger LOG = LoggerFactory.getLogger(ManualRelease.class);
  static final String ANNOTATION = HarvesterApi.MANUALLY_RELEASE_IP_ANNOTATION;

  /**
   * What the annotation asks: this address, held by this holder (as {@code allocated} names it).
   */
  record Request(Ip ip, String holder) {}

  /** What to do with a request. */
  sealed interface Outcome {
    String message();

    /** Free {@code allocated[key]}, where the address is written as {@code key}. */
    record Release(String key, String holder, String message) implements Outcome {}

    /** Nothing to free; {@code warning} when the request was wrong. */
    record Ignore(String message, boolean warning) implements Outcome {}
  }

  private final KubernetesClient client;
  private final Clock clock;

  ManualRelease(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Acts on the annotation of the pool, if it has one: decided on a live read, and the release
   * written with that read's resourceVersion (a ledger write in between makes it 409, and the next
   * pass tries again).
   */
  void handle(HarvesterIPPool cached) {
    if (annotationOf(cached) == null) {
      return;
    }
    HarvesterIPPool live = client.resource(cached).get();
    String value = live == null ? null : annotationOf(live);
    if (value == null) {
      return;
    }
    Outcome outcome = decide(live, value, this::holderExists);
    if (outcome instanceof Outcome.Release release) {
      IPPoolStatus status = live.getStatus();
      status.getAllocated().remove(release.key());
      Map<String, String> history =
          new TreeMap<>(
              status.getAllocatedHistory() == null ? Map.of() : status.getAllocatedHistory());
      history.put(release.key(), release.holder());
      status.setAllocatedHistory(history);
      status.setAvailable(Math.max(0, status.getTotal() - status.getAllocated().size()));
      try {
        client.resource(live).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 || e.getCode() == 404) {
          return; // changed meanwhile: the next pass decides again
        }
        throw e;
      }
      LOG.info("{}", outcome.message());
      Events.normal(client, clock, live, "IPReleased", outcome.message());
    } else if (((Outcome.Ignore) outcome).warning()) {
      LOG.warn("{}", outcome.message());
      Events.warning(client, clock, live, "ReleaseRefused", outcome.message());
    } else {
      LOG.info("{}", outcome.message());
    }
    removeAnnotation(live, value);
  }

  /** Upstream's decision, on one pool's status; {@code holderExists} asks the API. */
  static Outcome decide(HarvesterIPPool pool, String value, Predicate<String> holderExists) {
    String field = pool.describe() + ": metadata.annotations[" + ANNOTATION + "] \"" + value + "\"";
    Optional<Request> parsed = parse(value);
    if (parsed.isEmpty()) {
      return new Outcome.Ignore(
          field + " is not \"<ip>: <namespace>/<name>\" (or \"<ip>: Service/<namespace>/<name>\")",
          true);
    }
    Request request = parsed.get();
    IPPoolStatus status = pool.getStatus();
    Map<String, String> allocated =
        status == null || status.getAllocated() == null ? Map.of() : status.getAllocated();
    String key = null;
    for (String written : allocated.keySet()) {
      if (IpParser.parseAddress(written) instanceof Parsed.Valid<Ip> ip
          && ip.value().equals(request.ip())) {
        key = written;
      }
    }
    if (key == null || !request.holder().equals(allocated.get(key))) {
      return new Outcome.Ignore(
          field
              + ": status.allocated does not give "
              + request.ip()
              + " to "
              + request.holder()
              + (key == null ? " (nobody holds it)" : " (it is " + allocated.get(key) + "'s)"),
          true);
    }
    if (holderExists.test(request.holder())) {
      return new Outcome.Ignore(
          field + ": " + request.holder() + " still exists: delete it to release " + request.ip(),
          true);
    }
    List<String> ledger =
        HarvesterRecords.entriesOf(pool).stream()
            .map(e -> e.addresses().first().toString())
            .toList();
    if (ledger.contains(request.ip().toString())) {
      return new Outcome.Ignore(
          field
              + ": "
              + request.ip()
              + " is in the controller's ledger: it is released without"
              + " the annotation, as "
              + request.holder()
              + " is gone",
          false);
    }
    return new Outcome.Release(
        key, request.holder(), field + ": released " + request.ip() + " of " + request.holder());
  }

  /**
   * {@code "<ip>: <holder>"}, split at the last {@code :} (a holder has none; an IPv6 address has
   * several), the address optionally in brackets; the holder {@code <namespace>/<name>} or {@code
   * Service/<namespace>/<name>}.
   */
  static Optional<Request> parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String address = value.substring(0, colon).trim();
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    String holder = value.substring(colon + 1).trim();
    String[] parts = holder.split("/", -1);
    boolean named =
        (parts.length == 2 || (parts.length == 3 && HarvesterApi.SERVICE.equals(parts[0])))
            && java.util.Arrays.stream(parts).noneMatch(String::isEmpty);
    if (!named || !(IpParser.parseAddress(address) instanceof Parsed.Valid<Ip> ip)) {
      return Optional.empty();
    }
    return Optional.of(new Request(ip.value(), holder));
  }

  private boolean holderExists(String holder) {
    String[] parts = holder.split("/");
    String kind = parts.length == 3 ? HarvesterApi.SERVICE : HarvesterApi.LOAD_BALANCER;
    int at = parts.length - 2;
    return HarvesterClaim.live(client, kind, parts[at], parts[at + 1]) != null;
  }

  private static String annotationOf(HarvesterIPPool pool) {
    Map<String, String> annotations = pool.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /** Removes the annotation if it still has the value acted on (a newer one is judged anew). */
  private void removeAnnotation(HarvesterIPPool pool, String value) {
    String path = "/metadata/annotations/" + ANNOTATION.replace("~", "~0").replace("/", "~1");
    String patch =
        Serialization.asJson(
            List.of(
                Map.of("op", "test", "path", path, "value", value),
                Map.of("op", "remove", "path", path)));
    try {
      client.resource(pool).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422 && e.getCode() != 409) {
        throw e;
      }
    }
  }
}
