package dev.reconcile.execute;

import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.util.Texts;

/** A rollout step that failed: which resource, which step, why, and what was rolled back. */
public final class StepFailed extends Exception {
  private final ResourceId id;
  private final String step;
  private final Undo undo;

  public StepFailed(ResourceId id, String step, String why) {
    this(id, step, why, Undo.NOTHING);
  }

  private StepFailed(ResourceId id, String step, String why, Undo undo) {
    super(why);
    this.id = id;
    this.step = step;
    this.undo = undo;
  }

  /** A provider fault as the failure of a step: where it happened and what to check. */
  static StepFailed of(ResourceId id, ProviderException e) {
    return new StepFailed(
        id, e.where(), e.getMessage() + (e.hint().isEmpty() ? "" : " (" + e.hint() + ")"));
  }

  /** The same failure, with what the rollback then did. */
  StepFailed withUndo(Undo undo) {
    return new StepFailed(id, step, Texts.messageOf(this), undo);
  }

  public Undo undo() {
    return undo;
  }

  public ResourceId id() {
    return id;
  }

  public String step() {
    return step;
  }
}
