package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code depends_on} names other containers of the same project, and the start order it makes has
 * no cycle: a container that (through others) waits on itself would never start.
 */
final class DependsOnRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc).forEach(project -> {
      var declared = new LinkedHashSet<String>();
      Tree.containers(project).forEach(c -> declared.add(c.name()));
      var edges = new HashMap<String, Set<String>>();
      Tree.allContainers(project)
          .forEach(container -> Tree.textItems(container.get("depends_on")).forEach(dep -> {
            var name = dep.node().asText();
            if (name.equals(container.name())) {
              out.add(
                  doc.errorAtValue(dep.path(), "container '" + name + "' cannot depend on itself"));
            } else if (!declared.contains(name)) {
              out.add(doc.errorAtValue(dep.path(), "unknown container '" + name + "' in depends_on")
                  .withHint("depends_on names containers of the same project ("
                      + String.join(", ", declared) + ")"));
            } else {
              edges.computeIfAbsent(container.name(), k -> new HashSet<>()).add(name);
            }
          }));
      // Reported once, at the cycle's first container by name.
      Tree.containers(project)
          .forEach(container -> cycle(container.name(), edges)
              .filter(path -> path.stream().allMatch(n -> n.compareTo(container.name()) >= 0))
              .ifPresent(path -> out.add(doc.errorAtKey(
                  container.path().child("depends_on"),
                  "depends_on makes a cycle: " + String.join(" -> ", path)
                      + "; no container of it could ever start"))));
    });
    return out.stream();
  }

  /** A cycle through {@code start}, as the names along it, if there is one. */
  private static Optional<List<String>> cycle(String start, Map<String, Set<String>> edges) {
    var path = new ArrayList<String>();
    path.add(start);
    return walk(start, start, edges, path, new HashSet<>());
  }

  private static Optional<List<String>> walk(
      String start,
      String at,
      Map<String, Set<String>> edges,
      List<String> path,
      Set<String> seen) {
    for (var next : edges.getOrDefault(at, Set.of()).stream().sorted().toList()) {
      if (next.equals(start)) {
        var cycle = new ArrayList<>(path);
        cycle.add(start);
        return Optional.of(cycle);
      }
      if (seen.add(next)) {
        path.add(next);
        var found = walk(start, next, edges, path, seen);
        if (found.isPresent()) {
          return found;
        }
        path.removeLast();
      }
    }
    return Optional.empty();
  }
}
