package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;

/** A named Docker volume of one project environment, on the project's host. */
public record DesiredVolume(ResourceId id, String host, String specHash)
    implements DesiredResource {

  public static DesiredVolume of(ResourceId id, String host) {
    var fingerprint =
        JsonNodeFactory.instance.objectNode().put("volume", id.name().orElseThrow());
    return new DesiredVolume(id, host, SpecHash.of(fingerprint));
  }

  @Override
  public List<ResourceId> dependsOn() {
    return List.of();
  }
}
