package dev.reconcile.cli;

import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Executor;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.store.FileSnapshotStore;
import dev.reconcile.store.SnapshotRecorder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What apply and rollback share once a plan is accepted: pre-flight, the environment locks,
 * the executor, and a snapshot per environment afterwards.
 */
final class Rollout {
  private final ReconcileCommand root;
  private final ApplyView view;
  private final ApplySettings settings;
  private final boolean force;

  /** @param force go on despite pre-flight problems (said loudly) */
  Rollout(ReconcileCommand root, ApplyView view, ApplySettings settings, boolean force) {
    this.root = root;
    this.view = view;
    this.settings = settings;
    this.force = force;
  }

  int run(Reconciliation.Outcome.Planned planned) throws InterruptedException {
    var executor = Executor.forPlan(planned, root.reconciliation().providers(), System.getenv(), settings, view);
    var missing = executor.preflight(planned.plan());
    if (!missing.isEmpty() && force) {
      view.preflightForced(missing);
    } else if (!missing.isEmpty()) {
      view.preflightFailed(missing);
      return ExitCodes.ERROR;
    }
    try {
      planned.layout().persistOwner();
    } catch (IOException e) {
      view.preflightFailed(List.of("cannot write " + planned.layout().stateDir().resolve("owner") + ": "
          + e.getMessage()));
      return ExitCodes.ERROR;
    }
    var keys = planned.plan().changes().stream().filter(c -> c.action().isChange())
        .map(c -> c.id().environmentKey()).distinct().sorted().toList();
    var locks = new ArrayList<EnvironmentLock>();
    var release = new Thread(() -> locks.forEach(EnvironmentLock::close));
    Runtime.getRuntime().addShutdownHook(release);
    try {
      for (var key : keys) {
        switch (EnvironmentLock.acquire(planned.layout().stateDir(), key, Clock.systemUTC(),
            EnvironmentLock.DEFAULT_STALE_AFTER)) {
          case EnvironmentLock.Attempt.Held held -> {
            view.held(held);
            return ExitCodes.LOCKED;
          }
          case EnvironmentLock.Attempt.Acquired acquired -> {
            locks.add(acquired.lock());
            acquired.tookOver().ifPresent(stale -> view.tookOver(key, stale));
          }
        }
      }
      var heartbeat = Thread.ofVirtual().start(() -> beat(locks));
      try {
        var results = executor.execute(planned.plan());
        record(planned, results);
        view.results(results);
        return results.stream().allMatch(r -> r instanceof Executor.EnvironmentResult.Applied)
            ? ExitCodes.OK : ExitCodes.ERROR;
      } finally {
        heartbeat.interrupt();
      }
    } finally {
      locks.forEach(EnvironmentLock::close);
      Runtime.getRuntime().removeShutdownHook(release);
    }
  }

  /** Writes each environment's snapshot; a failure here is reported, never hides the result. */
  private void record(Reconciliation.Outcome.Planned planned, List<Executor.EnvironmentResult> results) {
    var recorder = new SnapshotRecorder(new FileSnapshotStore(planned.layout().stateDir(),
        planned.spec().platform().history()), Clock.systemUTC(), planned.layout().specDir());
    try {
      var after = root.reconciliation().observeAgain(planned);
      for (var result : results) {
        view.recorded(recorder.record(result, after, planned.desired()));
      }
    } catch (IOException | ProviderException e) {
      view.notRecorded(e.getMessage());
    }
  }

  private static void beat(List<EnvironmentLock> locks) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(Duration.ofSeconds(30));
        locks.forEach(EnvironmentLock::heartbeat);
      }
    } catch (InterruptedException e) {
      // The rollout finished.
    }
  }

  /** Asks on a terminal; elsewhere says how to proceed and declines. */
  static boolean confirmed(Terminal terminal, ApplyView view) {
    var console = System.console();
    if (!terminal.interactive() || console == null) {
      view.needsConfirmation();
      return false;
    }
    var answer = console.readLine("Apply these changes? Only 'yes' is accepted: ");
    if (answer == null || !answer.strip().equals("yes")) {
      view.declined();
      return false;
    }
    return true;
  }
}
