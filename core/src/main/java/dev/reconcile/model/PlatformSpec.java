package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;

/** A whole validated {@code projects.yml}. Projects keep the file's order. */
public record PlatformSpec(int version, Platform platform, Map<String, ProjectSpec> projects) {
  public PlatformSpec {
    projects = OrderedMaps.copyOf(projects);
  }
}
