package org.ipam.harvester.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON of {@link Scope}. A list of tuples or one map: a CRD schema cannot say "array or object" (a
 * structural schema gives every node one type, and {@code anyOf} may not set types), so the field's
 * schema has no type ({@code x-kubernetes-preserve-unknown-fields}, see {@code Selector}) and the
 * shape is checked here and by the webhook. Each tuple takes {@code project}, {@code namespace} and
 * the guest cluster as {@code guestCluster} (the code's name) or {@code cluster} (the
 * documentation's); nothing else.
 */
final class ScopeJson {
  private static final String FIELD = "spec.selector.scope";

  private ScopeJson() {}

  static final class Reader extends JsonDeserializer<Scope> {
    @Override
    public Scope deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      return read(parser.readValueAsTree());
    }
  }

  static final class Writer extends JsonSerializer<Scope> {
    @Override
    public void serialize(Scope scope, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      if (scope.problem().isPresent()) {
        out.writeTree(scope.asWritten());
        return;
      }
      if (scope.form() == Scope.Form.MAP && scope.tuples().size() == 1) {
        writeTuple(out, scope.tuples().get(0), "cluster");
        return;
      }
      out.writeStartArray();
      for (ScopeTuple tuple : scope.tuples()) {
        writeTuple(out, tuple, "guestCluster");
      }
      out.writeEndArray();
    }

    /** Empty fields are left out, as upstream's {@code omitempty}. */
    private static void writeTuple(JsonGenerator out, ScopeTuple tuple, String clusterField)
        throws IOException {
      out.writeStartObject();
      if (!tuple.project().isEmpty()) {
        out.writeStringField("project", tuple.project());
      }
      if (!tuple.namespace().isEmpty()) {
        out.writeStringField("namespace", tuple.namespace());
      }
      if (!tuple.guestCluster().isEmpty()) {
        out.writeStringField(clusterField, tuple.guestCluster());
      }
      out.writeEndObject();
    }
  }

  /** Either form; never throws: a value of neither form is a {@link Scope#invalid} one. */
  static Scope read(JsonNode node) {
    if (node == null || node.isNull()) {
      return Scope.of(List.of());
    }
    if (node.isObject()) {
      return tuple(node, FIELD).map(Scope::single, problem -> Scope.invalid(problem, node));
    }
    if (!node.isArray()) {
      return Scope.invalid(
          FIELD
              + " "
              + node
              + " is neither a list of {project, namespace, guestCluster} nor one {project,"
              + " namespace, cluster} map",
          node);
    }
    List<ScopeTuple> tuples = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      Parsed parsed = tuple(node.get(i), FIELD + "[" + i + "]");
      if (parsed.problem != null) {
        return Scope.invalid(parsed.problem, node);
      }
      tuples.add(parsed.tuple);
    }
    return Scope.of(tuples);
  }

  /** A tuple or why not. */
  private record Parsed(ScopeTuple tuple, String problem) {
    <T> T map(
        java.util.function.Function<ScopeTuple, T> ok,
        java.util.function.Function<String, T> failed) {
      return problem == null ? ok.apply(tuple) : failed.apply(problem);
    }
  }

  private static Parsed tuple(JsonNode node, String field) {
    if (!node.isObject()) {
      return new Parsed(
          null, field + " " + node + " is not a {project, namespace, guestCluster} map");
    }
    String project = "";
    String namespace = "";
    String cluster = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (!value.isTextual() && !value.isNull()) {
        return new Parsed(null, field + "." + name + " " + value + " is not a string");
      }
      String text = value.isNull() ? "" : value.asText();
      switch (name) {
        case "project" -> project = text;
        case "namespace" -> namespace = text;
        case "guestCluster", "cluster" -> {
          if (cluster != null && !cluster.equals(text)) {
            return new Parsed(
                null,
                field
                    + " names the guest cluster twice, \""
                    + cluster
                    + "\" and \""
                    + text
                    + "\" (guestCluster and cluster are one field)");
          }
          cluster = text;
        }
        default -> {
          return new Parsed(
              null,
              field
                  + "."
                  + name
                  + " is not a scope field (project, namespace, guestCluster or cluster)");
        }
      }
    }
    return new Parsed(new ScopeTuple(project, namespace, cluster), null);
  }
}
