package dev.reconcile.providers.nginx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  public static String render(DesiredSite site, Map<String, String> upstreams, SiteRenderer.TlsFiles files) {
    var body = SiteRenderer.body(site, upstreams, files);
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

  /** Reads a file the tool wrote; empty when it lacks the header (not the tool's). */
  public static Optional<ObservedSite> read(String path, String text) {
    var lines = text.split("\n", 3);
    if (lines.length < 3 || !lines[0].startsWith(HUMAN_PREFIX) || !lines[1].startsWith(DATA_PREFIX)) {
      return Optional.empty();
    }
    JsonNode data;
    ResourceId id;
    try {
      data = JSON.readTree(lines[1].substring(DATA_PREFIX.length()));
      id = ResourceId.parse(data.path("resource").asText());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (id.kind() != ResourceKind.SITE) {
      return Optional.empty();
    }
    var body = lines[2].startsWith("\n") ? lines[2].substring(1) : lines[2];
    var contentHash = SpecHash.sha256(body);
    var upstreams = new LinkedHashMap<String, String>();
    data.path("upstreams").properties().forEach(e -> upstreams.put(e.getKey(), e.getValue().asText()));
    return Optional.of(new ObservedSite(id, path, data.path("spec_hash").asText(),
        SiteFingerprint.fromJson(data.path("spec")), upstreams, contentHash,
        !contentHash.equals(data.path("content_hash").asText()), SiteRenderer.revisionOf(body),
        Serving.UNKNOWN));
  }
}
