package dev.reconcile.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A path into the spec tree, one segment per key or list index, printed Kamal-style as {@code
 * projects/shop/containers/web/port}.
 */
public record SpecPath(List<String> segments) {
  public static final SpecPath ROOT = new SpecPath(List.of());

  public SpecPath {
    segments = List.copyOf(segments);
  }

  public static SpecPath of(String... segments) {
    return new SpecPath(List.of(segments));
  }

  public SpecPath child(String key) {
    var next = new ArrayList<>(segments);
    next.add(key);
    return new SpecPath(next);
  }

  public SpecPath child(int index) {
    return child(Integer.toString(index));
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  public SpecPath parent() {
    return isRoot() ? this : new SpecPath(segments.subList(0, segments.size() - 1));
  }

  /** The last segment: the key or index this path ends in; empty at the root. */
  public String last() {
    return isRoot() ? "" : segments.get(segments.size() - 1);
  }

  public int depth() {
    return segments.size();
  }

  @Override
  public String toString() {
    return String.join("/", segments);
  }
}
