package dev.reconcile.providers.nginx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.desired.DesiredSite;
import dev.reconcile.desired.SiteFingerprint;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.observed.Serving;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.ResourceKind;
import dev.reconcile.resource.SpecHash;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A site file: two header lines, then the body. The first line tells people the file is managed;
 * the second holds, as JSON, the resource id, the spec hash, the upstreams and the hash of the
 * body, so observing reads the file back without parsing nginx syntax, and a body edited by hand
 * shows as a hash mismatch. A file without this header is not the tool's and is never overwritten.
 */
public final class SiteFile {
  static final String HUMAN_PREFIX = "# Managed by reconcile: ";
  static final String DATA_PREFIX = "# reconcile ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SiteFile() {}

  /** The file name of a site: {@code {project}.{environment}.conf}. */
  public static String fileName(ResourceId site) {
    return site.project() + "." + site.environment() + ".conf";
  }

  /** A site without TLS: it names no files of the front door. */
  public static String render(DesiredSite site, Map<String, String> upstreams) {
    return render(site, upstreams, new SiteRenderer.TlsFiles("", ""));
  }

  public static String render(
      DesiredSite site, Map<String, String> upstreams, SiteRenderer.TlsFiles files) {
    return render(site, upstreams, files, false);
  }

  /**
   * @param live whether the upstreams are routed live: the body then stays the same when only the
   *     upstreams change, and the header's upstreams are the routes to serve (LiveRoutes)
   */
  static String render(
      DesiredSite site, Map<String, String> upstreams, SiteRenderer.TlsFiles files, boolean live) {
    var body = SiteRenderer.body(site, upstreams, files, live);
    var data = JSON.createObjectNode();
    data.put("resource", site.id().toString());
    data.put("spec_hash", site.specHash());
    data.put("content_hash", SpecHash.sha256(body));
    data.set("spec", site.fingerprint().toJson());
    var ups = data.putObject("upstreams");
    new TreeMap<>(upstreams).forEach(ups::put);
    return HUMAN_PREFIX + site.id() + ". Edits are overwritten by `reconcile apply`.\n"
        + DATA_PREFIX + SpecHash.canonicalJson(data) + "\n\n" + body;
  }

  /**
   * The file with its body changed, its header's content hash following (a file without the
   * header is changed as it is).
   */
  static String rewrite(String text, UnaryOperator<String> change) {
    var parts = split(text);
    if (parts.isEmpty()) {
      return change.apply(text);
    }
    var body = change.apply(parts.get().body());
    var data = (ObjectNode) parts.get().data().deepCopy();
    data.put("content_hash", SpecHash.sha256(body));
    var human = text.substring(0, text.indexOf('\n') + 1);
    return human + DATA_PREFIX + SpecHash.canonicalJson(data) + "\n\n" + body;
  }

  /**
   * The revision a site file's nginx answers once it serves it: the body's own, or for a body
   * routed live, one of the body's and the header's upstreams together.
   */
  static Optional<String> revision(String text) {
    var parts = split(text);
    if (parts.isEmpty()) {
      return SiteRenderer.revisionOf(text);
    }
    var body = parts.get().body();
    return SiteRenderer.revisionOf(body)
        .map(r -> SiteRenderer.routedLive(body)
            ? LiveRoutes.servedRevision(r, upstreams(parts.get().data()))
            : r);
  }

  /** A site file's body: the whole text when it has no header. */
  static String body(String text) {
    return split(text).map(Parts::body).orElse(text);
  }

  /** The upstreams in a site file's header; empty without one. */
  static Map<String, String> upstreams(String text) {
    return split(text).map(p -> upstreams(p.data())).orElse(Map.of());
  }

  private record Parts(JsonNode data, String body) {}

  private static Optional<Parts> split(String text) {
    var lines = text.split("\n", 3);
    if (lines.length < 3
        || !lines[0].startsWith(HUMAN_PREFIX)
        || !lines[1].startsWith(DATA_PREFIX)) {
      return Optional.empty();
    }
    try {
      var data = JSON.readTree(lines[1].substring(DATA_PREFIX.length()));
      return Optional.of(
          new Parts(data, lines[2].startsWith("\n") ? lines[2].substring(1) : lines[2]));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> upstreams(JsonNode data) {
    var upstreams = new LinkedHashMap<String, String>();
    data.path("upstreams")
        .properties()
        .forEach(e -> upstreams.put(e.getKey(), e.getValue().asText()));
    return upstreams;
  }

  /** Reads a file the tool wrote; empty when it lacks the header (not the tool's). */
  public static Optional<ObservedSite> read(String path, String text) {
    var parts = split(text);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    var data = parts.get().data();
    ResourceId id;
    try {
      id = ResourceId.parse(data.path("resource").asText());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (id.kind() != ResourceKind.SITE) {
      return Optional.empty();
    }
    var body = parts.get().body();
    var contentHash = SpecHash.sha256(body);
    return Optional.of(new ObservedSite(
        id,
        path,
        data.path("spec_hash").asText(),
        SiteFingerprint.fromJson(data.path("spec")),
        upstreams(data),
        contentHash,
        !contentHash.equals(data.path("content_hash").asText()),
        revision(text),
        Serving.UNKNOWN,
        SiteRenderer.routedLive(body),
        Optional.empty()));
  }
}
