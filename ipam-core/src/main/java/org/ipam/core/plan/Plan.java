package org.ipam.core.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the files and asks each dialect's planner about the objects it reads. */
public final class Plan {
  private Plan() {}

  /**
   * @param planners the enabled dialects' planners by dialect name; an object goes to the first
   *     that reads it
   */
  public static PlanReport run(
      List<Path> files, Map<String, DialectPlanner> planners, String defaultNamespace) {
    PlanFiles.Read read = PlanFiles.read(files, defaultNamespace);
    Map<String, List<PlanObject>> byDialect = new LinkedHashMap<>();
    planners.keySet().forEach(name -> byDialect.put(name, new ArrayList<>()));
    List<String> skipped = new ArrayList<>();
    for (PlanObject object : read.objects()) {
      String dialect =
          planners.entrySet().stream()
              .filter(e -> e.getValue().reads(object))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      if (dialect == null) {
        skipped.add(object.apiVersion() + " " + object.describe() + " (" + object.source() + ")");
      } else {
        byDialect.get(dialect).add(object);
      }
    }
    List<PoolPlan> pools = new ArrayList<>();
    List<Finding> findings = new ArrayList<>(read.problems());
    byDialect.forEach(
        (name, objects) -> {
          if (!objects.isEmpty()) {
            DialectPlan plan = planners.get(name).plan(objects);
            pools.addAll(plan.pools());
            findings.addAll(plan.findings());
          }
        });
    return new PlanReport(read.objects().size(), skipped, pools, findings);
  }
}
