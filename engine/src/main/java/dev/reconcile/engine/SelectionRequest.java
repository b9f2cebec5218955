package dev.reconcile.engine;

import dev.reconcile.desired.Selection;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.Diagnostics;
import dev.reconcile.diag.SourcePosition;
import dev.reconcile.model.PlatformSpec;
import dev.reconcile.util.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --project} and {@code --env} names as typed, checked against the spec.
 *
 * @param removedToo names of environments taken out of the spec that have a history are accepted
 *     too (plan and apply, which remove what is left of them)
 */
public record SelectionRequest(
    List<String> projects, List<String> environments, boolean removedToo) {
  public static final SelectionRequest ALL = new SelectionRequest(List.of(), List.of());

  public SelectionRequest {
    projects = List.copyOf(projects);
    environments = List.copyOf(environments);
  }

  public SelectionRequest(List<String> projects, List<String> environments) {
    this(projects, environments, false);
  }

  /** Whether a name was typed at all: only then is the history read to check it. */
  boolean names() {
    return !projects.isEmpty() || !environments.isEmpty();
  }

  public Selection selection() {
    return new Selection(Set.copyOf(projects), Set.copyOf(environments));
  }

  /** An error for each name the spec does not declare, with the closest one as a hint. */
  Diagnostics check(PlatformSpec spec, String file) {
    return check(spec, file, List.of());
  }

  /**
   * @param withHistory environments ({@code project/environment}) with snapshots, accepted when
   *     {@link #removedToo}
   */
  Diagnostics check(PlatformSpec spec, String file, List<String> withHistory) {
    var environmentNames = new TreeSet<String>();
    spec.projects().values().forEach(p -> environmentNames.addAll(p.environmentNames()));
    var projectNames = new TreeSet<>(spec.projects().keySet());
    if (removedToo) {
      withHistory.forEach(key -> {
        var parts = key.split("/");
        projectNames.add(parts[0]);
        environmentNames.add(parts[1]);
      });
    }
    var errors = new ArrayList<Diagnostic>();
    unknown("--project", "project", projects, projectNames, file, errors);
    unknown("--env", "environment", environments, environmentNames, file, errors);
    return Diagnostics.of(errors);
  }

  private static void unknown(
      String option,
      String what,
      List<String> typed,
      Collection<String> known,
      String file,
      List<Diagnostic> out) {
    for (var name : typed) {
      if (!known.contains(name)) {
        var hint = Suggestions.closest(name, known)
            .map(s -> "did you mean '" + s + "'?")
            .orElse(
                known.isEmpty()
                    ? file + " declares none"
                    : "declared: " + String.join(", ", new TreeSet<>(known)));
        out.add(Diagnostic.error(
                SourcePosition.startOf(file),
                "",
                option + " " + name + ": " + file + " declares no " + what + " of that name")
            .withHint(hint));
      }
    }
  }
}
