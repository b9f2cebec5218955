package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;

/** Hears what the executor does, step by step: the view prints it, tests record it. */
public interface ExecutionListener {
  /** A step began or ended: worth a line of its own, e.g. "healthy after 2.1 s". */
  void step(ResourceId id, String what);

  /**
   * Where a slow step stands now, e.g. "waiting for health (3.0 s / 30 s): GET /health: connection
   * refused". The next progress or step of the same resource supersedes it.
   */
  default void progress(ResourceId id, String what) {}

  ExecutionListener NONE = (id, what) -> {};
}
