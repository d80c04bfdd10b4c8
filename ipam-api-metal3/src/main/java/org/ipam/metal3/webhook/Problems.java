package org.ipam.metal3.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.metal3.model.IPClaim;

/** Collects one line per problem, each naming the object, the field and the value. */
final class Problems {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String object;
  private final List<String> lines = new ArrayList<>();

  Problems(HasMetadata resource) {
    this.object =
        resource.getKind()
            + " "
            + resource.getMetadata().getNamespace()
            + "/"
            + resource.getMetadata().getName();
  }

  void add(String field, Object value, String problem) {
    lines.add(object + ": " + field + " \"" + value + "\" " + problem);
  }

  void addAll(List<String> described) {
    lines.addAll(described);
  }

  void requireName(String field, String value) {
    if (value == null || value.isEmpty()) {
      add(field, value == null ? "" : value, "cannot be empty");
    }
  }

  /** The address, or null (and a problem) when the text is not one. */
  Ip address(String field, String text) {
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    if (parsed instanceof Parsed.Invalid<Ip> invalid) {
      add(field, text, invalid.reason());
      return null;
    }
    return parsed.orElseThrow();
  }

  /** The address a text spells, or null. */
  static Ip addressOrNull(String text) {
    if (text == null) {
      return null;
    }
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    return parsed.isValid() ? parsed.orElseThrow() : null;
  }

  /** The ipAddress annotation (a specific-address request), when present, must be an address. */
  void checkAddressAnnotation(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(IPClaim.IP_ADDRESS_ANNOTATION);
    if (value != null && !value.isEmpty()) {
      address("metadata.annotations." + IPClaim.IP_ADDRESS_ANNOTATION, value);
    }
  }

  List<String> lines() {
    return lines;
  }

  /**
   * Whether an update may pass without its spec being checked again: the spec did not change, or
   * the object is being deleted. Upstream re-validates every update, so a stored object that newer
   * rules reject could never have its finalizer removed; only spec changes are judged here.
   */
  static boolean specUntouched(HasMetadata object, Object spec, HasMetadata old, Object oldSpec) {
    return old != null
        && (object.getMetadata().getDeletionTimestamp() != null
            || JSON.valueToTree(spec).equals(JSON.valueToTree(oldSpec)));
  }
}
