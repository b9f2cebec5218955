package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;

/**
 * The networks of one project environment on a Docker host: {@link Networking#of} for names
 * (internal) and {@link Networking#egress} for traffic out and published ports, each a subnet of
 * its own taken from {@code platform.networks.pool}.
 */
public record DesiredNetwork(ResourceId id, String host, String name, String specHash)
    implements DesiredResource {

  public static DesiredNetwork of(ResourceId id, String host) {
    var name = Networking.of(id.project(), id.environment());
    return new DesiredNetwork(
        id, host, name, SpecHash.of(JsonNodeFactory.instance.objectNode().put("network", name)));
  }

  @Override
  public List<ResourceId> dependsOn() {
    return List.of();
  }
}
