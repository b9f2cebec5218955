package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.Expander;
import dev.reconcile.desired.Selection;
import dev.reconcile.desired.Variables;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.validate.SpecValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sites whose renderings are golden files in {@code sites/}, and the upstreams they get. */
final class SiteCases {
  static final Path GOLDEN = Path.of("src/test/resources/sites");

  private static final String SYSTEM_SPEC = """
      version: 1
      platform:
        nginx: { mode: system, conf_dir: /etc/nginx/conf.d, listen: "127.0.0.2:8081", reload_command: [nginx, -s, reload] }
      projects:
        blog:
          domains: { production: [blog.example.org, www.blog.example.org] }
          containers:
            app: { image: "example/blog:3.1", port: 2368, api_locations: [/ghost/, /members/api] }
            static: { image: "example/blog-static:3.1", port: 80 }
      """;

  /** HTTPS with a certificate from the CA, HTTP only for its challenges and the redirect. */
  private static final String TLS_SPEC = """
      version: 1
      platform:
        nginx: { listen: "127.0.0.1:8080", listen_tls: "127.0.0.1:8443" }
        tls:
          acme: { directory: "https://acme-staging-v02.api.letsencrypt.org/directory" }
          hsts_max_age: 30d
      projects:
        shop:
          domains: { production: [shop.example.com, www.shop.example.com] }
          containers:
            web: { image: "example/shop:2.0", port: 8080 }
      """;

  /** What a real app asks of the front door: bigger uploads, a slow report, a stream, headers, a snippet. */
  private static final String FRONT_SPEC = """
      version: 1
      projects:
        media:
          domains: { production: media.example.com }
          headers: { X-Frame-Options: null, Content-Security-Policy: "default-src 'self'", X-Robots-Tag: noindex }
          nginx_snippet: media.nginx.conf
          containers:
            web: { image: "example/media:1", port: 8000, max_body: 0, timeout: 10m }
            events: { image: "example/media:1", port: 8001, api_locations: [/events], buffering: false }
            api: { image: "example/media:1", port: 8002, api_locations: [/api], max_body: 2g, timeout: 1h }
      """;

  static final String SNIPPET = """
      # Limits of the project's own.
      limit_rate_after 10m;
      location = /robots.txt {
          return 200 "User-agent: *\\nDisallow: /\\n";
      }
      """;

  /** Where the golden sites name their certificate, challenge and log files (SitesNginxIT makes them). */
  static final String CERTIFICATE = "/var/lib/reconcile-golden/tls/site.pem";

  static final String CHALLENGES = "/var/lib/reconcile-golden/acme/challenges.conf";
  static final String ACCESS_LOG = "/var/lib/reconcile-golden/logs/site.access.log";

  static SiteRenderer.TlsFiles files() {
    return new SiteRenderer.TlsFiles(CERTIFICATE, CHALLENGES, ACCESS_LOG);
  }

  private SiteCases() {}

  /** Case name -> site, in a stable order. */
  static Map<String, DesiredSite> all() throws Exception {
    var cases = new LinkedHashMap<String, DesiredSite>();
    var base = SpecValidator.standard()
        .validate(Path.of("../core/src/test/resources/plans/base.yml"), "projects.yml")
        .spec()
        .orElseThrow();
    var shop = new Expander(Variables.NONE).expand(base, Selection.ALL);
    cases.put("shop_production", (DesiredSite)
        shop.get(ResourceId.site("shop", "production")).orElseThrow());
    cases.put("shop_staging", (DesiredSite)
        shop.get(ResourceId.site("shop", "staging")).orElseThrow());
    var system = SpecValidator.standard()
        .validate(SYSTEM_SPEC.getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    cases.put("system_mode_blog", (DesiredSite) new Expander(Variables.NONE)
        .expand(system, Selection.ALL)
        .get(ResourceId.site("blog", "production"))
        .orElseThrow());
    var tls = SpecValidator.standard()
        .validate(TLS_SPEC.getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    cases.put("tls_shop", (DesiredSite) new Expander(Variables.NONE)
        .expand(tls, Selection.ALL)
        .get(ResourceId.site("shop", "production"))
        .orElseThrow());
    var front = SpecValidator.standard()
        .validate(FRONT_SPEC.getBytes(StandardCharsets.UTF_8), "projects.yml")
        .spec()
        .orElseThrow();
    Variables snippet = new Variables() {
      @Override
      public java.util.function.Function<String, java.util.Optional<String>> lookupFor(
          dev.reconcile.model.ProjectSpec project, String environment) {
        return name -> java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> readFile(String path) {
        return path.equals("media.nginx.conf")
            ? java.util.Optional.of(SNIPPET)
            : java.util.Optional.empty();
      }
    };
    cases.put("front_door_settings", (DesiredSite) new Expander(snippet)
        .expand(front, Selection.ALL)
        .get(ResourceId.site("media", "production"))
        .orElseThrow());
    // The longest a domain (253) and a location (1000) may be: nginx -t must take them too.
    var label = "a".repeat(63);
    var longest = SpecValidator.standard()
        .validate(
            """
        version: 1
        projects:
          long:
            domains: { production: %s }
            containers:
              web: { image: "example/long:1", port: 80 }
              api: { image: "example/long:1", port: 81, api_locations: [%s] }
        """.formatted(
                    label + "." + label + "." + label + "." + "b".repeat(61), "/" + "x".repeat(999))
                .getBytes(StandardCharsets.UTF_8),
            "projects.yml");
    assertValid(longest);
    cases.put("longest_names", (DesiredSite) new Expander(Variables.NONE)
        .expand(longest.spec().orElseThrow(), Selection.ALL)
        .get(ResourceId.site("long", "production"))
        .orElseThrow());
    return cases;
  }

  private static void assertValid(dev.reconcile.validate.ValidatedSpec validated) {
    if (validated.diagnostics().hasErrors()) {
      throw new AssertionError(validated.diagnostics().toString());
    }
  }

  /** Loopback upstreams, one port per component, in the tool's default range. */
  static Map<String, String> upstreams(DesiredSite site) {
    var out = new LinkedHashMap<String, String>();
    var port = 20001;
    for (var component : site.fingerprint().components()) {
      out.put(component, "127.0.0.1:" + port++);
    }
    return out;
  }
}
