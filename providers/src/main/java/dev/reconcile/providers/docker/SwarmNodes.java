package dev.reconcile.providers.docker;

import com.github.dockerjava.api.model.SwarmNode;
import dev.reconcile.provider.ProviderException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes of the swarm the tool talks to, and the address at which each one's host-mode task
 * ports are reached: the node's own address as the engine reports it (the one it advertises).
 */
final class SwarmNodes {
  private final Map<String, String> addresses;

  private SwarmNodes(Map<String, String> addresses) {
    this.addresses = Map.copyOf(addresses);
  }

  static SwarmNodes of(DockerHost host) throws ProviderException {
    return of(DockerErrors.call(
        host, "listing swarm nodes", () -> host.client().listSwarmNodesCmd().exec()));
  }

  static SwarmNodes of(List<SwarmNode> nodes) {
    var out = new HashMap<String, String>();
    for (var node : nodes) {
      reachedAt(node).ifPresent(a -> out.put(node.getId(), a));
    }
    return new SwarmNodes(out);
  }

  /** Where a node's published task ports are reached; empty for a node the swarm no longer lists. */
  Optional<String> address(String nodeId) {
    return Optional.ofNullable(nodeId).map(addresses::get);
  }

  /**
   * A node's address: its status address, or, where the engine reports {@code 0.0.0.0} there (a
   * manager that was given no advertise address on some engine versions), its manager address
   * without the port.
   */
  static Optional<String> reachedAt(SwarmNode node) {
    var status = node.getStatus() == null ? null : node.getStatus().getAddress();
    if (status != null && !status.isBlank() && !status.equals("0.0.0.0")) {
      return Optional.of(status);
    }
    var manager =
        node.getManagerStatus() == null ? null : node.getManagerStatus().getAddr();
    if (manager != null && manager.contains(":")) {
      var ip = manager.substring(0, manager.lastIndexOf(':'));
      if (!ip.isBlank() && !ip.equals("0.0.0.0")) {
        return Optional.of(ip);
      }
    }
    return Optional.empty();
  }

  /** The id of the node the tool talks to: where a service's named volumes live. */
  static String self(DockerHost host) throws ProviderException {
    var info = DockerErrors.call(
        host,
        "asking the engine which swarm node it is",
        () -> host.client().infoCmd().exec());
    var id = info.getSwarm() == null ? null : info.getSwarm().getNodeID();
    if (id == null || id.isBlank()) {
      throw new ProviderException.Terminal(
          host.describe(),
          "the engine is not a node of a swarm",
          "docker swarm init, or join this engine to the swarm, then apply again",
          null);
    }
    return id;
  }
}
