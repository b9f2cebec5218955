package dev.reconcile.deploy;

import dev.reconcile.execute.ExecutionListener;
import dev.reconcile.execute.Executor;
import dev.reconcile.history.Snapshot;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.store.ApplyJournal;
import java.util.List;
import java.util.Optional;

/** Hears a deployment as it goes: the CLI's view prints it, the controller logs and counts it. */
public interface DeploymentListener extends ExecutionListener {
  void preflightFailed(List<String> problems);

  /**
   * The first apply made the fleet's state on its server, moving there what the checkout held
   * (empty when it held nothing).
   */
  default void stateSettled(String where, List<String> moved) {}

  /** Pre-flight found problems and the deployment goes on anyway (forced). */
  void preflightForced(List<String> problems);

  /** Another process holds an environment's lock: nothing was changed. */
  void held(EnvironmentLock.Attempt.Held held);

  /** A lock left by a process that is gone was taken over. */
  void tookOver(String environment, EnvironmentLock.Holder stale);

  /** An earlier apply died before recording; what runs was recorded as this snapshot. */
  void recordedInterrupted(Snapshot snapshot, ApplyJournal.Entry entry);

  void backedUp(String environment, String id, long bytes);

  /** @param goesOn whether the deploy goes on without it */
  void backupFailed(String environment, String why, boolean goesOn);

  void results(List<Executor.EnvironmentResult> results, Optional<String> cancelled);

  void recorded(Snapshot snapshot);

  void notRecorded(String why);
}
