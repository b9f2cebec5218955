package dev.reconcile.plan;

import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * One planned change.
 *
 * @param slot set only for a leftover container slot being removed
 * @param before the spec hash recorded on what exists, if anything does
 * @param after the spec hash declared, unless the resource is being deleted
 * @param strategy how a container is replaced; empty for other kinds and actions
 * @param reasons for people (never read by the executor)
 * @param impact for people and {@code --fail-on-downtime} (never read by the executor)
 * @param dependsOn changes that must be done first
 */
public record Change(
    ResourceId id,
    Action action,
    Optional<String> slot,
    Optional<String> before,
    Optional<String> after,
    Optional<UpdateStrategy> strategy,
    List<Reason> reasons,
    TrafficImpact impact,
    List<ResourceId> dependsOn) {

  public Change {
    reasons = List.copyOf(reasons);
    dependsOn = List.copyOf(dependsOn);
  }

  /** The id with the slot, when the change is about one slot: {@code container:a/b/c#green}. */
  public String label() {
    return id + slot.map(s -> " (slot " + s + ")").orElse("");
  }
}
