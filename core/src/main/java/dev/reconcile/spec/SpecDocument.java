package dev.reconcile.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reconcile.diag.Diagnostic;
import dev.reconcile.diag.SourcePosition;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A loaded spec: the JSON tree (what the schema and the binder read) and, for every node, where
 * its key and its value stand in the file (what diagnostics point at).
 */
public final class SpecDocument {
  /** Where a node stands: its key (absent for list items and the root) and its value. */
  public record Marks(@Nullable SourcePosition key, SourcePosition value) {}

  private final String file;
  private final JsonNode root;
  private final Map<SpecPath, Marks> marks;

  SpecDocument(String file, JsonNode root, Map<SpecPath, Marks> marks) {
    this.file = file;
    this.root = root;
    this.marks = Map.copyOf(marks);
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** The node at a path; a missing node when there is none. */
  public JsonNode at(SpecPath path) {
    var node = root;
    for (var segment : path.segments()) {
      node = node.isArray() ? node.path(Integer.parseInt(segment)) : node.path(segment);
    }
    return node;
  }

  /** Where the value at this path starts, or where its nearest present ancestor does. */
  public SourcePosition valuePosition(SpecPath path) {
    for (var p = path; ; p = p.parent()) {
      var m = marks.get(p);
      if (m != null) {
        return m.value();
      }
      if (p.isRoot()) {
        return SourcePosition.startOf(file);
      }
    }
  }

  /** Where the key of this path stands; the value position for list items and the root. */
  public SourcePosition keyPosition(SpecPath path) {
    var m = marks.get(path);
    if (m != null && m.key() != null) {
      return m.key();
    }
    return valuePosition(path);
  }

  /** An error pointing at the value of a path. */
  public Diagnostic errorAtValue(SpecPath path, String message) {
    return Diagnostic.error(valuePosition(path), path.toString(), message);
  }

  /** An error pointing at the key of a path. */
  public Diagnostic errorAtKey(SpecPath path, String message) {
    return Diagnostic.error(keyPosition(path), path.toString(), message);
  }
}
