package dev.reconcile.deploy;

import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.AdoptionUndo;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.execute.ExecutionListener;
import dev.reconcile.execute.Executor;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import java.time.Clock;
import java.util.Map;

/**
 * {@code reconcile adopt --undo}: under the environment's lock (no apply runs beside it), puts
 * back what its plan says the environment took over.
 */
public final class AdoptionUndoRun {
  private AdoptionUndoRun() {}

  /** How it ended. */
  public sealed interface Ended {
    record Done(AdoptionUndo.Result result) implements Ended {}

    record Locked(EnvironmentLock.Attempt.Held held) implements Ended {}

    record Unreachable(ProviderException fault) implements Ended {}
  }

  public static Ended run(
      Reconciliation reconciliation,
      Reconciliation.Outcome.Planned planned,
      ResourceId adoption,
      ApplySettings settings,
      Map<String, String> processEnv,
      Cancellation cancellation,
      ExecutionListener listener,
      Clock clock)
      throws InterruptedException {
    Executor executor;
    try {
      executor = Executor.forPlan(
          planned,
          reconciliation.providers(),
          reconciliation.hosts(),
          processEnv,
          settings,
          cancellation,
          listener);
    } catch (ProviderException e) {
      return new Ended.Unreachable(e);
    }
    return switch (EnvironmentLock.acquire(
        planned.layout().home(), adoption.environmentKey(), clock, "adopt --undo")) {
      case EnvironmentLock.Attempt.Held held -> new Ended.Locked(held);
      case EnvironmentLock.Attempt.Acquired acquired -> {
        try (var lock = acquired.lock()) {
          yield new Ended.Done(executor.undoAdoption(planned.plan(), adoption));
        }
      }
    };
  }
}
