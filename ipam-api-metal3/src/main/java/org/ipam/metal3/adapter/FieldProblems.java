package org.ipam.metal3.adapter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.metal3.model.IPClaim;

/**
 * Problems with one object, a line each in one form: {@code <Kind> <ns>/<name>: <field> "<value>"
 * <problem>}. The pool translation (what the controller records on a pool) and the webhooks (what
 * the apiserver answers) both write them here, so a user reads the same words either way.
 */
public final class FieldProblems {
  private final String object;
  private final List<String> lines = new ArrayList<>();

  public FieldProblems(HasMetadata resource) {
    this.object =
        resource.getKind()
            + " "
            + resource.getMetadata().getNamespace()
            + "/"
            + resource.getMetadata().getName();
  }

  public void add(String field, Object value, String problem) {
    lines.add(object + ": " + field + " \"" + value + "\" " + problem);
  }

  /** A problem of a field as a whole, with no one value to quote. */
  public void add(String field, String problem) {
    lines.add(object + ": " + field + " " + problem);
  }

  public void addAll(List<String> described) {
    lines.addAll(described);
  }

  public void requireName(String field, String value) {
    if (value == null || value.isEmpty()) {
      add(field, value == null ? "" : value, "cannot be empty");
    }
  }

  /** The address a text spells; null for no text, and null with a problem for a bad one. */
  public Ip address(String field, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    if (parsed instanceof Parsed.Invalid<Ip> invalid) {
      add(field, text, invalid.reason());
      return null;
    }
    return parsed.orElseThrow();
  }

  /** The ipAddress annotation (a specific-address request), when present, must be an address. */
  public void checkAddressAnnotation(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(IPClaim.IP_ADDRESS_ANNOTATION);
    address("metadata.annotations." + IPClaim.IP_ADDRESS_ANNOTATION, value);
  }

  /** The address a text spells, or null. */
  public static Ip addressOrNull(String text) {
    if (text == null) {
      return null;
    }
    Parsed<Ip> parsed = IpParser.parseAddress(text);
    return parsed.isValid() ? parsed.orElseThrow() : null;
  }

  public boolean isEmpty() {
    return lines.isEmpty();
  }

  public List<String> lines() {
    return lines;
  }
}
