package dev.reconcile.providers.nginx;

import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.Route;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.model.FrontDoorPolicy;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.model.Proxy;
import dev.reconcile.provider.RevisionAnswer;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Renders a site: one upstream per component, one server block per domain, each path proxied to
 * its component's loopback port with the usual forwarding headers, timeouts and security
 * headers. The body is pure text; {@link SiteFile} adds the managed header.
 */
public final class SiteRenderer {
  private static final String REVISION_MARK = "@revision@";
  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*");
  private static final String REVISION_LOCATION = "location = " + SiteControl.REVISION_PATH + " {";
  private static final Pattern STATIC_REVISION =
      Pattern.compile("return 200 \"([0-9a-f]{16})[^\"]*\\\\n\";");
  private static final Pattern LIVE_REVISION =
      Pattern.compile("content_by_lua_block \\{ reconcile\\.revision\\(\"([0-9a-f]{16})\"");

  /** Mozilla's "intermediate" suite for TLS 1.2 (1.3 picks its own): forward secrecy, AEAD only. */
  static final String CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
      + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

  /**
   * Files on the front door's host a site names.
   *
   * @param certificate the key and chain, one file (sites with TLS)
   * @param challenges the snippet holding the CA's HTTP-01 answers
   * @param accessLog where the site's requests are logged, as JSON lines; empty for none
   */
  public record TlsFiles(String certificate, String challenges, String accessLog) {
    public TlsFiles(String certificate, String challenges) {
      this(certificate, challenges, "");
    }
  }

  /**
   * One JSON object per request: what status, rpm and the bake read back (AccessLog). The path is
   * $uri, without the query string, which may carry tokens.
   */
  static final String LOG_FORMAT = "'{\"time\":\"$time_iso8601\",\"status\":$status,"
      + "\"method\":\"$request_method\",\"path\":\"$uri\",\"duration\":$request_time,"
      + "\"bytes\":$body_bytes_sent,\"upstream\":\"$upstream_addr\","
      + "\"upstream_status\":\"$upstream_status\",\"host\":\"$host\"}'";

  /** The name of a site's log format: defined in its own file, as the system nginx has no other place. */
  static String logFormat(ResourceId site) {
    return "reconcile__" + site.project() + "__" + site.environment() + "__json";
  }

  private SiteRenderer() {}

  /**
   * @param upstreams component -> the loopback address ({@code 127.0.0.1:PORT}) of its live slot;
   *     every component of the site's routes must be present
   */
  public static String body(DesiredSite site, Map<String, String> upstreams, TlsFiles files) {
    return body(site, upstreams, files, false);
  }

  /**
   * @param live whether the upstreams are routed live ({@link LiveRoutes}): the body then names no
   *     address, and a switch of slots leaves it as it is
   */
  static String body(
      DesiredSite site, Map<String, String> upstreams, TlsFiles files, boolean live) {
    var draft = draft(site, upstreams, files, live);
    return draft.replace(REVISION_MARK, revision(draft));
  }

  /** The revision a body answers: a short hash of the body itself (with a placeholder in place). */
  private static String revision(String draft) {
    return SpecHash.sha256(draft).substring(0, 16);
  }

  /**
   * The revision written into a rendered body; empty for one without (older or by hand). A body
   * routed live answers a revision made of this one and the routes it serves (SiteFile.revision).
   */
  public static Optional<String> revisionOf(String body) {
    // The revision location's block found by counting braces: a regex that walked the block one
    // character per step recursed once per character, and a long hand-edited block overflowed the
    // stack (found by fuzzing).
    for (var at = body.indexOf(REVISION_LOCATION);
        at >= 0;
        at = body.indexOf(REVISION_LOCATION, at + 1)) {
      var block = block(body, at + REVISION_LOCATION.length());
      var written = STATIC_REVISION.matcher(block);
      if (written.find()) {
        return Optional.of(written.group(1));
      }
      var live = LIVE_REVISION.matcher(block);
      if (live.find()) {
        return Optional.of(live.group(1));
      }
    }
    return Optional.empty();
  }

