package org.ipam.controller.plan;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ipam.controller.DialectSelection;
import org.ipam.core.engine.DialectModule;
import org.ipam.core.plan.DialectPlanner;
import org.ipam.core.plan.Plan;
import org.ipam.core.plan.PlanReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipam-controller plan -f FILE...}: what the controller would do with these objects, with no
 * cluster. Exit status 0 when every object is valid and every claim would be served, 1 otherwise (2
 * for a usage error), so that a CI pipeline can gate a change of pools or claims on it.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Reads pools, claims and address objects from YAML files (a kustomize build, a Helm"
          + " template, kubectl get -o yaml), validates them with the webhooks' rules and prints,"
          + " with no cluster, which address each claim would get and how full each pool would be.",
      "Exit status: 0 all valid and every claim served, 1 otherwise, 2 usage error."
    })
public final class PlanCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      arity = "1..*",
      paramLabel = "FILE",
      description = "YAML files or directories (their .yaml, .yml and .json files); '-f' repeats.")
  List<Path> files;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of objects that name none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--adapters",
      split = ",",
      description = "Dialects to plan for (default: those the controller serves by default).")
  List<String> adapters;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, DialectModule> dialects;
    try {
      dialects = DialectSelection.select(adapters);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, DialectPlanner> planners = new LinkedHashMap<>();
    List<String> unplanned = new ArrayList<>();
    dialects.forEach(
        (name, dialect) ->
            dialect
                .planner()
                .ifPresentOrElse(p -> planners.put(name, p), () -> unplanned.add(name)));
    PlanReport report = Plan.run(files, planners, namespace);
    PrintWriter out = spec.commandLine().getOut();
    new PlanPrinter(out).print(report, planners.keySet(), unplanned);
    out.flush();
    return report.ok() ? 0 : 1;
  }
}
