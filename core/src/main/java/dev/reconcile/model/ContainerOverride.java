package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The fields one environment sets on a container; an absent field keeps the project's value. */
public record ContainerOverride(
    Optional<ImageRef> image,
    OptionalInt port,
    Optional<List<String>> apiLocations,
    Map<String, EnvValue> env,
    Map<String, String> volumes,
    Optional<List<String>> command,
    Optional<HealthCheck> health,
    Optional<List<SmokeCheck>> smoke,
    Optional<UpdateStrategy> update,
    OptionalInt replicas,
    Optional<Resources> resources,
    Optional<Release> release,
    Optional<List<String>> dependsOn,
    Optional<Long> maxBody,
    Optional<Duration> timeout,
    Optional<Boolean> buffering,
    Optional<List<String>> sharedWith,
    Optional<Duration> stopGrace) {

  public ContainerOverride {
    env = OrderedMaps.copyOf(env);
    volumes = OrderedMaps.copyOf(volumes);
  }
}
