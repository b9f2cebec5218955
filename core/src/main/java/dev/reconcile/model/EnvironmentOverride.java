package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.Map;
import java.util.Optional;

/**
 * What one environment changes about a project: its containers, how it is served, and what it
 * takes over from before reconcile.
 *
 * @param adopt what it takes over from before reconcile
 */
public record EnvironmentOverride(
    Map<String, ContainerOverride> containers, Optional<TlsChoice> tls, Adoption adopt) {
  public EnvironmentOverride {
    containers = OrderedMaps.copyOf(containers);
  }

  public EnvironmentOverride(Map<String, ContainerOverride> containers, Optional<TlsChoice> tls) {
    this(containers, tls, Adoption.NONE);
  }

  /** A volume of the project -> the Docker volume whose data it uses in place. */
  public Map<String, String> adoptedVolumes() {
    return adopt.volumes();
  }
}
