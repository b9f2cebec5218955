package dev.reconcile.providers.docker;

import dev.reconcile.resource.ResourceId;
import java.util.List;

/** Docker object names the tool uses: {@code {project}-{component}-{environment}-{slot}}. */
public final class Names {
  /** The two slots a blue-green replacement alternates between. */
  public static final List<String> SLOTS = List.of("blue", "green");

  private Names() {}

  public static String container(ResourceId id, String slot) {
    return id.project() + "-" + id.name().orElseThrow() + "-" + id.environment() + "-" + slot;
  }

  /** A swarm service: {@code project-component-environment}, as a container without its slot. */
  public static String service(ResourceId id) {
    return id.project() + "-" + id.name().orElseThrow() + "-" + id.environment();
  }

  /** The overlay network of a project environment on a swarm. */
  public static String network(ResourceId id) {
    return id.project() + "-" + id.environment();
  }

  public static String volume(ResourceId id) {
    return id.project() + "-" + id.environment() + "-" + id.name().orElseThrow();
  }
}
