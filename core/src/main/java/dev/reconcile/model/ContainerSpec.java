package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One container of a project.
 *
 * @param port the HTTP port inside the container; absent for containers that are not routed
 * @param apiLocations URL prefixes routed here; empty for the container that serves "/"
 * @param volumes named volume -> path inside the container
 * @param command argv replacing the image's command; empty keeps the image's
 * @param update the declared strategy; see {@link #updateStrategy()} for the effective one
 * @param replicas copies of it that run at once (a swarm service's replicas, a Deployment's)
 * @param resources its CPU and memory limits, when declared
 */
public record ContainerSpec(
    String name,
    ImageRef image,
    OptionalInt port,
    List<String> apiLocations,
    Map<String, EnvValue> env,
    Map<String, String> volumes,
    List<String> command,
    Optional<HealthCheck> health,
    List<SmokeCheck> smoke,
    Optional<UpdateStrategy> update,
    int replicas,
    Optional<Resources> resources) {

  /** How many copies run when none is declared; more than one needs a swarm host. */
  public static final int ONE = 1;

  public ContainerSpec(String name, ImageRef image, OptionalInt port, List<String> apiLocations,
      Map<String, EnvValue> env, Map<String, String> volumes, List<String> command,
      Optional<HealthCheck> health, List<SmokeCheck> smoke, Optional<UpdateStrategy> update) {
    this(name, image, port, apiLocations, env, volumes, command, health, smoke, update, ONE, Optional.empty());
  }

  public ContainerSpec {
    apiLocations = List.copyOf(apiLocations);
    env = OrderedMaps.copyOf(env);
    volumes = OrderedMaps.copyOf(volumes);
    command = List.copyOf(command);
    smoke = List.copyOf(smoke);
  }

  public boolean isRouted() {
    return port.isPresent();
  }

  /** A routed container without api_locations serves "/". */
  public boolean servesRoot() {
    return isRouted() && apiLocations.isEmpty();
  }

  /** Blue-green for routed containers unless declared otherwise; recreate for the rest. */
  public UpdateStrategy updateStrategy() {
    return update.orElse(isRouted() ? UpdateStrategy.BLUE_GREEN : UpdateStrategy.RECREATE);
  }

  /** Scalars and lists of the override replace; env and volumes merge key by key. */
  public ContainerSpec mergedWith(ContainerOverride o) {
    var mergedEnv = new LinkedHashMap<>(env);
    mergedEnv.putAll(o.env());
    var mergedVolumes = new LinkedHashMap<>(volumes);
    mergedVolumes.putAll(o.volumes());
    return new ContainerSpec(
        name,
        o.image().orElse(image),
        o.port().isPresent() ? o.port() : port,
        o.apiLocations().orElse(apiLocations),
        mergedEnv,
        mergedVolumes,
        o.command().orElse(command),
        o.health().or(() -> health),
        o.smoke().orElse(smoke),
        o.update().or(() -> update),
        o.replicas().orElse(replicas),
        o.resources().or(() -> resources));
  }
}
