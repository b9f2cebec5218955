package dev.reconcile.execute;

import dev.reconcile.resource.ResourceId;

/** Hears what the executor does, step by step: the view prints it, tests record it. */
public interface ExecutionListener {
  /** A step began or ended, e.g. ("container:a/b/web", "waiting for health (0.8 s / 30 s)"). */
  void step(ResourceId id, String what);

  ExecutionListener NONE = (id, what) -> {};
}
