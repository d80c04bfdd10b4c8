package org.ipam.core.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One object read from a file, as written there.
 *
 * @param source where it was read: {@code file#n}, n counting the file's documents from 1
 * @param order its place among every object read, in the order of the files and their documents
 * @param content the object
 * @param defaultNamespace the namespace it goes to when it names none (as {@code kubectl apply -n})
 */
public record PlanObject(String source, int order, ObjectNode content, String defaultNamespace) {
  /**
   * Strict, as {@code kubectl apply} is: a field the kind does not have is refused, not dropped.
   */
  private static final ObjectMapper STRICT_MAPPER = new ObjectMapper();

  private static final KubernetesSerialization STRICT =
      new KubernetesSerialization(STRICT_MAPPER, false);

  static {
    STRICT_MAPPER.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public String apiVersion() {
    return text(content.path("apiVersion"));
  }

  /** The API group: the part of apiVersion before the slash, empty for the core group. */
  public String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public String kind() {
    return text(content.path("kind"));
  }

  public String name() {
    return text(content.path("metadata").path("name"));
  }

  /** The namespace the object names, else the default one. */
  public String namespace() {
    String namespace = text(content.path("metadata").path("namespace"));
    return namespace.isEmpty() ? defaultNamespace : namespace;
  }

  /** {@code <Kind> <namespace>/<name>}, as every problem line names an object. */
  public String describe() {
    return kind() + " " + namespace() + "/" + name();
  }

  /** A text field of the object, {@code ""} when absent; a path as {@code spec.poolRef.kind}. */
  public String field(String path) {
    JsonNode node = content;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return text(node);
  }

  /**
   * The object as its model class, with the default namespace filled in (for a namespaced kind; a
   * cluster-scoped one has none, as the API server drops what the file says); or, when it does not
   * fit the class (an unknown field, a text where a number belongs), the line that says which field
   * and value, in the form the webhooks use.
   */
  public <T extends HasMetadata> Read<T> read(Class<T> type) {
    ObjectNode copy = content.deepCopy();
    if (!copy.path("metadata").isObject()) {
      copy.putObject("metadata");
    }
    ObjectNode metadata = (ObjectNode) copy.get("metadata");
    boolean namespaced = Namespaced.class.isAssignableFrom(type);
    if (!namespaced) {
      metadata.remove("namespace");
    } else if (text(metadata.path("namespace")).isEmpty()) {
      metadata.put("namespace", defaultNamespace);
    }
    String described = namespaced ? describe() : kind() + " " + name();
    try {
      return new Read<>(STRICT.convertValue(copy, type), null);
    } catch (IllegalArgumentException e) {
      JsonMappingException cause = mappingCause(e);
      return new Read<>(
          null, cause == null ? described + ": " + e.getMessage() : problem(described, cause));
    }
  }

  /** A model object, or the problem that kept the object from being one. */
  public record Read<T>(T value, String problem) {}

  private String problem(String described, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return described
          + ": "
          + path
          + " is not a field of "
          + kind()
          + " (kubectl apply refuses unknown fields)";
    }
    Object value = e instanceof InvalidFormatException invalid ? invalid.getValue() : at(path);
    String expected =
        e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null
            ? typeName(mismatch.getTargetType())
            : "of the field's type";
    return described + ": " + path + " \"" + value + "\" is not " + expected;
  }

  private String at(CharSequence path) {
    JsonNode node = content;
    for (String part : path.toString().split("\\.")) {
      int bracket = part.indexOf('[');
      node = node.path(bracket < 0 ? part : part.substring(0, bracket));
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        node = node.path(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static JsonMappingException mappingCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonMappingException mapping) {
        return mapping;
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : "";
  }
}
