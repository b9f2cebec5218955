package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;
import java.util.Optional;

/** What one environment changes about a project: its containers, and how it is served. */
public record EnvironmentOverride(
    Map<String, ContainerOverride> containers, Optional<TlsChoice> tls) {
  public EnvironmentOverride {
    containers = OrderedMaps.copyOf(containers);
  }
}
