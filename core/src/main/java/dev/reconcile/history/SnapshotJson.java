package dev.reconcile.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.resource.SpecHash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Snapshots as JSON, format 1 ({@code snapshot.schema.json}), and back. */
public final class SnapshotJson {
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SnapshotJson() {}

  public static String write(Snapshot s) {
    var json = JSON.createObjectNode();
    json.put("format_version", FORMAT_VERSION);
    json.put("project", s.project());
    json.put("environment", s.environment());
    json.put("serial", s.serial());
    json.put("lineage", s.lineage());
    json.put("time", s.time());
    json.put("user", s.user());
    s.gitCommit().ifPresent(c -> json.put("git_commit", c));
    json.put("result", s.result());
    s.failure().ifPresent(f -> json.put("failure", f));
    s.backupId().ifPresent(b -> json.put("backup_id", b));
    s.origin().ifPresent(o -> json.put("origin", o));
    var containers = json.putArray("containers");
    for (var c : s.containers()) {
      ObjectNode o = containers
          .addObject()
          .put("component", c.component())
          .put("image", c.image())
          .put("image_id", c.imageId())
          .put("slot", c.slot());
      c.hostPort().ifPresent(p -> o.put("host_port", p));
      o.put("spec_hash", c.specHash());
      c.spec().ifPresent(spec -> o.set("spec", tree(spec)));
    }
    if (!s.releases().isEmpty()) {
      var releases = json.putArray("releases");
      s.releases()
          .forEach(r -> releases
              .addObject()
              .put("component", r.component())
              .put("image", r.image())
              .put("exit_code", r.exitCode())
              .put("millis", r.millis())
              .put("timed_out", r.timedOut()));
    }
    s.site().ifPresent(site -> {
      var o = json.putObject("site")
          .put("spec_hash", site.specHash())
          .put("content_hash", site.contentHash());
      site.spec().ifPresent(spec -> o.set("spec", tree(spec)));
    });
    try {
      return JSON.writeValueAsString(json) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("a snapshot could not be written as JSON", e);
    }
  }

  public static Snapshot read(String text) throws IOException {
    var json = JSON.readTree(text);
    if (json.path("format_version").asInt() != FORMAT_VERSION) {
      throw new IOException(
          "snapshot format_version " + json.path("format_version") + " is not " + FORMAT_VERSION);
    }
    var containers = new ArrayList<Snapshot.Container>();
    json.path("containers")
        .forEach(c -> containers.add(new Snapshot.Container(
            c.path("component").asText(),
            c.path("image").asText(),
            c.path("image_id").asText(),
            c.path("slot").asText(),
            c.has("host_port") ? Optional.of(c.get("host_port").asInt()) : Optional.empty(),
            c.path("spec_hash").asText(),
            canonical(c.path("spec")))));
    var site = json.has("site")
        ? Optional.of(new Snapshot.Site(
            json.get("site").path("spec_hash").asText(),
            json.get("site").path("content_hash").asText(),
            canonical(json.get("site").path("spec"))))
        : Optional.<Snapshot.Site>empty();
    return new Snapshot(
        json.path("project").asText(),
        json.path("environment").asText(),
        json.path("serial").asInt(),
        json.path("lineage").asText(),
        json.path("time").asText(),
        json.path("user").asText(),
        optional(json, "git_commit"),
        json.path("result").asText(),
        optional(json, "failure"),
        containers,
        site,
        optional(json, "backup_id"),
        optional(json, "origin"),
        releases(json.path("releases")));
  }

  private static List<Snapshot.Release> releases(JsonNode json) {
    var out = new ArrayList<Snapshot.Release>();
    json.forEach(r -> out.add(new Snapshot.Release(
        r.path("component").asText(),
        r.path("image").asText(),
        r.path("exit_code").asLong(),
        r.path("millis").asLong(),
        r.path("timed_out").asBoolean())));
    return out;
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a snapshot part is not JSON", e);
    }
  }

  private static Optional<String> canonical(JsonNode node) {
    return node.isObject() ? Optional.of(SpecHash.canonicalJson(node)) : Optional.empty();
  }

  private static Optional<String> optional(JsonNode json, String field) {
    return json.hasNonNull(field) ? Optional.of(json.get(field).asText()) : Optional.empty();
  }
}