  /** What a block holds from {@code from} (just after its opening brace) to its closing one. */
  private static String block(String text, int from) {
    var depth = 1;
    for (var i = from; i < text.length(); i++) {
      var c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return text.substring(from, i);
      }
    }
    return text.substring(from);
  }

  /** Whether a body's upstreams are routed live. */
  static boolean routedLive(String body) {
    return body.contains(LiveRoutes.BALANCER);
  }

  private static String draft(
      DesiredSite site, Map<String, String> upstreams, TlsFiles files, boolean live) {
    var out = new StringBuilder();
    if (!files.accessLog().isEmpty()) {
      out.append("log_format ")
          .append(logFormat(site.id()))
          .append(" escape=json\n    ")
          .append(LOG_FORMAT)
          .append(";\n\n");
    }
    for (var component : site.fingerprint().components()) {
      var address = upstreams.get(component);
      if (address == null) {
        throw new IllegalArgumentException("no upstream address for component " + component);
      }
      if (live) {
        out.append(LiveRoutes.upstream(upstreamName(site.id(), component)));
        continue;
      }
      out.append("upstream ").append(upstreamName(site.id(), component)).append(" {\n");
      // A swarm service's tasks, one server each: a stopped one fails over to the next.
      for (var one : address.split(",")) {
        out.append("    server ").append(one).append(";\n");
      }
      out.append("    keepalive 16;\n").append("}\n\n");
    }
    var answer = live
        ? LiveRoutes.revision(REVISION_MARK, site.id(), upstreams)
        : "return 200 \"" + new RevisionAnswer(REVISION_MARK, new TreeMap<>(upstreams)).format()
            + "\\n\";";
    for (var domain : site.fingerprint().domains()) {
      var tls = site.fingerprint().tls();
      if (tls.isPresent()) {
        redirect(out, site, domain, tls.get(), files);
        out.append('\n');
      }
      server(out, site, domain, answer, files);
      out.append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  /**
   * The plain-HTTP side of a site with TLS: the CA's challenge answers, and a permanent redirect
   * (308 keeps the method and body) of everything else to HTTPS.
   */
  private static void redirect(
      StringBuilder out, DesiredSite site, String domain, SiteFingerprint.Tls tls, TlsFiles files) {
    out.append("server {\n");
    if (!site.fingerprint().listen().isEmpty()) {
      out.append("    listen ").append(site.fingerprint().listen()).append(";\n");
    }
    var port = tls.port() == 443 ? "" : ":" + tls.port();
    out.append("    server_name ")
        .append(domain)
        .append(";\n\n")
        .append("    include ")
        .append(files.challenges())
        .append(";\n")
        .append("    location / {\n")
        .append("        return 308 https://$host")
        .append(port)
        .append("$request_uri;\n")
        .append("    }\n")
        .append("}\n");
  }

  private static void server(
      StringBuilder out, DesiredSite site, String domain, String answer, TlsFiles files) {
    out.append("server {\n");
    var tls = site.fingerprint().tls();
    if (tls.isPresent()) {
      out.append("    listen ").append(tls.get().listen()).append(" ssl http2;\n");
    } else if (!site.fingerprint().listen().isEmpty()) {
      out.append("    listen ").append(site.fingerprint().listen()).append(";\n");
    }
    out.append("    server_name ").append(domain).append(";\n\n");
    if (tls.isPresent()) {
      tls(out, tls.get(), files);
    } else if (!files.challenges().isEmpty()) {
      // A plain site answers the CA too: switching it to HTTPS starts with an order for its
      // domains.
      out.append("    include ").append(files.challenges()).append(";\n\n");
    }
    var front = site.fingerprint().front();
    var headers = front.map(SiteFingerprint.Front::headers).orElse(FrontDoorPolicy.DEFAULT_HEADERS);
    headers.forEach((name, value) -> out.append("    add_header ")
        .append(name)
        .append(" \"")
        .append(value)
        .append("\" always;\n"));
    out.append('\n');
    if (!files.accessLog().isEmpty()) {
      out.append("    access_log ")
          .append(files.accessLog())
          .append(' ')
          .append(logFormat(site.id()))
          .append(";\n");
    }
    // Text compresses to a fraction; images and archives are compressed already.
    out.append("    gzip on;\n")
        .append("    gzip_proxied any;\n")
        .append("    gzip_min_length 1024;\n")
        .append(
            "    gzip_types text/plain text/css text/xml text/javascript application/json application/javascript "
                + "application/xml application/rss+xml image/svg+xml;\n\n")
        .append("    proxy_http_version 1.1;\n")
        // WebSockets: the client's Upgrade and Connection go through (an empty Connection, the
        // usual case, is not sent at all, so kept-alive upstream connections are reused).
        .append("    proxy_set_header Upgrade $http_upgrade;\n")
        .append("    proxy_set_header Connection $http_connection;\n")
        .append("    proxy_set_header Host $host;\n")
        .append("    proxy_set_header X-Real-IP $remote_addr;\n")
        .append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
        .append("    proxy_set_header X-Forwarded-Proto $scheme;\n")
        .append("    proxy_connect_timeout 5s;\n");
    for (var route : site.fingerprint().routes()) {
      location(
          out,
          site.id(),
          route,
          front.map(f -> f.proxies().get(route.component())).orElse(null));
    }
    site.snippet()
        .flatMap(DesiredSite.Snippet::text)
        .ifPresent(text -> out.append("\n    # nginx_snippet ")
            .append(site.snippet().get().path().replace("\n", " "))
            .append(" of the project:\n")
            .append(text.lines().map(l -> "    " + l).collect(Collectors.joining("\n")))
            .append("\n"));
    out.append(
            "\n    # Lets reconcile tell what nginx serves: a short hash of this file, and its upstreams.\n")
        .append("    location = ")
        .append(SiteControl.REVISION_PATH)
        .append(" {\n")
        .append("        access_log off;\n");
    // Not allow/deny: 'return' runs in the rewrite phase, before access checks would.
    var readers = revisionReaders(site).stream().map(a -> a.replace(".", "\\.")).toList();
    out.append("        if ($remote_addr !~ \"^(")
        .append(String.join("|", readers))
        .append(")$\") {\n")
        .append("            return 404;\n")
        .append("        }\n")
        .append("        default_type text/plain;\n")
        .append("        ")
        .append(answer)
        .append("\n")
        .append("    }\n")
        .append("}\n");
  }

  private static void tls(StringBuilder out, SiteFingerprint.Tls tls, TlsFiles files) {
    // One file holds key and chain: a renewal swaps both at once (FrontDoor.certificateFile).
    out.append("    ssl_certificate ")
        .append(files.certificate())
        .append(";\n")
        .append("    ssl_certificate_key ")
        .append(files.certificate())
        .append(";\n")
        .append("    ssl_protocols TLSv1.2 TLSv1.3;\n")
        .append("    ssl_ciphers ")
        .append(CIPHERS)
        .append(";\n")
        .append("    ssl_prefer_server_ciphers off;\n")
        .append("    ssl_session_cache shared:reconcile_tls:10m;\n")
        .append("    ssl_session_timeout 1d;\n")
        .append("    ssl_session_tickets off;\n");
    if (tls.stapling()) {
      out.append("    ssl_stapling on;\n").append("    ssl_stapling_verify on;\n");
    }
    if (tls.hstsMaxAgeSeconds() > 0) {
      out.append("    add_header Strict-Transport-Security \"max-age=")
          .append(tls.hstsMaxAgeSeconds())
          .append("\" always;\n");
    }
    out.append('\n');
  }

  /**
   * Who may read the revision: the tool, on this machine. It probes the address the executor
   * probes (loopback, or the specific IP nginx listens on, which is then also the source).
   */
  private static List<String> revisionReaders(DesiredSite site) {
    var readers = new ArrayList<>(List.of("127.0.0.1", "::1"));
    var probed = site.fingerprint()
        .tls()
        .map(t -> NginxSettings.Address.probing(
                t.listen().contains(":") ? t.listen() : "*:" + t.listen())
            .host())
        .orElseGet(
            () -> NginxSettings.Address.probing(site.fingerprint().listen()).host());
    if (IP_LITERAL.matcher(probed).matches() && !readers.contains(probed)) {
      readers.add(probed);
    }
    return readers;
  }

  /** {@code /api} serves {@code /api} and {@code /api/...}, never {@code /apiary}. */
  private static void location(
      StringBuilder out, ResourceId site, Route route, @Nullable Proxy proxy) {
    var settings = proxy == null ? Proxy.DEFAULT : proxy;
    var seconds = Math.max(1, settings.timeout().toSeconds());
    var pass = "        client_max_body_size " + settings.maxBody() + ";\n"
        + "        proxy_read_timeout " + seconds + "s;\n"
        + "        proxy_send_timeout " + seconds + "s;\n"
        + (settings.buffering() ? "" : "        proxy_buffering off;\n")
        + "        proxy_pass http://" + upstreamName(site, route.component()) + ";\n";
    if (route.location().equals("/")) {
      out.append("\n    location / {\n").append(pass).append("    }\n");
      return;
    }
    var path = route.location().endsWith("/")
        ? route.location().substring(0, route.location().length() - 1)
        : route.location();
    out.append("\n    location = ")
        .append(path)
        .append(" {\n")
        .append(pass)
        .append("    }\n")
        .append("    location ^~ ")
        .append(path)
        .append("/ {\n")
        .append(pass)
        .append("    }\n");
  }

  static String upstreamName(ResourceId site, String component) {
    return "reconcile__" + site.project() + "__" + site.environment() + "__" + component;
  }
}
