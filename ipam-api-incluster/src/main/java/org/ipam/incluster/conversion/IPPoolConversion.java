package org.ipam.incluster.conversion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.InClusterApi;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha1.GlobalInClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolSpecV1alpha1;
import org.ipam.incluster.model.v1alpha1.InClusterIPPoolV1alpha1;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;

/**
 * InClusterIPPool and GlobalInClusterIPPool between v1alpha1 and v1alpha2 (the hub), as upstream
 * converts them (reference/incluster.md 1.3), as pure functions:
 *
 * <ul>
 *   <li>up: {@code addresses}, {@code prefix} and {@code gateway} are copied; with a {@code
 *       subnet}, {@code start} defaults to its second address, {@code end} to its second-last, a
 *       {@code prefix} of 0 to its length; with both {@code start} and {@code end}, {@code
 *       "start-end"} is appended to the addresses. The whole v1alpha1 object but its metadata,
 *       defaults filled in, is kept in the hub's {@code cluster.x-k8s.io/conversion-data}
 *       annotation.
 *   <li>down: {@code addresses}, {@code prefix} and {@code gateway} are copied (the v1alpha2-only
 *       fields are dropped, as upstream drops them); the annotation is taken off, and the v1alpha1
 *       spec it holds is given back when it still converts to the hub's {@code addresses}, {@code
 *       prefix} and {@code gateway}, so that a v1alpha1 writer reads back what it wrote, and a
 *       v1alpha2 change is never hidden behind a stale v1alpha1 spec.
 * </ul>
 *
 * GlobalInClusterIPPool behaves as InClusterIPPool in both directions; upstream gives the stale
 * spec back to Global pools even after a v1alpha2 change (docs/compat/incluster.md). An annotation
 * that cannot be read is ignored (upstream fails the conversion, so the pool could no longer be
 * read as v1alpha1).
 */
public final class IPPoolConversion {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  /** A v1alpha1 spec converted up: the hub's spec, and the v1alpha1 spec with its defaults. */
  public record Upgraded(InClusterIPPoolSpec spec, InClusterIPPoolSpecV1alpha1 defaulted) {}

  private IPPoolConversion() {}

  public static InClusterIPPool toV1alpha2(InClusterIPPoolV1alpha1 pool) {
    return up(pool, new InClusterIPPool());
  }

  public static GlobalInClusterIPPool toV1alpha2(GlobalInClusterIPPoolV1alpha1 pool) {
    return up(pool, new GlobalInClusterIPPool());
  }

  public static InClusterIPPoolV1alpha1 toV1alpha1(InClusterIPPool pool) {
    return down(pool, new InClusterIPPoolV1alpha1());
  }

  public static GlobalInClusterIPPoolV1alpha1 toV1alpha1(GlobalInClusterIPPool pool) {
    return down(pool, new GlobalInClusterIPPoolV1alpha1());
  }

  /**
   * upstream's {@code Convert_v1alpha1_InClusterIPPoolSpec_To_v1alpha2_InClusterIPPoolSpec}.
   *
   * @throws IllegalArgumentException when {@code subnet} is not a CIDR; the message starts with the
   *     field and the value
   */
  public static Upgraded specToV1alpha2(InClusterIPPoolSpecV1alpha1 in) {
    InClusterIPPoolSpecV1alpha1 defaulted = copy(in);
    if (notEmpty(in.getSubnet())) {
      Parsed<Cidr> subnet = IpParser.parseCidr(in.getSubnet());
      if (subnet instanceof Parsed.Invalid<Cidr> invalid) {
        throw new IllegalArgumentException(
            "spec.subnet \"" + in.getSubnet() + "\" " + invalid.reason());
      }
      Cidr cidr = subnet.orElseThrow();
      // Upstream prints Go's "invalid IP" when the neighbour does not exist (0.0.0.0/32); here
      // the bound is left unset, so no range is appended.
      if (!notEmpty(defaulted.getStart())) {
        next(cidr.network()).ifPresent(ip -> defaulted.setStart(ip.toString()));
      }
      if (!notEmpty(defaulted.getEnd())) {
        previous(cidr.last()).ifPresent(ip -> defaulted.setEnd(ip.toString()));
      }
      if (defaulted.getPrefix() == null || defaulted.getPrefix() == 0) {
        defaulted.setPrefix(cidr.prefixLength());
      }
    }
    InClusterIPPoolSpec out = new InClusterIPPoolSpec();
    out.setGateway(defaulted.getGateway());
    out.setPrefix(defaulted.getPrefix() == null ? 0 : defaulted.getPrefix());
    List<String> addresses = in.getAddresses() == null ? null : new ArrayList<>(in.getAddresses());
    if (notEmpty(defaulted.getStart()) && notEmpty(defaulted.getEnd())) {
      addresses = addresses == null ? new ArrayList<>() : addresses;
      addresses.add(defaulted.getStart() + "-" + defaulted.getEnd());
    }
    out.setAddresses(addresses);
    return new Upgraded(out, defaulted);
  }

  /** upstream's generated down conversion: the v1alpha2-only fields are dropped. */
  public static InClusterIPPoolSpecV1alpha1 specToV1alpha1(InClusterIPPoolSpec in) {
    InClusterIPPoolSpecV1alpha1 out = new InClusterIPPoolSpecV1alpha1();
    out.setAddresses(in.getAddresses() == null ? null : new ArrayList<>(in.getAddresses()));
    out.setPrefix(in.getPrefix());
    out.setGateway(in.getGateway());
    return out;
  }

