package dev.reconcile.execute;

import dev.reconcile.desired.DesiredContainer;
import dev.reconcile.spec.Interpolation;
import dev.reconcile.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resolves a container's env for starting it; the values (secrets too) go to Docker only. */
final class Environment {
  private Environment() {}

  static Map<String, String> resolve(RolloutContext ctx, DesiredContainer container) {
    var project = ctx.projectOf(container.id());
    var lookup = ctx.variables().lookupFor(project, container.id().environment());
    var out = new LinkedHashMap<String, String>();
    container.spec().env().forEach((name, value) -> {
      switch (Interpolation.resolve(value.template(), lookup)) {
        case Interpolation.Resolved.Value v -> out.put(name, v.text());
        case Interpolation.Resolved.Missing m ->
          throw new IllegalStateException(
              "pre-flight let " + container.id() + " through with " + m.names() + " unset");
      }
    });
    return out;
  }

  /** Variables that have no value: per container to start, and the projects' required_env. */
  static List<String> missing(RolloutContext ctx, List<DesiredContainer> toStart) {
    var problems = new ArrayList<String>();
    for (var container : toStart) {
      var project = ctx.projectOf(container.id());
      var lookup = ctx.variables().lookupFor(project, container.id().environment());
      container.spec().env().forEach((name, value) -> {
        if (Interpolation.resolve(value.template(), lookup)
            instanceof Interpolation.Resolved.Missing m) {
          problems.add(container.id() + ": env " + name + " needs " + String.join(", ", m.names())
              + ", which has no value (set it in the environment or the project's env_file)");
        }
      });
    }
    var environments =
        toStart.stream().map(c -> c.id().environmentKey()).distinct().toList();
    for (var key : environments) {
      var parts = key.split("/");
      var project = Checks.present(ctx.spec().projects().get(parts[0]), "project %s", parts[0]);
      var lookup = ctx.variables().lookupFor(project, parts[1]);
      project.requiredEnv().stream()
          .filter(n -> lookup.apply(n).isEmpty())
          .forEach(n -> problems.add(key + ": required_env " + n
              + " is not set (in the environment " + "or the project's env_file)"));
    }
    return problems;
  }
}
