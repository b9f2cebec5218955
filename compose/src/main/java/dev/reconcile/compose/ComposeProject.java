package dev.reconcile.compose;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A compose project as read: its services with what projects.yml can carry, in compose's terms,
 * and what it cannot, each with why. Variables are already substituted, except in environment
 * values, which keep their references in projects.yml's syntax.
 *
 * @param name the compose project's name (what compose prefixes its containers and volumes with)
 * @param values the values of the variables the environment values refer to, from the env files
 *     compose read (its {@code .env} or {@code --env-file}, and the services' {@code env_file})
 * @param volumes compose's key of each named volume -> the Docker volume compose keeps it in
 *     ({@code PROJECT_KEY}, or its {@code name:}; an {@code external} one's own name)
 */
public record ComposeProject(
    String name,
    List<Service> services,
    Map<String, String> values,
    Map<String, String> volumes,
    List<String> leftOut) {
  /** The Docker volume compose keeps a volume of this key in. */
  public String dockerVolume(String key) {
    return volumes.getOrDefault(key, name + "_" + key);
  }

  /**
   * @param image the image, or empty when compose builds it (then {@code build} says from where)
   * @param environment name to value, in projects.yml's syntax ({@code ${VAR}} resolved at apply)
   * @param leftOut what compose does for this service that projects.yml does not carry, each as
   *     {@code key: why}
   */
  public record Service(
      String name,
      Optional<String> image,
      Optional<String> build,
      Optional<List<String>> command,
      Map<String, String> environment,
      List<Port> ports,
      Optional<Healthcheck> healthcheck,
      List<String> dependsOn,
      List<Mount> volumes,
      Optional<Double> cpus,
      Optional<String> memory,
      Optional<String> stopGrace,
      List<String> leftOut) {}

  /** A published port: {@code [ip:]published:target}; published empty when the engine picks. */
  public record Port(Optional<String> hostIp, OptionalInt published, int target) {}

  /**
   * A healthcheck's test as an argv ({@code CMD-SHELL x} becomes {@code sh -c x}), and how often
   * compose ran it, as written.
   */
  public record Healthcheck(List<String> test, Optional<String> interval) {}

  /** A named volume mounted at {@code target}; {@code volume} is compose's key for it. */
  public record Mount(String volume, String target, boolean readOnly) {}
}
