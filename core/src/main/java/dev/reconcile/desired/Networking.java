package dev.reconcile.desired;

import dev.reconcile.model.NetworkPool;
import dev.reconcile.resource.ResourceId;
import java.util.List;

/**
 * Where a container of a Docker host is reachable by name: its project environment's network,
 * under its name in projects.yml and {@code {project}-{container}-{environment}}, and the networks
 * of the projects it is shared with, under the second name only (their own containers may use the
 * first).
 *
 * @param environment its project environment's network resource
 * @param aliases its names there: {@code {container}}, {@code {project}-{container}-{environment}}
 * @param shared the network resources of the project environments it is shared with, sorted
 * @param pool where a network that does not exist yet takes its subnets from
 */
public record Networking(
    ResourceId environment, List<String> aliases, List<ResourceId> shared, NetworkPool pool) {
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
   * The network a project environment's containers reach the world through and publish their ports
   * on. Names live on the other one, which is internal: moving a name from one slot to the next
   * reconnects it there, and must never touch the published port nginx sends traffic to.
   */
  public static String egress(String network) {
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

  /** The name other projects reach it by: {@code {project}-{container}-{environment}}. */
  public String fullName() {
    return aliases.getLast();
  }
}
