package dev.reconcile.spec.rules;

import dev.reconcile.diag.Diagnostic;
import dev.reconcile.spec.SpecDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * In every environment of a project, at most one container serves "/" (the routed one without
 * api_locations) and no URL location is claimed by two containers: nginx could route only one.
 * Checked on the containers as each environment's overrides leave them.
 */
final class RoutingRule implements SemanticRule {
  /** How one container is routed in one environment, and where each part was declared. */
  private record Route(Tree.At container, boolean routed, List<Tree.At> locations) {}

  @Override
  public Stream<Diagnostic> check(SpecDocument doc) {
    var out = new ArrayList<Diagnostic>();
    Tree.projects(doc).forEach(project -> {
      var environments = new ArrayList<String>();
      project.fields("domains").forEach(e -> environments.add(e.name()));
      if (environments.isEmpty()) {
        environments.add("");
      }
      for (var env : environments) {
        checkRoutes(doc, routes(project, env), out);
      }
    });
    return out.stream();
  }

  private static Map<String, Route> routes(Tree.At project, String environment) {
    var routes = new LinkedHashMap<String, Route>();
    Tree.containers(project).forEach(c -> routes.put(c.name(), route(c, c, c)));
    project.get("environments").get(environment).fields("containers").forEach(o -> {
      var base = routes.get(o.name());
      if (base != null) {
        var portFrom = o.node().has("port") ? o : base.container();
        var locationsFrom = o.node().has("api_locations") ? o : base.container();
        routes.put(o.name(), route(o, portFrom, locationsFrom));
      }
    });
    return routes;
  }

  private static Route route(Tree.At declaredAt, Tree.At portFrom, Tree.At locationsFrom) {
    var locations = Tree.textItems(locationsFrom.get("api_locations")).toList();
    return new Route(declaredAt, portFrom.node().has("port"), locations);
  }

  private static void checkRoutes(
      SpecDocument doc, Map<String, Route> routes, List<Diagnostic> out) {
    String rootOwner = null;
    var owners = new HashMap<String, String>();
    for (var entry : routes.entrySet()) {
      var name = entry.getKey();
      var route = entry.getValue();
      if (route.routed() && route.locations().isEmpty()) {
        if (rootOwner != null) {
          out.add(doc.errorAtKey(
                  route.container().path(),
                  "containers '" + rootOwner + "' and '" + name + "' both serve '/'")
              .withHint("give one of them api_locations, or remove its port"));
        } else {
          rootOwner = name;
        }
      }
      for (var location : route.locations()) {
        var first = owners.putIfAbsent(location.node().asText(), name);
        if (first != null && !first.equals(name)) {
          out.add(doc.errorAtValue(
              location.path(),
              "location '" + location.node().asText() + "' is already routed to container '" + first
                  + "'"));
        }
      }
    }
  }
}
