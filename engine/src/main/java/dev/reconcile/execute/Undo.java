package dev.reconcile.execute;

import java.util.ArrayList;
import java.util.List;

/**
 * What a failed rollout undid, and what it could not: told to the user word for word, so a
 * message never claims a rollback that did not happen.
 *
 * @param undone each step taken back, e.g. "removed container shop-web-production-green"
 * @param notUndone each step that could not be, with why
 * @param interrupted traffic was interrupted on the way (update: recreate stops the old container
 *     before the new one serves), said so the user never reads "traffic stays where it was"
 * @param committed the rollout had passed its point of no return (the new slots serve, the old
 *     ones go): nothing is rolled back, and what was done before the failure stays done
 */
public record Undo(
    List<String> undone, List<String> notUndone, boolean interrupted, boolean committed) {
  public Undo {
    undone = List.copyOf(undone);
    notUndone = List.copyOf(notUndone);
  }

  public static final Undo NOTHING = new Undo(List.of(), List.of(), false, false);

  /** A failure past the point of no return: see {@code committed}. */
  public static final Undo COMMITTED = new Undo(List.of(), List.of(), false, true);

  public boolean complete() {
    return notUndone.isEmpty();
  }

  /** Collects an undo as it happens. */
  static final class Builder {
    private final List<String> undone = new ArrayList<>();
    private final List<String> notUndone = new ArrayList<>();
    private boolean interrupted;

    void undone(String what) {
      undone.add(what);
    }

    void failed(String what, Exception e) {
      notUndone.add(what + ": " + e.getMessage());
    }

    void interrupted() {
      interrupted = true;
    }

    Undo build() {
      return new Undo(undone, notUndone, interrupted, false);
    }
  }
}
