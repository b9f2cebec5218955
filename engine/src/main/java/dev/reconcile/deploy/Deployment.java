package dev.reconcile.deploy;

import dev.reconcile.audit.Event;
import dev.reconcile.audit.Events;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.execute.CrashPoints;
import dev.reconcile.execute.ExecutionListener;
import dev.reconcile.execute.Executor;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.store.ApplyJournal;
import dev.reconcile.store.SnapshotRecorder;
import dev.reconcile.store.StepLog;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What apply, rollback and a heal share once a plan is accepted: pre-flight, the environment
 * locks, the backup before the deploy, the executor, and a snapshot per environment afterwards.
 */
public final class Deployment {
  /** How a deployment ended. */
  public enum Result {
    /** Every environment was applied and recorded. */
    APPLIED,
    /** Something failed or was cancelled; the listener heard what. */
    FAILED,
    /** Another process holds a lock: nothing was changed. */
    LOCKED
  }

  private final Reconciliation reconciliation;
  private final DeploymentListener listener;
  private final ApplySettings settings;
  private final boolean force;
  private final boolean skipBackup;
  private final Map<String, String> processEnv;
  private final Clock clock;
  private final Events events;
  private final BackupFirst backupFirst;

  /**
   * @param force go on despite pre-flight problems (said loudly)
   * @param skipBackup deploy even where the backup before it failed (said loudly, recorded)
   * @param backupFirst takes the backup before the deploy where a project asks for one
   * @param events hears each environment's result, each backup, and each failure
   */
  public Deployment(
      Reconciliation reconciliation,
      DeploymentListener listener,
      ApplySettings settings,
      boolean force,
      boolean skipBackup,
      Map<String, String> processEnv,
      Clock clock,
      BackupFirst backupFirst,
      Events events) {
    this.events = events;
    this.backupFirst = backupFirst;
    this.reconciliation = reconciliation;
    this.listener = listener;
    this.settings = settings;
    this.force = force;
    this.skipBackup = skipBackup;
    this.processEnv = Map.copyOf(processEnv);
    this.clock = clock;
  }

