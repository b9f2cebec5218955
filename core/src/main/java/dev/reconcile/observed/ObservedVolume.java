package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;
import java.util.Optional;

/**
 * A Docker volume the tool created.
 *
 * @param adoptedFrom the Docker volume whose data it was made on (adopt.volumes), if it was
 */
public record ObservedVolume(
    ResourceId id, String host, String name, String specHash, Optional<String> adoptedFrom)
    implements ObservedResource {

  public ObservedVolume(ResourceId id, String host, String name, String specHash) {
    this(id, host, name, specHash, Optional.empty());
  }

  @Override
  public String digestLine() {
    return String.join(" ", id.toString(), host, name, specHash)
        + adoptedFrom.map(from -> " adopted-from " + from).orElse("");
  }
}
