package dev.reconcile.plan;

import java.util.List;

/** How many changes of each action a plan holds. */
public record Summary(int create, int update, int replace, int delete, int noop) {

  public static Summary of(List<Change> changes) {
    int[] counts = new int[Action.values().length];
    changes.forEach(c -> counts[c.action().ordinal()]++);
    return new Summary(
        counts[Action.CREATE.ordinal()],
        counts[Action.UPDATE.ordinal()],
        counts[Action.REPLACE.ordinal()],
        counts[Action.DELETE.ordinal()],
        counts[Action.NOOP.ordinal()]);
  }
}
