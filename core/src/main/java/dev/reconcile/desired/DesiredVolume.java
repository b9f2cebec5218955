package dev.reconcile.desired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.resource.SpecHash;
import java.util.List;
import java.util.Optional;

/**
 * A named Docker volume of one project environment, on the project's host.
 *
 * @param adopts the Docker volume from before reconcile whose data it is made on, in place, when
 *     it is first made (environments.ENV.adopt.volumes); not in the hash: once made, the volume is
 *     what it is
 */
public record DesiredVolume(ResourceId id, String host, String specHash, Optional<String> adopts)
    implements DesiredResource {

  public static DesiredVolume of(ResourceId id, String host) {
    return of(id, host, Optional.empty());
  }

  public static DesiredVolume of(ResourceId id, String host, Optional<String> adopts) {
    var fingerprint =
        JsonNodeFactory.instance.objectNode().put("volume", id.name().orElseThrow());
    return new DesiredVolume(id, host, SpecHash.of(fingerprint), adopts);
  }

  @Override
  public List<ResourceId> dependsOn() {
    return List.of();
  }
}
