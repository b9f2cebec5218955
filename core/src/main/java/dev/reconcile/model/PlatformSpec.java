package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;

/** A whole validated {@code projects.yml}. Projects keep the file's order. */
public record PlatformSpec(int version, Platform platform, Map<String, ProjectSpec> projects) {
  public PlatformSpec {
    projects = OrderedMaps.copyOf(projects);
  }

  /** Whether it declares this environment of this project (one taken out of it does not). */
  public boolean declares(String project, String environment) {
    var declared = projects.get(project);
    return declared != null && declared.environmentNames().contains(environment);
  }
}
