package dev.reconcile.spec.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code shared_with} names other projects on the same host that have at least one environment of
 * the sharing project: the container joins their network of that environment, so a project
 * elsewhere, or without such an environment, could never reach it.
 */
final class SharedWithRule implements SemanticRule {
  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    var projects = new LinkedHashSet<String>();
    Tree.projects(doc).forEach(p -> projects.add(p.name()));
    Tree.projects(doc).forEach(project -> {
      var host = project.node().path("host").asText("local");
      var environments = keys(project.node().path("domains"));
      Tree.allContainers(project)
          .forEach(container -> Tree.textItems(container.get("shared_with")).forEach(item -> {
            var name = item.node().asText();
            var other = doc.root().path("projects").path(name);
            if (name.equals(project.name())) {
              out.add(doc.errorAtValue(
                  item.path(),
                  "a container is always reachable by its own project: '" + name
                      + "' need not be listed"));
            } else if (!other.isObject()) {
              out.add(doc.errorAtValue(item.path(), "unknown project '" + name + "' in shared_with")
                  .withHint("shared_with names projects of this file ("
                      + String.join(", ", projects) + ")"));
            } else if (!other.path("host").asText("local").equals(host)) {
              out.add(doc.errorAtValue(
                  item.path(),
                  "project '" + name + "' runs on host '"
                      + other.path("host").asText("local") + "', not on '" + host
                      + "': containers reach each "
                      + "other only on one host's networks"));
            } else if (keys(other.path("domains")).stream().noneMatch(environments::contains)) {
              out.add(doc.errorAtValue(
                  item.path(),
                  "project '" + name + "' has none of the environments of '"
                      + project.name() + "' (" + String.join(", ", environments)
                      + "): a container is shared "
                      + "with the environment of the same name"));
            }
          }));
    });
    return out.stream();
  }

  private static Set<String> keys(JsonNode node) {
    var out = new LinkedHashSet<String>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
