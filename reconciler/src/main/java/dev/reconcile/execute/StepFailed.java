package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;

/** A rollout step that failed: which resource, which step, why, and what was rolled back. */
public final class StepFailed extends Exception {
  private final ResourceId id;
  private final String step;

  public StepFailed(ResourceId id, String step, String why) {
    super(why);
    this.id = id;
    this.step = step;
  }

  public ResourceId id() {
    return id;
  }

  public String step() {
    return step;
  }
}
