package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A health check is an HTTP path or a command, not both. Routing-only settings need a port: health and smoke checks are HTTP requests to it, and
 * blue-green switches nginx traffic to it. A container without a port is not routed.
 */
final class ContainerRule implements SemanticRule {
  private static final List<String> NEED_PORT =
      List.of("api_locations", "smoke", "max_body", "timeout", "buffering");

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc)
        .flatMap(Tree::allContainers)
        .map(c -> c.get("health"))
        .filter(h -> h.node().has("path") && h.node().has("command"))
        .forEach(h -> out.add(doc.errorAtKey(
                h.path().child("command"), "health takes a path or a " + "command, not both")
            .withHint("path is an HTTP GET on the container's port; command runs inside it")));
    Tree.projects(doc)
        .flatMap(Tree::containers)
        .filter(c -> c.node().isObject() && !c.node().has("port"))
        .forEach(c -> {
          for (var key : NEED_PORT) {
            if (c.node().has(key)) {
              out.add(doc.errorAtKey(
                  c.path().child(key),
                  "'" + key + "' needs a port: container '" + c.name()
                      + "' has none, so it is not routed"));
            }
          }
          if (c.node().path("health").has("path")) {
            out.add(doc.errorAtKey(
                    c.path().child("health").child("path"),
                    "an HTTP health path needs a port: container '" + c.name() + "' has none")
                .withHint("drop the path to rely on the image's own HEALTHCHECK"));
          }
          if ("blue-green".equals(c.node().path("update").asText())) {
            out.add(doc.errorAtValue(
                    c.path().child("update"),
                    "blue-green needs a routed container: '" + c.name() + "' has no port")
                .withHint("use update: recreate for containers that nginx does not route to"));
          }
        });
    return out.stream();
  }
}
