package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;
import java.util.Optional;

/**
 * What one environment changes about a project: its containers, how it is served, and what it
 * takes over from before reconcile.
 *
 * @param adoptedVolumes a volume of the project -> the Docker volume (made by compose or by hand)
 *     whose data it uses in place
 */
public record EnvironmentOverride(
    Map<String, ContainerOverride> containers,
    Optional<TlsChoice> tls,
    Map<String, String> adoptedVolumes) {
  public EnvironmentOverride {
    containers = OrderedMaps.copyOf(containers);
    adoptedVolumes = OrderedMaps.copyOf(adoptedVolumes);
  }

  public EnvironmentOverride(Map<String, ContainerOverride> containers, Optional<TlsChoice> tls) {
    this(containers, tls, Map.of());
  }
}
