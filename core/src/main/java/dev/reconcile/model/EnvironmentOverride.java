package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;

/** What one environment changes about a project's containers. */
public record EnvironmentOverride(Map<String, ContainerOverride> containers) {
  public EnvironmentOverride {
    containers = OrderedMaps.copyOf(containers);
  }
}