  /**
   * Runs an accepted plan. {@code command} is what the snapshots record as its origin, e.g.
   * {@code apply}, {@code rollback to #3}, {@code heal}.
   */
  public Result run(
      Reconciliation.Outcome.Planned planned, String command, Cancellation cancellation)
      throws InterruptedException {
    // Each step goes to the journal too, so that an apply that dies says how far it got.
    var steps = new StepLog(new ApplyJournal(planned.layout().home()));
    ExecutionListener journaled = new ExecutionListener() {
      @Override
      public void step(ResourceId id, String what) {
        listener.step(id, what);
        if (!what.startsWith("release| ")) { // a release command's output is not a step
          steps.step(id.environmentKey(), id + ": " + what);
        }
      }

      @Override
      public void progress(ResourceId id, String what) {
        listener.progress(id, what);
      }
    };
    Executor executor;
    try {
      executor = Executor.forPlan(
          planned,
          reconciliation.providers(),
          reconciliation.hosts(),
          processEnv,
          settings,
          cancellation,
          journaled);
    } catch (ProviderException e) {
      listener.preflightFailed(List.of(e.where() + ": " + e.getMessage()));
      return Result.FAILED;
    }
    var missing = executor.preflight(planned.plan());
    if (!missing.isEmpty() && force) {
      listener.preflightForced(missing);
    } else if (!missing.isEmpty()) {
      listener.preflightFailed(missing);
      return Result.FAILED;
    }
    var keys = planned.plan().changes().stream()
        .filter(c -> c.action().isChange())
        .map(c -> c.id().environmentKey())
        .distinct()
        .sorted()
        .toList();
    var layout = planned.layout();
    if (layout.unsettled()) {
      try {
        var settled = layout.settle();
        listener.stateSettled(layout.home().describe(layout.home().dir()), settled.moved());
      } catch (IOException | UncheckedIOException e) {
        listener.preflightFailed(List.of("cannot make the state on "
            + layout.home().describe(layout.home().dir()) + ": " + e.getMessage()));
        return Result.FAILED;
      }
    }
    var journal = new ApplyJournal(layout.home());
    var locked = new TreeSet<>(keys);
    locked.addAll(unfinished(planned));
    // OS locks: released by the OS however this process ends, so no shutdown hook is needed.
    var locks = new ArrayList<EnvironmentLock>();
    try {
      for (var key : locked) {
        switch (EnvironmentLock.acquire(planned.layout().home(), key, clock, command)) {
          case EnvironmentLock.Attempt.Held held -> {
            listener.held(held);
            return Result.LOCKED;
          }
          case EnvironmentLock.Attempt.Acquired acquired -> {
            locks.add(acquired.lock());
            acquired.tookOver().ifPresent(stale -> listener.tookOver(key, stale));
          }
        }
      }
      if (!begin(planned, journal, locked, keys, command, steps)) {
        return Result.FAILED;
      }
      var heartbeat = Thread.ofVirtual().start(() -> beat(locks));
      try {
        var backups = new HashMap<String, String>();
        var notBackedUp = backUp(planned, keys, backups);
        var blocked = skipBackup ? Set.<String>of() : notBackedUp;
        for (var key : blocked) {
          try {
            journal.end(key); // nothing was changed there
          } catch (IOException e) {
            // Left, the entry makes the next apply record an interrupted snapshot: true, if wordy.
          }
        }
        List<Executor.EnvironmentResult> results;
        try {
          results = executor.execute(planned.plan().without(blocked));
        } finally {
          steps.close(); // before the entries end: nothing writes them again
        }
        var recorded = record(planned, results, journal, command, backups);
        audit(results, blocked, command, cancellation);
        listener.results(results, cancellation.reason());
        return results.stream().allMatch(r -> r instanceof Executor.EnvironmentResult.Applied)
                && blocked.isEmpty()
                && cancellation.reason().isEmpty()
                && recorded
            ? Result.APPLIED
            : Result.FAILED;
      } finally {
        heartbeat.interrupt();
      }
    } finally {
      steps.close(); // also when a step before the rollout failed
      locks.forEach(EnvironmentLock::close);
    }
  }

  /**
   * With the locks held: records what runs where an earlier apply died before recording it, then
   * notes that this one is under way. False when the state directory cannot be written.
   */
  private boolean begin(
      Reconciliation.Outcome.Planned planned,
      ApplyJournal journal,
      Set<String> locked,
      List<String> keys,
      String command,
      StepLog steps) {
    var recorder = recorder(planned);
    var entry = new ApplyJournal.Entry(
        System.getProperty("user.name", "unknown"),
        ProcessHandle.current().pid(),
        clock.instant().toString(),
        command);
    try {
      for (var key : locked) {
        var unfinished = journal.unfinished(key);
        if (unfinished.isPresent()) {
          listener.recordedInterrupted(
              recorder.recordInterrupted(
                  key, unfinished.get(), planned.observed(), planned.desired()),
              unfinished.get());
          journal.end(key);
        }
      }
      for (var key : keys) {
        journal.begin(key, entry);
        steps.begun(key, entry);
      }
      return true;
    } catch (IOException e) {
      var home = planned.layout().home();
      listener.preflightFailed(List.of(
          "cannot write the state directory " + home.describe(home.dir()) + ": " + e.getMessage()));
      return false;
    }
  }

  /** The environments of the plan where an earlier apply died before recording what it did. */
  public static List<String> unfinished(Reconciliation.Outcome.Planned planned) {
    var journal = new ApplyJournal(planned.layout().home());
    return planned.plan().changes().stream()
        .map(c -> c.id().environmentKey())
        .distinct()
        .filter(key -> journal.unfinished(key).isPresent())
        .sorted()
        .toList();
  }

  private SnapshotRecorder recorder(Reconciliation.Outcome.Planned planned) {
    return new SnapshotRecorder(
        planned.layout().snapshots(planned.spec().platform().history()),
        clock,
        planned.layout().specDir(),
        planned.layout().secrets());
  }

