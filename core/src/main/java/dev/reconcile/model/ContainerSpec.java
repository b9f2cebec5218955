package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.time.Duration;
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
 * @param release run once per deploy, before the new version takes traffic (migrations)
 * @param dependsOn containers of the project that must be healthy before this one starts
 * @param proxy how the front door passes requests to it (routed containers)
 * @param sharedWith other projects whose environment of the same name may reach it by name
 * @param stopGrace how long it has to exit after its stop signal (SIGTERM unless the image sets
 *     another) before the engine kills it; the engine's own 10 s when absent
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
    Optional<Resources> resources,
    Optional<Release> release,
    List<String> dependsOn,
    Proxy proxy,
    List<String> sharedWith,
    Optional<Duration> stopGrace) {

  /** The engine's stop grace, when none is declared. */
  public static final Duration ENGINE_STOP_GRACE = Duration.ofSeconds(10);

  /** How many copies run when none is declared; more than one needs a swarm host. */
  public static final int ONE = 1;

  public ContainerSpec(
      String name,
      ImageRef image,
      OptionalInt port,
      List<String> apiLocations,
      Map<String, EnvValue> env,
      Map<String, String> volumes,
      List<String> command,
      Optional<HealthCheck> health,
      List<SmokeCheck> smoke,
      Optional<UpdateStrategy> update) {
    this(
        name,
        image,
        port,
        apiLocations,
        env,
        volumes,
        command,
        health,
        smoke,
        update,
        ONE,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Proxy.DEFAULT,
        List.of(),
        Optional.empty());
  }

  public ContainerSpec {
    apiLocations = List.copyOf(apiLocations);
    env = OrderedMaps.copyOf(env);
    volumes = OrderedMaps.copyOf(volumes);
    command = List.copyOf(command);
    smoke = List.copyOf(smoke);
    dependsOn = List.copyOf(dependsOn);
    sharedWith = List.copyOf(sharedWith);
  }

  /** The same container running another image (a rollback pins the image it ran, by id). */
  public ContainerSpec withImage(ImageRef other) {
    return new ContainerSpec(
        name,
        other,
        port,
        apiLocations,
        env,
        volumes,
        command,
        health,
        smoke,
        update,
        replicas,
        resources,
        release,
        dependsOn,
        proxy,
        sharedWith,
        stopGrace);
  }

  /** The same container with other env values. */
  public ContainerSpec withEnv(Map<String, EnvValue> other) {
    return new ContainerSpec(
        name,
        image,
        port,
        apiLocations,
        other,
        volumes,
        command,
        health,
        smoke,
        update,
        replicas,
        resources,
        release,
        dependsOn,
        proxy,
        sharedWith,
        stopGrace);
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
        o.resources().or(() -> resources),
        o.release().or(() -> release),
        o.dependsOn().orElse(dependsOn),
        new Proxy(
            o.maxBody().orElse(proxy.maxBody()),
            o.timeout().orElse(proxy.timeout()),
            o.buffering().orElse(proxy.buffering())),
        o.sharedWith().orElse(sharedWith),
        o.stopGrace().or(() -> stopGrace));
  }
}
