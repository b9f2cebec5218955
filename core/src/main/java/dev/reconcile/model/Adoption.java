package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one environment takes over from before reconcile (environments.ENV.adopt).
 *
 * @param volumes a volume of the project -> the Docker volume (made by compose or by hand) whose
 *     data it uses in place
 * @param compose the compose project whose containers reconcile's replace: stopped and kept once
 *     reconcile serves (those writing an adopted volume just before its new container starts)
 * @param containers containers made by hand, by name, taken over the same way
 * @param site the nginx site file that serves the environment's domains now (system mode): moved
 *     aside, a copy kept, when reconcile's site is installed
 */
public record Adoption(
    Map<String, String> volumes,
    Optional<String> compose,
    List<String> containers,
    Optional<String> site) {
  public static final Adoption NONE =
      new Adoption(Map.of(), Optional.empty(), List.of(), Optional.empty());

  public Adoption {
    volumes = OrderedMaps.copyOf(volumes);
    containers = List.copyOf(containers);
  }

  /** Whether running things are taken over (not only volumes' data). */
  public boolean takesOverRunning() {
    return compose.isPresent() || !containers.isEmpty() || site.isPresent();
  }
}
