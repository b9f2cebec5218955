package dev.reconcile.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.model.Proxy;
import dev.reconcile.resource.SpecHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a site is made of: its domains, which component serves which path, where nginx listens
 * (empty for the system nginx's default), HTTPS, and how requests are passed on ({@link Front};
 * empty in the files of versions before it). The loopback ports of the containers are not
 * part of it: they change with every blue-green switch, and the diff compares them separately.
 */
public record SiteFingerprint(
    List<String> domains,
    List<Route> routes,
    String listen,
    Optional<Tls> tls,
    Optional<Front> front) {

  /**
   * How the front door passes requests on, beyond the routes: WebSockets, gzip and an access log
   * on every site, and per component the body limit, read timeout and buffering; the response
   * headers; a snippet of the project's own.
   *
   * @param proxies component -> how requests to it are passed
   * @param headers response header -> value, sorted by name
   * @param snippet the SHA-256 of the project's nginx snippet, when it has one
   */
  public record Front(
      Map<String, Proxy> proxies, Map<String, String> headers, Optional<String> snippet) {
    public Front {
      proxies = Collections.unmodifiableMap(new TreeMap<>(proxies));
      headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    }
  }

  public SiteFingerprint(
      List<String> domains, List<Route> routes, String listen, Optional<Tls> tls) {
    this(domains, routes, listen, tls, Optional.empty());
  }

  /**
   * HTTPS for the site: served on {@code listen} (HOST:PORT, or a port alone), plain HTTP only
   * answering the CA's challenges and redirecting.
   *
   * @param hstsMaxAgeSeconds 0 for no Strict-Transport-Security header
   * @param stapling whether nginx staples OCSP answers: only for certificates with a chain
   */
  public record Tls(String listen, long hstsMaxAgeSeconds, boolean stapling) {
    /** The port HTTPS is served on. */
    public int port() {
      return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }
  }

  public SiteFingerprint(List<String> domains, List<Route> routes, String listen) {
    this(domains, routes, listen, Optional.empty());
  }

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
    // Only when on: the hashes of plain-HTTP sites stay what they were before TLS existed.
    tls.ifPresent(t -> json.putObject("tls")
        .put("listen", t.listen())
        .put("hsts_max_age", t.hstsMaxAgeSeconds())
        .put("stapling", t.stapling()));
    front.ifPresent(f -> {
      var frontJson = json.putObject("front");
      var proxies = frontJson.putObject("proxies");
      f.proxies()
          .forEach((component, p) -> proxies
              .putObject(component)
              .put("max_body", p.maxBody())
              .put("timeout_ms", p.timeout().toMillis())
              .put("buffering", p.buffering()));
      var headers = frontJson.putObject("headers");
      f.headers().forEach(headers::put);
      f.snippet().ifPresent(h -> frontJson.put("snippet", h));
    });
    return json;
  }

  public static Optional<SiteFingerprint> fromJson(JsonNode json) {
    if (!json.path("domains").isArray() || !json.path("routes").isObject()) {
      return Optional.empty();
    }
    var domains = new ArrayList<String>();
    json.get("domains").forEach(d -> domains.add(d.asText()));
    var routes = new ArrayList<Route>();
    json.get("routes")
        .properties()
        .forEach(e -> routes.add(new Route(e.getKey(), e.getValue().asText())));
    var tls = json.path("tls");
    return Optional.of(new SiteFingerprint(
        domains,
        routes,
        json.path("listen").asText(""),
        tls.isObject()
            ? Optional.of(new Tls(
                tls.path("listen").asText(),
                tls.path("hsts_max_age").asLong(),
                tls.path("stapling").asBoolean()))
            : Optional.empty(),
        front(json.path("front"))));
  }

  private static Optional<Front> front(JsonNode json) {
    if (!json.isObject()) {
      return Optional.empty();
    }
    var proxies = new TreeMap<String, Proxy>();
    json.path("proxies")
        .properties()
        .forEach(e -> proxies.put(
            e.getKey(),
            new Proxy(
                e.getValue().path("max_body").asLong(Proxy.DEFAULT_MAX_BODY),
                Duration.ofMillis(
                    e.getValue().path("timeout_ms").asLong(Proxy.DEFAULT_TIMEOUT.toMillis())),
                e.getValue().path("buffering").asBoolean(true))));
    var headers = new TreeMap<String, String>();
    json.path("headers")
        .properties()
        .forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
    return Optional.of(new Front(
        proxies,
        headers,
        json.path("snippet").isTextual()
            ? Optional.of(json.get("snippet").asText())
            : Optional.empty()));
  }

  /** The components the site sends traffic to, in route order, each once. */
  public List<String> components() {
    return routes.stream().map(Route::component).distinct().toList();
  }
}
