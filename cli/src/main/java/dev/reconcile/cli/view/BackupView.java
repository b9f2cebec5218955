package dev.reconcile.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reconcile.history.BackupManifest;
import java.util.List;
import java.util.Map;

/** What {@code reconcile backup} says: text for people, JSON for tools. */
public final class BackupView {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Terminal terminal;
  private final Output output;

  public BackupView(Terminal terminal, Output output) {
    this.terminal = terminal;
    this.output = output;
  }

  private static String size(long bytes) {
    return bytes < (1 << 20)
        ? String.format("%.1f KiB", bytes / 1024.0)
        : String.format("%.1f MiB", bytes / (double) (1 << 20));
  }

  public void taken(List<BackupManifest> taken) {
    if (output == Output.json) {
      list(taken, Map.of());
      return;
    }
    taken.forEach(m -> terminal
        .out()
        .println(m.id() + "  " + m.project() + "/" + m.environment() + "  "
            + m.artifacts().size() + " file(s), " + size(m.size()) + ", "
            + m.images().size() + " image(s) kept"));
  }

  public void nothingToBackUp() {
    terminal
        .err()
        .println(
            "Nothing to back up: no selected project declares backup (name one with --project).");
  }

  /** @param kept why each backup is kept; one missing goes at the next prune */
  public void list(List<BackupManifest> all, Map<String, String> kept) {
    if (output == Output.json) {
      var array = JSON.createArrayNode();
      for (var m : all) {
        var o = array
            .addObject()
            .put("id", m.id())
            .put("project", m.project())
            .put("environment", m.environment())
            .put("created", m.created())
            .put("reason", m.reason())
            .put("size_bytes", m.size());
        if (kept.containsKey(m.id())) {
          o.put("kept_because", kept.get(m.id()));
        }
        var artifacts = o.putArray("artifacts");
        m.artifacts()
            .forEach(a -> artifacts
                .addObject()
                .put("kind", a.kind())
                .put("name", a.name())
                .put("file", a.file())
                .put("size_bytes", a.size())
                .put("sha256", a.sha256()));
        var images = o.putArray("images");
        m.images()
            .forEach(i -> images
                .addObject()
                .put("component", i.component())
                .put("image_id", i.imageId())
                .put("tag", i.tag()));
      }
      try {
        terminal.out().println(JSON.writeValueAsString(array));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    if (all.isEmpty()) {
      terminal.out().println("No backups.");
      return;
    }
    for (var m : all) {
      terminal
          .out()
          .println(m.id() + "  " + m.created() + "  " + m.reason() + "  " + size(m.size()) + "  "
              + String.join(
                  ", ",
                  m.artifacts().stream().map(a -> a.kind() + " " + a.name()).toList())
              + "  kept: " + kept.getOrDefault(m.id(), "no (goes at the next prune)"));
    }
  }

  public void notFound(String id) {
    terminal.err().println("reconcile: no backup " + id + " (reconcile backup list shows them)");
  }

  private void json(JsonNode node) {
    try {
      terminal.out().println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void verified(BackupManifest m, List<String> problems) {
    if (output == Output.json) {
      var o = JSON.createObjectNode().put("id", m.id()).put("whole", problems.isEmpty());
      var list = o.putArray("problems");
      problems.forEach(list::add);
      json(o);
      return;
    }
    if (problems.isEmpty()) {
      terminal
          .out()
          .println("backup " + m.id() + " is whole: " + m.artifacts().size()
              + " file(s), every size and SHA-256 as recorded, every archive read to its end");
      return;
    }
    terminal.err().println("reconcile: " + terminal.red("backup " + m.id() + " is damaged") + ":");
    problems.forEach(p -> terminal.err().println("  " + p));
  }

  public void failed(String what, String why) {
    terminal.err().println("reconcile: " + terminal.red(what) + ": " + why);
  }

  public void needsConfirmation(String command) {
    terminal
        .err()
        .println("reconcile: restoring replaces the data of volumes and databases, and nothing was "
            + "asked here (no terminal). Run '" + command + "' to do it.");
  }

  /** What a restore is about to replace, before it asks. */
  public void wouldRestore(BackupManifest m, boolean volumes, boolean databases) {
    terminal
        .err()
        .println("Restoring backup " + m.id() + " (" + m.project() + "/" + m.environment()
            + ", taken " + m.created() + ") replaces:");
    m.artifacts().stream()
        .filter(
            a -> volumes && a.kind().equals("volume") || databases && a.kind().equals("database"))
        .forEach(a -> terminal.err().println("  " + a.kind() + " " + a.name()));
  }

  public void restored(BackupManifest m, List<String> what) {
    if (output == Output.json) {
      var o = JSON.createObjectNode().put("id", m.id());
      var list = o.putArray("restored");
      what.forEach(list::add);
      json(o);
      return;
    }
    terminal
        .out()
        .println("Restored from backup " + m.id() + ": "
            + (what.isEmpty()
                ? "nothing (it holds no volume or database of that kind)"
                : String.join("; ", what)));
  }
}
