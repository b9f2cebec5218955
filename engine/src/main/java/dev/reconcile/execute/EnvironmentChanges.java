package dev.reconcile.execute;

import dev.reconcile.desired.DesiredResource;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedResource;
import dev.reconcile.plan.Action;
import dev.reconcile.plan.Change;
import dev.reconcile.resource.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * One environment's changes of a plan, by resource: everything its rollout reads about a resource,
 * its own change's or a sibling's (the site a service follows, a container another depends on, a
 * leftover slot). Every declared or found resource of the environment has a change, unchanged ones
 * too, each carrying the resource as declared and as found: so a rollout reads nothing of the
 * desired or observed state beside its plan. The plan is the program.
 */
final class EnvironmentChanges {
  private final List<Change> changes;

  EnvironmentChanges(List<Change> changes) {
    this.changes = List.copyOf(changes);
  }

  List<Change> all() {
    return changes;
  }

  /** The change of a resource (not of one of its leftover slots). */
  Optional<Change> of(ResourceId id) {
    return changes.stream().filter(c -> c.id().equals(id) && c.slot().isEmpty()).findFirst();
  }

  /** A resource of the environment as declared, if it is. */
  <T extends DesiredResource> Optional<T> declared(ResourceId id, Class<T> type) {
    return of(id).flatMap(Change::declared).filter(type::isInstance).map(type::cast);
  }

  /** A resource of the environment as found when the plan was made, if it was. */
  <T extends ObservedResource> Optional<T> found(ResourceId id, Class<T> type) {
    return of(id).flatMap(c -> c.found(type));
  }

  /** The leftover slots of interrupted applies this plan removes. */
  List<ObservedContainer> leftovers() {
    return changes.stream()
        .filter(c -> c.action() == Action.DELETE && c.slot().isPresent())
        .flatMap(c -> c.found(ObservedContainer.class).stream())
        .toList();
  }
}
