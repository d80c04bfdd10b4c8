package org.ipam.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.ipam.core.engine.DialectModule;

/** The dialects on the class path (ServiceLoader), narrowed to those {@code --adapters} names. */
public final class DialectSelection {
  private DialectSelection() {}

  /**
   * Every dialect found that is {@link DialectModule#enabledByDefault() on by default} when {@code
   * names} is null or empty, else those named, in that order.
   *
   * @throws IllegalArgumentException naming an unknown dialect and the known ones
   */
  public static Map<String, DialectModule> select(List<String> names) {
    Map<String, DialectModule> found = all();
    if (names == null || names.isEmpty()) {
      Map<String, DialectModule> byDefault = new LinkedHashMap<>();
      found.forEach(
          (name, dialect) -> {
            if (dialect.enabledByDefault()) {
              byDefault.put(name, dialect);
            }
          });
      return byDefault;
    }
    Map<String, DialectModule> chosen = new LinkedHashMap<>();
    for (String name : names) {
      DialectModule dialect = found.get(name.trim());
      if (dialect == null) {
        throw new IllegalArgumentException(
            "--adapters: unknown adapter \"" + name + "\"; known: " + found.keySet());
      }
      chosen.put(dialect.name(), dialect);
    }
    return chosen;
  }

  /**
   * The webhook paths (to the dialect's name) of the dialects of {@code all} that are neither
   * {@code served} nor {@code named} in {@code --adapters}: the reviews a controller admits with a
   * warning (WebhookServer). A path that a served or named dialect also has is left out: its
   * reviews are that dialect's.
   */
  public static Map<String, String> notRunWebhooks(
      Map<String, DialectModule> all,
      Set<String> served,
      Set<String> named,
      io.fabric8.kubernetes.client.KubernetesClient client) {
    Map<String, String> notRun = new LinkedHashMap<>();
    Set<String> ours = new java.util.HashSet<>();
    all.forEach(
        (name, dialect) -> {
          if (served.contains(name) || named.contains(name)) {
            ours.addAll(dialect.webhookPaths(client));
          } else {
            dialect.webhookPaths(client).forEach(path -> notRun.putIfAbsent(path, name));
          }
        });
    notRun.keySet().removeAll(ours);
    return notRun;
  }

  /** Every dialect on the class path, by name. */
  public static Map<String, DialectModule> all() {
    Map<String, DialectModule> found = new LinkedHashMap<>();
    for (DialectModule dialect : ServiceLoader.load(DialectModule.class)) {
      found.put(dialect.name(), dialect);
    }
    return found;
  }
}