  /**
   * With the locks held and before anything changes: a backup of every environment to change
   * whose project asks for one before deploys and that runs something to back up. Returns the
   * environments whose backup failed; the ids taken go into {@code taken}.
   */
  private Set<String> backUp(
      Reconciliation.Outcome.Planned planned, List<String> keys, Map<String, String> taken) {
    var failed = new TreeSet<String>();
    for (var key : keys) {
      var parts = key.split("/");
      var project = planned.spec().projects().get(parts[0]);
      var runs = planned
          .observed()
          .all(ObservedContainer.class)
          .anyMatch(c -> c.id().environmentKey().equals(key));
      if (project == null
          || project.backup().isEmpty()
          || !project.backup().get().beforeDeploy()
          || !runs) {
        continue;
      }
      try {
        var backup = backupFirst.take(planned, project, parts[1]);
        taken.put(key, backup.id());
        events.record(event(
            "backup",
            key,
            "taken",
            "backup " + backup.id() + " taken before the deploy (" + backup.size() + " bytes)",
            Map.of("backup_id", backup.id())));
        listener.backedUp(key, backup.id(), backup.size());
        // The local backup stands; a failed off-site copy or pruning is said, and the deploy goes
        // on.
        backup.problem().ifPresent(problem -> listener.backupFailed(key, problem, true));
      } catch (BackupFirst.Failed e) {
        failed.add(key);
        listener.backupFailed(key, Texts.messageOf(e), skipBackup);
        events.record(event("backup", key, "failed", Texts.messageOf(e), Map.of()));
      }
    }
    return failed;
  }

  /**
   * Writes each environment's snapshot; a failure here is reported, never hides the result. False
   * when a snapshot could not be written: history would be behind, so the run fails.
   */
  private boolean record(
      Reconciliation.Outcome.Planned planned,
      List<Executor.EnvironmentResult> results,
      ApplyJournal journal,
      String command,
      Map<String, String> backups) {
    var recorder = recorder(planned);
    try {
      var after = reconciliation.observeAgain(planned);
      for (var result : results) {
        var failure = result instanceof Executor.EnvironmentResult.Failed f
            ? Optional.of(f.failure().step() + " at " + f.failure().id() + ": "
                + f.failure().getMessage())
            : Optional.<String>empty();
        listener.recorded(recorder.record(
            result.environment(),
            failure,
            after,
            planned.desired(),
            command,
            Optional.ofNullable(backups.get(result.environment())),
            result.releases()));
        journal.end(result.environment());
        CrashPoints.reached("snapshot-written");
      }
      return true;
    } catch (IOException | ProviderException e) {
      // The journal entries stay: the next apply records what runs then.
      listener.notRecorded(Texts.messageOf(e));
      var at = clock.instant().toString();
      for (var result : results) {
        try {
          journal.endedUnrecorded(result.environment(), at);
        } catch (IOException notEither) {
          // Then drift takes whatever starts from now on for this apply's own until the next apply.
        }
      }
      return false;
    }
  }

  /** One event per environment: how the deploy ended there. */
  private void audit(
      List<Executor.EnvironmentResult> results,
      Set<String> blocked,
      String command,
      Cancellation cancellation) {
    var type = command.split(" ")[0];
    for (var result : results) {
      var fields = new TreeMap<String, String>();
      fields.put("command", command);
      cancellation.reason().ifPresent(r -> fields.put("cancelled", r));
      switch (result) {
        case Executor.EnvironmentResult.Applied a ->
          events.record(event(type, result.environment(), "applied", command + " done", fields));
        case Executor.EnvironmentResult.Failed f ->
          events.record(event(
              type,
              result.environment(),
              "failed",
              f.failure().step() + " at " + f.failure().id() + ": "
                  + f.failure().getMessage(),
              fields));
      }
    }
    for (var key : blocked) {
      events.record(event(
          type,
          key,
          "failed",
          "not deployed: the backup before it failed",
          Map.of("command", command)));
    }
  }

  private Event event(
      String type, String environment, String outcome, String summary, Map<String, String> fields) {
    return new Event(clock.instant().toString(), type, environment, outcome, summary, fields);
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
}
