package dev.reconcile.providers.nginx;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.reconcile.host.Host;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.HostHeader;
import dev.reconcile.util.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Switching a managed nginx's upstreams without a reload, with Debian's lua module
 * ({@code libnginx-mod-http-lua}): each upstream asks a shared dictionary for its addresses
 * ({@code balancer_by_lua}), so moving traffic to a new slot changes one entry and nginx keeps
 * every client connection. A reload closes idle kept-alive client connections, and clients that
 * send on one at that moment see an error (docs/benchmarks.md).
 *
 * <p>The routes of each site live in a file beside the managed config ({@link #file}), written
 * before they are served: nginx reads them all when it starts or reloads, and the tool pushes a
 * site's routes to the running workers through a control location that answers only on loopback
 * and only to the token in the state directory. The chosen module and the alternatives are in
 * docs/front-door.md.
 */
final class LiveRoutes {
  /** Where Debian installs nginx's dynamic modules, and the Lua library the module needs. */
  static final Path MODULES = Path.of("/usr/lib/nginx/modules");

  private static final Path RESTY = Path.of("/usr/share/lua/5.1/resty");
  static final String CONTROL_PATH = "/.well-known/reconcile/routes";
  /** Marks a site body whose upstreams are routed live (SiteRenderer). */
  static final String BALANCER = "balancer_by_lua_block";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String SOURCE = source();
  /** Whether a host's nginx has the module: asked once a minute, not on every render. */
  private static final Cache<String, Boolean> AVAILABLE = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(1))
      .maximumSize(1000)
      .build();

  /** Made at first use, after {@link HostHeader#allow} (the JDK reads it when its first client is made). */
  private static final class Http {
    static final HttpClient CLIENT = client();

    private static HttpClient client() {
      HostHeader.allow();
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(TIMEOUT)
          .sslContext(TlsTrust.none()) // plain HTTP on loopback only
          .build();
    }
  }

  private LiveRoutes() {}

  /** Whether the nginx of this host can load the module (with the Lua library it needs). */
  static boolean available(Host host) {
    return AVAILABLE.get(host.name(), name -> {
      try {
        var modules = host.list(MODULES);
        return modules.contains("ndk_http_module.so")
            && modules.contains("ngx_http_lua_module.so")
            && host.list(RESTY).contains("core.lua");
      } catch (IOException | RuntimeException e) {
        return false;
      }
    });
  }

  /** The lines of the main context that load the module. */
  static String modules() {
    return "load_module " + MODULES.resolve("ndk_http_module.so") + ";\n" + "load_module "
        + MODULES.resolve("ngx_http_lua_module.so") + ";\n";
  }

  /**
   * The http context's part: the shared dictionary and the code, which reads the token and every
   * routes file when nginx starts or reloads.
   */
  static String http(Path token, List<Path> files) {
    var boot = files.stream().map(f -> lua(f.toString())).collect(Collectors.joining(", "));
    return "    lua_shared_dict reconcile_routes 2m;\n"
        + "    init_by_lua_block {\n"
        + SOURCE
            .lines()
            .map(l -> l.isEmpty() ? "" : "        " + l)
            .collect(Collectors.joining("\n"))
        + "\n        reconcile.boot(" + lua(token.toString()) + ", { " + boot + " })\n"
        + "    }\n";
  }

  /** The control location of the default server; {@code readers}: addresses allowed, as regex alternatives. */
  static String control(String readers) {
    return "        location = " + CONTROL_PATH + " {\n"
        + "            access_log off;\n"
        + "            if ($remote_addr !~ \"^(" + readers + ")$\") {\n"
        + "                return 404;\n"
        + "            }\n"
        + "            client_max_body_size 1m;\n"
        + "            client_body_buffer_size 1m;\n"
        + "            content_by_lua_block { reconcile.control() }\n"
        + "        }\n";
  }

  /** An upstream routed live: the server is a placeholder the balancer never uses. */
  static String upstream(String name) {
    // keepalive after the balancer: it wraps the balancer's peer selection, caching connections
    // by address, so a connection to an old slot is never reused for a new request.
    return "upstream " + name + " {\n"
        + "    server 0.0.0.1:1;\n"
        + "    " + BALANCER + " { reconcile.balance(" + lua(name) + ") }\n"
        + "    keepalive 16;\n"
        // Idle connections to an old slot close soon, so its drain ends when its requests do
        // (and before an app's own keep-alive timeout, often 2-5 s, could race a reuse).
        + "    keepalive_timeout 1s;\n"
        + "}\n\n";
  }

  /** The revision endpoint's answer: the file's revision and the routes live now. */
  static String revision(String bodyRevision, ResourceId site, Map<String, String> upstreams) {
    var names = new TreeMap<>(upstreams)
        .keySet().stream()
            .map(c -> lua(c) + ", " + lua(SiteRenderer.upstreamName(site, c)))
            .collect(Collectors.joining(", "));
    return "content_by_lua_block { reconcile.revision(" + lua(bodyRevision) + ", { " + names
        + " }) }";
  }

  /**
   * The revision a live site answers with these routes: what {@code reconcile.revision} computes,
   * the first 16 hex digits of the MD5 of the file's revision, a space, and the routes.
   */
  static String servedRevision(String bodyRevision, Map<String, String> upstreams) {
    var served = new TreeMap<>(upstreams)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    try {
      var md5 = MessageDigest.getInstance("MD5")
          .digest((bodyRevision + " " + served).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md5).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /** The routes file of a site, in the managed prefix. */
  static Path file(Path prefix, ResourceId site) {
    return prefix.resolve("routes").resolve(site.project() + "." + site.environment() + ".routes");
  }

  /** A site's routes as the file and the control endpoint take them: one upstream per line. */
  static String text(ResourceId site, Map<String, String> upstreams) {
    var out = new StringBuilder();
    new TreeMap<>(upstreams)
        .forEach((component, address) -> out.append(SiteRenderer.upstreamName(site, component))
            .append(' ')
            .append(address)
            .append('\n'));
    return out.toString();
  }

  /**
   * Sets routes in the running nginx, reached at {@code at}; returns how many upstreams it set.
   * Empty when nothing answers the control location there (an nginx started before it had one).
   */
  static Optional<Integer> push(InetSocketAddress at, String token, String routes)
      throws IOException {
    var request = HttpRequest.newBuilder(
            URI.create("http://" + at.getHostString() + ":" + at.getPort() + CONTROL_PATH))
        .timeout(TIMEOUT)
        .header("X-Reconcile-Token", token)
        .POST(HttpRequest.BodyPublishers.ofString(routes))
        .build();
    HttpResponse<String> response;
    try {
      response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting the routes", e);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    var body = response.body().strip();
    if (response.statusCode() != 200 || !body.startsWith("ok ")) {
      throw new IOException(
          "nginx's control location answered " + response.statusCode() + " " + body);
    }
    return Optional.of(Integer.parseInt(body.substring(3).strip()));
  }

  /** A Lua string literal. */
  static String lua(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static String source() {
    try (InputStream in = LiveRoutes.class.getResourceAsStream("live-routes.lua")) {
      if (in == null) {
        throw new IllegalStateException("live-routes.lua is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
