package dev.reconcile.provider;

import dev.reconcile.observed.Conflict;
import dev.reconcile.observed.ImageTag;
import dev.reconcile.observed.ObservedResource;
import java.util.List;

/** What one provider found on one target. */
public record ObservedBatch(
    List<ObservedResource> resources, List<Conflict> conflicts, List<ImageTag> tags) {

  public ObservedBatch {
    resources = List.copyOf(resources);
    conflicts = List.copyOf(conflicts);
    tags = List.copyOf(tags);
  }
}
