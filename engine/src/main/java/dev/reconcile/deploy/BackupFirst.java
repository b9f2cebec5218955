package dev.reconcile.deploy;

import dev.reconcile.engine.Reconciliation;
import dev.reconcile.model.ProjectSpec;
import java.util.Optional;

/**
 * The backup a deployment takes of an environment before it changes it, where the project asks
 * for one. Backups are operations, a module above this one, so the caller hands it in.
 */
@FunctionalInterface
public interface BackupFirst {
  /** For deployments whose projects ask for no backup: every attempt fails, saying so. */
  BackupFirst NONE = (planned, project, environment) -> {
    throw new Failed("no backups can be taken here");
  };

  /**
   * Takes one, copies it off-site and prunes old ones.
   *
   * @throws Failed when no backup was taken
   */
  Taken take(Reconciliation.Outcome.Planned planned, ProjectSpec project, String environment)
      throws Failed;

  /** @param problem what went wrong after it was taken (the off-site copy, pruning) */
  record Taken(String id, long size, Optional<String> problem) {}

  /** No backup was taken; the message says why. */
  final class Failed extends Exception {
    public Failed(String message) {
      super(message);
    }
  }
}
