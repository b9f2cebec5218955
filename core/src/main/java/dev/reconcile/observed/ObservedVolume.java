package dev.reconcile.observed;

import dev.reconcile.resource.ResourceId;

/** A Docker volume the tool created. */
public record ObservedVolume(ResourceId id, String host, String name, String specHash)
    implements ObservedResource {

  @Override
  public String digestLine() {
    return String.join(" ", id.toString(), host, name, specHash);
  }
}
