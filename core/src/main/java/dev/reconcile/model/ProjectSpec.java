package dev.reconcile.model;

import dev.reconcile.util.OrderedMaps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One project.
 *
 * @param domains environment -> its domains; the keys are the project's environments, in file order
 * @param envFile file of KEY=VALUE lines, where {@code {environment}} stands for the environment
 * @param environments per-environment overrides, keyed by environment name
 * @param frontDoor headers, nginx snippet and bake threshold of the project's sites
 */
public record ProjectSpec(
    String name,
    String host,
    Map<String, List<String>> domains,
    Optional<String> envFile,
    List<String> requiredEnv,
    Map<String, ContainerSpec> containers,
    Map<String, EnvironmentOverride> environments,
    Optional<BackupPolicy> backup,
    Optional<TlsChoice> tls,
    FrontDoorPolicy frontDoor) {

  public ProjectSpec {
    domains = OrderedMaps.copyOf(domains);
    requiredEnv = List.copyOf(requiredEnv);
    containers = OrderedMaps.copyOf(containers);
    environments = OrderedMaps.copyOf(environments);
  }

  public Set<String> environmentNames() {
    return domains.keySet();
  }

  /** The domains of one environment; none for an environment it does not have. */
  public List<String> domainsOf(String environment) {
    return domains.getOrDefault(environment, List.of());
  }

  /** The env file for one environment, with {@code {environment}} filled in. */
  public Optional<String> envFileFor(String environment) {
    return envFile.map(f -> f.replace("{environment}", environment));
  }

  /**
   * How an environment is served: its own {@code tls}, else the project's, else HTTPS from the CA
   * when the platform names one, else plain HTTP.
   */
  public TlsChoice tlsFor(String environment, TlsSettings platform) {
    return Optional.ofNullable(environments.get(environment))
        .flatMap(EnvironmentOverride::tls)
        .or(() -> tls)
        .orElse(platform.acme().isPresent() ? TlsChoice.AUTO : TlsChoice.OFF);
  }

  /** The containers of one environment, with its overrides merged over the project's. */
  public Map<String, ContainerSpec> containersFor(String environment) {
    var override = environments.get(environment);
    if (override == null) {
      return containers;
    }
    var merged = new LinkedHashMap<String, ContainerSpec>();
    containers.forEach((name, spec) -> merged.put(
        name,
        override.containers().containsKey(name)
            ? spec.mergedWith(override.containers().get(name))
            : spec));
    return OrderedMaps.copyOf(merged);
  }
}
