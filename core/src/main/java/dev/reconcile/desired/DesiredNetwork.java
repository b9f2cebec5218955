package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;

/**
 * The network of names of one project environment on a Docker host ({@link Networking#of}), an
 * internal bridge on a /24 of {@code platform.networks.pool}; declared only for an environment that
 * has one ({@link Networking#named}). Published ports and traffic out go through the host's
 * {@link Networking#EGRESS}, which belongs to no environment.
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
