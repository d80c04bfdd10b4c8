package org.ipam.core.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the objects of YAML files as {@code kubectl apply -f} would: every document of each file in
 * order (a kustomize build output, a Helm template, {@code kubectl get -o yaml}), the items of a
 * {@code List}, empty documents skipped. A file that cannot be read is an error of the plan, not an
 * exception: the other files are still planned.
 */
public final class PlanFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** What was read, and what could not be. */
  public record Read(List<PlanObject> objects, List<Finding> problems) {}

  private PlanFiles() {}

  /** A directory stands for its .yaml, .yml and .json files, sorted by name (as kubectl does). */
  public static Read read(List<Path> paths, String defaultNamespace) {
    List<PlanObject> objects = new ArrayList<>();
    List<Finding> problems = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : expand(path, problems)) {
        readFile(file, defaultNamespace, objects, problems);
      }
    }
    return new Read(objects, problems);
  }

  private static List<Path> expand(Path path, List<Finding> problems) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (var files = Files.list(path)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().matches(".*\\.(yaml|yml|json)$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(Finding.error(path.toString(), path + ": cannot list the directory: " + e));
      return List.of();
    }
  }

  private static void readFile(
      Path file, String defaultNamespace, List<PlanObject> objects, List<Finding> problems) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      problems.add(Finding.error(name, name + ": no such file"));
      return;
    } catch (IOException e) {
      problems.add(Finding.error(name, name + ": cannot be read: " + e.getMessage()));
      return;
    }
    int document = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNextValue()) {
        document++;
        JsonNode node = documents.nextValue();
        add(name + "#" + document, node, defaultNamespace, objects, problems);
      }
    } catch (JsonProcessingException e) {
      // Documents before the broken one are kept; the file is an error either way. One line, for
      // a CI log: the parser's first line and where it stopped.
      var where = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("").trim();
      problems.add(
          Finding.error(
              name,
              name
                  + (where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr())
                  + ": not YAML: "
                  + message));
    } catch (IOException | RuntimeException e) {
      problems.add(Finding.error(name, name + ": not YAML: " + e.getMessage()));
    }
  }

  private static void add(
      String source,
      JsonNode node,
      String defaultNamespace,
      List<PlanObject> objects,
      List<Finding> problems) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document, as Helm leaves for a template that renders nothing
    }
    if (!node.isObject()) {
      problems.add(Finding.error(source, source + ": is not an object but " + node.getNodeType()));
      return;
    }
    String kind = node.path("kind").asText("");
    String apiVersion = node.path("apiVersion").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      problems.add(
          Finding.error(
              source,
              source
                  + ": an object needs apiVersion and kind, got apiVersion \""
                  + apiVersion
                  + "\" kind \""
                  + kind
                  + "\""));
      return;
    }
    if (kind.endsWith("List") && node.path("items").isArray()) {
      int i = 0;
      for (JsonNode item : node.path("items")) {
        add(source + ".items[" + i++ + "]", item, defaultNamespace, objects, problems);
      }
      return;
    }
    objects.add(new PlanObject(source, objects.size(), (ObjectNode) node, defaultNamespace));
  }
}
