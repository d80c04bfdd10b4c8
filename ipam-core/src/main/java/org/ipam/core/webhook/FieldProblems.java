package org.ipam.core.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;

/**
 * Problems with one object, a line each in one form: {@code <Kind> <ns>/<name>: <field> "<value>"
 * <problem>} ({@code <Kind> <name>} for a cluster-scoped object). Webhooks answer with these lines
 * and controllers write the same lines on the object when webhooks are off, so a user reads the
 * same words either way.
 */
public final class FieldProblems {
  private final String object;
  private final List<String> lines = new ArrayList<>();

  public FieldProblems(HasMetadata resource) {
    this.object = describe(resource);
  }

  /** {@code <Kind> <ns>/<name>}, or {@code <Kind> <name>} when the object has no namespace. */
  public static String describe(HasMetadata resource) {
    String kind =
        resource.getKind() != null ? resource.getKind() : HasMetadata.getKind(resource.getClass());
    String namespace =
        resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
    return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  /** {@code <field> "<value>" <problem>}. */
  public void add(String field, Object value, String problem) {
    lines.add(object + ": " + field + " \"" + value + "\" " + problem);
  }

  /** A problem of a field as a whole, with no one value to quote: {@code <field> <problem>}. */
  public void add(String field, String problem) {
    lines.add(object + ": " + field + " " + problem);
  }

  /** A problem of the object as a whole (a delete refused), with no field. */
  public void addObjectProblem(String problem) {
    lines.add(object + ": " + problem);
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
