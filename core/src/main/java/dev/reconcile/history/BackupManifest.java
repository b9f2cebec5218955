package dev.reconcile.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one backup holds, written last into its folder ({@code manifest.json}): a backup without
 * one was interrupted and is not a backup. Every artifact has its size and SHA-256, so {@code
 * backup verify} can tell a damaged file; images are kept by a tag of the backup's own.
 *
 * @param reason why it was taken: {@code before deploy}, {@code on demand}, {@code scheduled}
 */
public record BackupManifest(
    String id,
    String project,
    String environment,
    String created,
    String reason,
    List<Artifact> artifacts,
    List<KeptImage> images) {
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BackupManifest {
    artifacts = List.copyOf(artifacts);
    images = List.copyOf(images);
  }

  /**
   * One file of the backup.
   *
   * @param kind {@code volume} (a gzipped tar of its files), {@code site} (the site file as
   *     installed), {@code snapshot} (the snapshot of what ran)
   * @param name what it is of: the volume's name, the site's id
   * @param file its file name in the backup's folder
   */
  public record Artifact(String kind, String name, String file, long size, String sha256) {}

  /** An image that ran, kept as {@code tag} (repository:tag) on its host. */
  public record KeptImage(String component, String host, String imageId, String tag) {}

  public long size() {
    return artifacts.stream().mapToLong(Artifact::size).sum();
  }

  public String write() {
    var json = JSON.createObjectNode();
    json.put("format_version", FORMAT_VERSION)
        .put("id", id)
        .put("project", project)
        .put("environment", environment)
        .put("created", created)
        .put("reason", reason);
    var files = json.putArray("artifacts");
    artifacts.forEach(a -> files
        .addObject()
        .put("kind", a.kind())
        .put("name", a.name())
        .put("file", a.file())
        .put("size_bytes", a.size())
        .put("sha256", a.sha256()));
    var kept = json.putArray("images");
    images.forEach(i -> kept.addObject()
        .put("component", i.component())
        .put("host", i.host())
        .put("image_id", i.imageId())
        .put("tag", i.tag()));
    try {
      return JSON.writeValueAsString(json) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("a backup manifest could not be written as JSON", e);
    }
  }

  /** Reads a manifest; empty when it is not one (damaged, or of an unknown format). */
  public static Optional<BackupManifest> read(String text) {
    try {
      var json = JSON.readTree(text);
      if (json == null || json.path("format_version").asInt() != FORMAT_VERSION) {
        return Optional.empty();
      }
      var artifacts = new ArrayList<Artifact>();
      for (JsonNode a : json.path("artifacts")) {
        artifacts.add(new Artifact(
            text(a, "kind"),
            text(a, "name"),
            safeFile(text(a, "file")),
            a.path("size_bytes").asLong(-1),
            text(a, "sha256")));
      }
      var images = new ArrayList<KeptImage>();
      for (JsonNode i : json.path("images")) {
        images.add(new KeptImage(
            text(i, "component"), text(i, "host"), text(i, "image_id"), text(i, "tag")));
      }
      return Optional.of(new BackupManifest(
          text(json, "id"),
          text(json, "project"),
          text(json, "environment"),
          text(json, "created"),
          text(json, "reason"),
          artifacts,
          images));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    var value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value.asText();
  }

  /** An artifact's file is a plain name in the backup's folder, never a path out of it. */
  private static String safeFile(String file) {
    if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
      throw new IllegalArgumentException("artifact file " + file + " is not a plain name");
    }
    return file;
  }
}
