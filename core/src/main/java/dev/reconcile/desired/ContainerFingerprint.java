package dev.reconcile.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reconcile.model.Resources;
import dev.reconcile.resource.SpecHash;
import dev.reconcile.util.OrderedMaps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields of a container that require a new container when they change: image, port, env,
 * volumes, command, limits, the networks it joins and a health command (the engine runs it, as a
 * HEALTHCHECK fixed at creation). (HTTP health paths, smoke checks, routes and the update strategy
 * do not: they govern how a container is rolled out and reached, not what runs.)
 *
 * <p>Env values of names in {@link #secretEnv()} are held as {@code sha256:} digests, never as
 * text. The fingerprint is stored as a container label, so a later plan can name what changed.
 *
 * @param env variable -> value, or -> digest for secret ones; sorted by name
 * @param network the network of its project environment; empty on the default bridge (a swarm
 *     service, or a container made before networks existed)
 * @param sharedNetworks other projects' networks it joins (shared_with), sorted
 * @param healthCommand the argv the engine runs as its health check; empty for none
 * @param stopGrace its stop grace, fixed at creation (the engine's StopTimeout); empty for the
 *     engine's default
 */
public record ContainerFingerprint(
    String image,
    OptionalInt port,
    Map<String, String> env,
    Set<String> secretEnv,
    Map<String, String> volumes,
    List<String> command,
    Optional<Resources> resources,
    Optional<String> network,
    List<String> sharedNetworks,
    List<String> healthCommand,
    Optional<Duration> stopGrace) {

  public ContainerFingerprint(
      String image,
      OptionalInt port,
      Map<String, String> env,
      Set<String> secretEnv,
      Map<String, String> volumes,
      List<String> command) {
    this(
        image,
        port,
        env,
        secretEnv,
        volumes,
        command,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  public ContainerFingerprint {
    env = OrderedMaps.copyOf(new TreeMap<>(env));
    secretEnv = Set.copyOf(new TreeSet<>(secretEnv));
    volumes = OrderedMaps.copyOf(new TreeMap<>(volumes));
    command = List.copyOf(command);
    sharedNetworks = sharedNetworks.stream().sorted().toList();
    healthCommand = List.copyOf(healthCommand);
  }

  /** The same, on another network: what a container joined in place runs as. */
  public ContainerFingerprint withNetwork(Optional<String> other) {
    return new ContainerFingerprint(
        image,
        port,
        env,
        secretEnv,
        volumes,
        command,
        resources,
        other,
        sharedNetworks,
        healthCommand,
        stopGrace);
  }

  /** Whether the two differ in nothing but the network. */
  public boolean differsOnlyInNetwork(ContainerFingerprint other) {
    return !network.equals(other.network) && withNetwork(other.network).equals(other);
  }

  public String specHash() {
    return SpecHash.of(toJson());
  }

  public ObjectNode toJson() {
    var json = JsonNodeFactory.instance.objectNode();
    json.put("image", image);
    port.ifPresentOrElse(p -> json.put("port", p), () -> json.putNull("port"));
    var envJson = json.putObject("env");
    env.forEach(envJson::put);
    var secrets = json.putArray("secret_env");
    new TreeSet<>(secretEnv).forEach(secrets::add);
    var volumesJson = json.putObject("volumes");
    volumes.forEach(volumesJson::put);
    var commandJson = json.putArray("command");
    command.forEach(commandJson::add);
    // Only when declared: the hashes of containers without limits stay what they were.
    resources.ifPresent(r -> {
      var limits = json.putObject("resources");
      r.cpus().ifPresent(c -> limits.put("cpus", c));
      r.memory().ifPresent(m -> limits.put("memory", m));
    });
    // Likewise: containers made before networks and health commands keep their hashes until then.
    network.ifPresent(n -> json.put("network", n));
    if (!sharedNetworks.isEmpty()) {
      var shared = json.putArray("shared_networks");
      sharedNetworks.forEach(shared::add);
    }
    if (!healthCommand.isEmpty()) {
      var health = json.putArray("health_command");
      healthCommand.forEach(health::add);
    }
    stopGrace.ifPresent(g -> json.put("stop_grace_s", g.toSeconds()));
    return json;
  }

  /** Reads the JSON written by {@link #toJson()}, e.g. from a label; empty when it is not that. */
  public static Optional<ContainerFingerprint> fromJson(JsonNode json) {
    if (!json.path("image").isTextual() || !json.path("env").isObject()) {
      return Optional.empty();
    }
    var env = new LinkedHashMap<String, String>();
    json.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    var secrets = new TreeSet<String>();
    json.path("secret_env").forEach(n -> secrets.add(n.asText()));
    var volumes = new LinkedHashMap<String, String>();
    json.path("volumes")
        .properties()
        .forEach(e -> volumes.put(e.getKey(), e.getValue().asText()));
    var command = new ArrayList<String>();
    json.path("command").forEach(n -> command.add(n.asText()));
    var port =
        json.path("port").isInt() ? OptionalInt.of(json.get("port").asInt()) : OptionalInt.empty();
    var limits = json.path("resources");
    var resources = limits.isObject()
        ? Optional.of(new Resources(
            limits.has("cpus") ? Optional.of(limits.get("cpus").asDouble()) : Optional.empty(),
            limits.has("memory")
                ? OptionalLong.of(limits.get("memory").asLong())
                : OptionalLong.empty()))
        : Optional.<Resources>empty();
    var network = json.path("network").isTextual()
        ? Optional.of(json.get("network").asText())
        : Optional.<String>empty();
    var shared = new ArrayList<String>();
    json.path("shared_networks").forEach(n -> shared.add(n.asText()));
    var health = new ArrayList<String>();
    json.path("health_command").forEach(n -> health.add(n.asText()));
    var grace = json.path("stop_grace_s").canConvertToLong()
        ? Optional.of(Duration.ofSeconds(json.get("stop_grace_s").asLong()))
        : Optional.<Duration>empty();
    return Optional.of(new ContainerFingerprint(
        json.get("image").asText(),
        port,
        env,
        secrets,
        volumes,
        command,
        resources,
        network,
        shared,
        health,
        grace));
  }
}
