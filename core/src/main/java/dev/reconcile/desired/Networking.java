package dev.reconcile.desired;

import dev.reconcile.model.NetworkPool;
import dev.reconcile.resource.ResourceId;
import java.util.List;

/**
 * Where a container of a Docker host is reachable by name: its project environment's network,
 * under its name in projects.yml and {@code {project}-{container}-{environment}}, and the networks
 * of the projects it is shared with, under the second name only (their own containers may use the
 * first). Every container publishes its port and reaches the world through the host's one
 * {@link #EGRESS} network.
 *
 * @param environment its project environment's network resource
 * @param aliases its names there: {@code {container}}, {@code {project}-{container}-{environment}}
 * @param shared the network resources of the project environments it is shared with, sorted
 * @param pool where a network that does not exist yet takes its subnets from
 * @param named whether its environment has a network of names at all: only when there is someone
 *     to call a name, more than one container or another project's shared into it. A bridge of
 *     its own costs each environment a network the engine makes one at a time and a second
 *     interface on every start (a first deploy of 50 one-container projects took 1.6x as long).
 */
public record Networking(
    ResourceId environment,
    List<String> aliases,
    List<ResourceId> shared,
    NetworkPool pool,
    boolean named) {
  /**
   * The host's network for published ports and traffic out, one per engine for every project
   * environment and every owner, with inter-container traffic off: containers on it reach the
   * world and are reached through their published ports, never each other. Names live on the
   * internal network of names: moving a name from one slot to the next reconnects it there, and
   * must never touch the published port nginx sends traffic to.
   */
  public static final String EGRESS = "reconcile-egress";

  public Networking {
    aliases = List.copyOf(aliases);
    shared = shared.stream().sorted().toList();
  }

  /** The name of a project environment's network, where its containers find each other. */
  public static String of(String project, String environment) {
    return project + "-" + environment;
  }

  /** The name of a network resource's network of names. */
  public static String of(ResourceId network) {
    return of(network.project(), network.environment());
  }

  /**
   * The egress network an environment had of its own before the host had one ({@link #EGRESS}):
   * its containers of then still publish their ports there, so it stays until the environment goes.
   */
  public static String legacyEgress(String network) {
    return network + "-egress";
  }

  /** Its project environment's network of names. */
  public String network() {
    return of(environment);
  }

  /** The networks of names of the projects it is shared with. */
  public List<String> sharedNetworks() {
    return shared.stream().map(Networking::of).toList();
  }

  /**
   * The names it answers to, on every network it has them on: both on its environment's network of
   * names, the long one where it is shared; none when alone in its environment and shared with no
   * one, and then a blue-green switch has no names to move.
   */
  public List<String> names() {
    return named ? aliases : shared.isEmpty() ? List.of() : List.of(fullName());
  }

  /** The name other projects reach it by: {@code {project}-{container}-{environment}}. */
  public String fullName() {
    return aliases.getLast();
  }
}
