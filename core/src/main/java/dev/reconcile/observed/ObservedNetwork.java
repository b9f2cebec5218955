package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;
import java.util.List;

/**
 * The networks of a project environment as found on its host.
 *
 * @param networks the engine's networks that make it up (names and egress), by name; one is
 *     missing after an interrupted create
 * @param subnets their subnets, in the same order
 */
public record ObservedNetwork(
    ResourceId id, String host, List<String> networks, List<String> subnets, String specHash)
    implements ObservedResource {
  public ObservedNetwork {
    networks = List.copyOf(networks);
    subnets = List.copyOf(subnets);
  }

  @Override
  public String digestLine() {
    return String.join(
        " ", id.toString(), host, String.join(",", networks), String.join(",", subnets), specHash);
  }
}
