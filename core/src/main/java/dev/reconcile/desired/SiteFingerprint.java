package dev.reconcile.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.resource.SpecHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a site is made of: its domains, which component serves which path, and where nginx
 * listens (empty for the system nginx's default). The loopback ports of the containers are not
 * part of it: they change with every blue-green switch, and the diff compares them separately.
 */
public record SiteFingerprint(List<String> domains, List<Route> routes, String listen) {

  public SiteFingerprint {
    domains = List.copyOf(domains);
    routes = routes.stream().sorted(Comparator.comparing(Route::location)).toList();
  }

  public String specHash() {
    return SpecHash.of(toJson());
  }

  public ObjectNode toJson() {
    var json = JsonNodeFactory.instance.objectNode();
    var domainsJson = json.putArray("domains");
    domains.forEach(domainsJson::add);
    var routesJson = json.putObject("routes");
    routes.forEach(r -> routesJson.put(r.location(), r.component()));
    json.put("listen", listen);
    return json;
  }

  public static Optional<SiteFingerprint> fromJson(JsonNode json) {
    if (!json.path("domains").isArray() || !json.path("routes").isObject()) {
      return Optional.empty();
    }
    var domains = new ArrayList<String>();
    json.get("domains").forEach(d -> domains.add(d.asText()));
    var routes = new ArrayList<Route>();
    json.get("routes").properties().forEach(e -> routes.add(new Route(e.getKey(), e.getValue().asText())));
    return Optional.of(new SiteFingerprint(domains, routes, json.path("listen").asText("")));
  }

  /** The components the site sends traffic to, in route order, each once. */
  public List<String> components() {
    return routes.stream().map(Route::component).distinct().toList();
  }
}
