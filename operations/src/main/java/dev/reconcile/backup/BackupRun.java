package dev.reconcile.backup;

import dev.reconcile.audit.Event;
import dev.reconcile.audit.Events;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.model.CronSchedule;
import dev.reconcile.model.ProjectSpec;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One backup of one environment as {@code backup run} and the controller take it: under the
 * environment's lock, copied off-site, old ones pruned, and recorded as an event.
 */
public final class BackupRun {
  private final Reconciliation.Outcome.Planned planned;
  private final Reconciliation reconciliation;
  private final Backups backups;
  private final Events events;
  private final Clock clock;

  public BackupRun(
      Reconciliation.Outcome.Planned planned,
      Reconciliation reconciliation,
      Events events,
      Clock clock) {
    this.planned = planned;
    this.reconciliation = reconciliation;
    this.backups =
        Backups.forPlan(planned, reconciliation.providers(), reconciliation.hosts(), clock);
    this.events = events;
    this.clock = clock;
  }

  public Backups backups() {
    return backups;
  }

  /** How one backup went. */
  public sealed interface Outcome {
    /** @param problem what went wrong after it was taken (the off-site copy, pruning) */
    record Taken(BackupManifest manifest, Optional<String> problem) implements Outcome {}

    record Locked(EnvironmentLock.Attempt.Held held) implements Outcome {}

    record Failed(String why) implements Outcome {}
  }

  public Outcome take(ProjectSpec project, String environment, String reason) {
    var key = project.name() + "/" + environment;
    return switch (EnvironmentLock.acquire(planned.layout().home(), key, clock, "backup run")) {
      case EnvironmentLock.Attempt.Held held -> new Outcome.Locked(held);
      case EnvironmentLock.Attempt.Acquired acquired -> {
        try (var lock = acquired.lock()) {
          var manifest = backups.take(
              planned,
              reconciliation.providers(),
              reconciliation.hosts(),
              project.name(),
              environment,
              reason);
          var problem = backups.copyOffSite(manifest);
          try {
            backups.prune(
                project.name(),
                environment,
                project.backup().orElse(BackupPolicy.keeping(BackupPolicy.DEFAULT_KEEP)));
          } catch (IOException e) {
            problem = Optional.of(problem.map(p -> p + "; ").orElse("")
                + "pruning old backups failed: " + e.getMessage());
          }
          events.record(new Event(
              clock.instant().toString(),
              "backup",
              key,
              problem.isEmpty() ? "taken" : "failed",
              "backup " + manifest.id() + " taken (" + reason + ", " + manifest.size() + " bytes)"
                  + problem.map(p -> "; " + p).orElse(""),
              Map.of("backup_id", manifest.id())));
          yield new Outcome.Taken(manifest, problem);
        } catch (Backups.BackupFailed e) {
          events.record(new Event(
              clock.instant().toString(), "backup", key, "failed", Texts.messageOf(e), Map.of()));
          yield new Outcome.Failed(Texts.messageOf(e));
        }
      }
    };
  }

  /** Whether the environment's schedule fired since its newest backup; never without a schedule. */
  public boolean isDue(ProjectSpec project, String environment) {
    var schedule = project.backup().flatMap(b -> b.schedule());
    if (schedule.isEmpty()) {
      return false;
    }
    try {
      var newest = backups.list(project.name(), environment).stream()
          .findFirst()
          .map(m -> Instant.parse(m.created()));
      return Retention.due(CronSchedule.parse(schedule.get()), newest, clock.instant());
    } catch (IOException | DateTimeParseException e) {
      return true; // unreadable history: a backup too many beats one too few
    }
  }
}