  private static <H extends CustomResource<InClusterIPPoolSpec, PoolStatus>> H up(
      CustomResource<InClusterIPPoolSpecV1alpha1, PoolStatus> pool, H hub) {
    InClusterIPPoolSpecV1alpha1 spec =
        pool.getSpec() == null ? new InClusterIPPoolSpecV1alpha1() : pool.getSpec();
    Upgraded upgraded;
    try {
      upgraded = specToV1alpha2(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FieldProblems.describe(pool) + ": " + e.getMessage(), e);
    }
    ObjectMeta metadata = copy(pool.getMetadata());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (metadata.getAnnotations() != null) {
      annotations.putAll(metadata.getAnnotations());
    }
    annotations.put(
        InClusterApi.CONVERSION_DATA_ANNOTATION,
        conversionData(pool.getKind(), upgraded.defaulted(), pool.getStatus()));
    metadata.setAnnotations(annotations);
    hub.setMetadata(metadata);
    hub.setSpec(upgraded.spec());
    hub.setStatus(pool.getStatus());
    return hub;
  }

  private static <V extends CustomResource<InClusterIPPoolSpecV1alpha1, PoolStatus>> V down(
      CustomResource<InClusterIPPoolSpec, PoolStatus> hub, V pool) {
    InClusterIPPoolSpec spec = hub.getSpec() == null ? new InClusterIPPoolSpec() : hub.getSpec();
    ObjectMeta metadata = copy(hub.getMetadata());
    InClusterIPPoolSpecV1alpha1 converted = specToV1alpha1(spec);
    Map<String, String> annotations = metadata.getAnnotations();
    String data =
        annotations == null ? null : annotations.get(InClusterApi.CONVERSION_DATA_ANNOTATION);
    if (data != null) {
      Map<String, String> rest = new LinkedHashMap<>(annotations);
      rest.remove(InClusterApi.CONVERSION_DATA_ANNOTATION);
      metadata.setAnnotations(rest.isEmpty() ? null : rest);
      Optional<Upgraded> restored = restore(data);
      if (restored.isPresent() && sameAddresses(restored.get().spec(), spec)) {
        converted = restored.get().defaulted();
      }
    }
    pool.setMetadata(metadata);
    pool.setSpec(converted);
    pool.setStatus(hub.getStatus());
    return pool;
  }

  /** The v1alpha1 spec kept in the annotation, converted up; empty when it cannot be read. */
  private static Optional<Upgraded> restore(String data) {
    try {
      JsonNode spec = JSON.readTree(data).path("spec");
      InClusterIPPoolSpecV1alpha1 restored =
          spec.isObject()
              ? JSON.treeToValue(spec, InClusterIPPoolSpecV1alpha1.class)
              : new InClusterIPPoolSpecV1alpha1();
      return Optional.of(specToV1alpha2(restored));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** upstream's test before it gives back the kept spec: the same addresses, prefix, gateway. */
  private static boolean sameAddresses(InClusterIPPoolSpec restored, InClusterIPPoolSpec hub) {
    return orEmpty(restored.getAddresses()).equals(orEmpty(hub.getAddresses()))
        && Objects.equals(orZero(restored.getPrefix()), orZero(hub.getPrefix()))
        && Objects.equals(orEmpty(restored.getGateway()), orEmpty(hub.getGateway()));
  }

  /**
   * As Cluster API's {@code utilconversion.MarshalData}: the object without its metadata, as JSON
   * with sorted keys.
   */
  static String conversionData(String kind, InClusterIPPoolSpecV1alpha1 spec, PoolStatus status) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", InClusterApi.apiVersion(InClusterApi.V1ALPHA1));
    object.put("kind", kind);
    object.put("spec", spec);
    if (status != null && status.getIpAddresses() != null) {
      // v1alpha1's status is the counts only. The controller's ledger (status.allocations, up to
      // ~1.3 MB) and conditions stay out: an annotation holds at most 256 KiB, and the copy would
      // eat into the pool object's room under etcd's limit.
      PoolStatus counts = new PoolStatus();
      counts.setIpAddresses(status.getIpAddresses());
      object.put("status", counts);
    }
    try {
      return JSON.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a v1alpha1 spec did not serialise", e);
    }
  }

  private static Optional<Ip> next(Ip address) {
    boolean last =
        address.isV4() ? address.lo() == 0xffffffffL : address.hi() == -1L && address.lo() == -1L;
    return last ? Optional.empty() : Optional.of(address.plus(1));
  }

  private static Optional<Ip> previous(Ip address) {
    if (address.hi() == 0 && address.lo() == 0) {
      return Optional.empty();
    }
    long hi = address.lo() == 0 ? address.hi() - 1 : address.hi();
    return Optional.of(new Ip(address.family(), hi, address.lo() - 1));
  }

  private static InClusterIPPoolSpecV1alpha1 copy(InClusterIPPoolSpecV1alpha1 in) {
    InClusterIPPoolSpecV1alpha1 out = new InClusterIPPoolSpecV1alpha1();
    out.setAddresses(in.getAddresses() == null ? null : new ArrayList<>(in.getAddresses()));
    out.setSubnet(in.getSubnet());
    out.setStart(in.getStart());
    out.setEnd(in.getEnd());
    out.setPrefix(in.getPrefix());
    out.setGateway(in.getGateway());
    return out;
  }

  private static ObjectMeta copy(ObjectMeta metadata) {
    return metadata == null ? new ObjectMeta() : new ObjectMetaBuilder(metadata).build();
  }

  private static boolean notEmpty(String text) {
    return text != null && !text.isEmpty();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
