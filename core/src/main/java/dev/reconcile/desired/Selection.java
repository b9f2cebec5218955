package dev.reconcile.desired;

import dev.reconcile.resource.ResourceId;
import java.util.Set;

/**
 * Which projects and environments a command works on ({@code --project}, {@code --env}); empty
 * sets mean all. Observed resources outside the selection are left out of the diff, so a plan for
 * one project never deletes another's.
 */
public record Selection(Set<String> projects, Set<String> environments) {
  public static final Selection ALL = new Selection(Set.of(), Set.of());

  public Selection {
    projects = Set.copyOf(projects);
    environments = Set.copyOf(environments);
  }

  public boolean includes(String project, String environment) {
    return (projects.isEmpty() || projects.contains(project))
        && (environments.isEmpty() || environments.contains(environment));
  }

  public boolean includes(ResourceId id) {
    return includes(id.project(), id.environment());
  }
}
