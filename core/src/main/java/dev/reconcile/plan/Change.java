package dev.reconcile.plan;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.model.UpdateStrategy;
import dev.reconcile.observed.ObservedResource;
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
 * @param declared the resource as projects.yml declares it, unless it is being deleted: with
 *     {@code found}, everything the change's execution reads about it (a plan is the program)
 * @param found the resource as it was observed when the plan was made (for a slot's change, that
 *     slot), if it exists; neither is written to a saved plan, which takes them from a fresh plan
 *     of the same digests when it is applied
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
    List<ResourceId> dependsOn,
    Optional<DesiredResource> declared,
    Optional<ObservedResource> found) {

  public Change {
    reasons = List.copyOf(reasons);
    dependsOn = List.copyOf(dependsOn);
  }

  /** A change that does not carry its resources yet (the differ gives them at the end). */
  public Change(
      ResourceId id,
      Action action,
      Optional<String> slot,
      Optional<String> before,
      Optional<String> after,
      Optional<UpdateStrategy> strategy,
      List<Reason> reasons,
      TrafficImpact impact,
      List<ResourceId> dependsOn) {
    this(
        id,
        action,
        slot,
        before,
        after,
        strategy,
        reasons,
        impact,
        dependsOn,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The change as planned, without the resources it carries: a declared container holds its env
   * as written in projects.yml, secrets too, and a change may end up in a message or a log.
   */
  @Override
  public String toString() {
    return "Change[id=" + id + ", action=" + action + ", slot=" + slot + ", before=" + before
        + ", after=" + after + ", strategy=" + strategy + ", reasons=" + reasons + ", impact="
        + impact + ", dependsOn=" + dependsOn + "]";
  }

  /** This change, carrying its resource as declared and as found. */
  public Change carrying(
      Optional<? extends DesiredResource> declared, Optional<? extends ObservedResource> found) {
    return new Change(
        id,
        action,
        slot,
        before,
        after,
        strategy,
        reasons,
        impact,
        dependsOn,
        declared.map(DesiredResource.class::cast),
        found.map(ObservedResource.class::cast));
  }

  /** This change, done after these. */
  public Change withDependsOn(List<ResourceId> others) {
    return new Change(
        id, action, slot, before, after, strategy, reasons, impact, others, declared, found);
  }

  /** Its declared resource, of the type its kind has; an error in the plan when it has none. */
  public <T extends DesiredResource> T declared(Class<T> type) {
    return declared
        .filter(type::isInstance)
        .map(type::cast)
        .orElseThrow(() -> new IllegalStateException(
            "the plan's change of " + label() + " carries no declared " + type.getSimpleName()));
  }

  /** Its resource as found, of the type its kind has, if it existed. */
  public <T extends ObservedResource> Optional<T> found(Class<T> type) {
    return found.filter(type::isInstance).map(type::cast);
  }

  /** The id with the slot, when the change is about one slot: {@code container:a/b/c#green}. */
  public String label() {
    return id + slot.map(s -> " (slot " + s + ")").orElse("");
  }
}
