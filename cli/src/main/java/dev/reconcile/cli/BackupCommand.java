package dev.reconcile.cli;

import dev.reconcile.backup.BackupRun;
import dev.reconcile.backup.Backups;
import dev.reconcile.cli.view.BackupView;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.model.BackupPolicy;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Takes, lists, verifies and restores backups. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up project environments, and check or restore their backups.",
      "  run [--project P] [--env E] [--due]",
      "                                take a backup of every selected environment",
      "                                whose project declares backup (or of the named",
      "                                project): its backup.volumes and backup.databases",
      "                                (a dump inside the container), the images that run",
      "                                (kept by a tag of the backup's own), its site and",
      "                                snapshot; prints the new ids; keeps backup.keep",
      "  list [--project P] [--env E]  the backups, newest first (--output json)",
      "  verify ID                     recompute every SHA-256 and read every archive",
      "  restore ID [--volumes] [--databases] [--yes]",
      "                                put the backup's volumes and database dumps back",
      "                                (both unless one is named): the containers that",
      "                                write them are stopped meanwhile and started after;",
      "                                asks on a terminal, needs --yes elsewhere",
      "",
      "Backups live in STATE/backups/ID/ with a manifest.json written last, and are copied",
      "to platform.backup_target when set (verify and restore read it when the local copy",
      "is gone); apply takes one",
      "before it changes an environment whose project sets backup.before_deploy."
    },
    footer = {
      "",
      "Exit codes: 0 done; 1 error (a backup failed, a damaged backup, no such id); 3 locked."
    })
final class BackupCommand implements Callable<Integer> {
  enum Action {
    run,
    list,
    verify,
    restore
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(index = "0", paramLabel = "ACTION", description = "run, list, verify or restore.")
  Action action;

  @Parameters(
      index = "1",
      paramLabel = "ID",
      arity = "0..1",
      description = "The backup (verify, restore).")
  String id;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Option(names = "--yes", description = "restore: do not ask.")
  boolean yes;

  @Option(
      names = "--volumes",
      description = "restore: the volumes (without --databases: only them).")
  boolean volumes;

  @Option(
      names = "--databases",
      description = "restore: the database dumps (without --volumes: only them).")
  boolean databases;

  @Option(
      names = "--due",
      description = "run: only the environments whose backup.schedule fired since "
          + "their newest backup (for cron or a systemd timer, run every few minutes).")
  boolean due;

  @Override
  public Integer call() throws InterruptedException {
    var view = new BackupView(root.terminal(), root.global().output);
    return switch (action) {
      case run -> run(view);
      case list -> list(view);
      case verify, restore -> withId(view);
    };
  }

  private Optional<Reconciliation.Outcome.Planned> plan(SelectionRequest request) {
    var global = root.global();
    var outcome = root.reconciliation()
        .plan(global.specPath(), global.specShownAs(), request, DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, root.terminal())
        .report(global.specShownAs(), outcome.diagnostics());
    if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
      new PlanView(root.terminal(), PlanView.Format.text).unobservable(u.fault());
    }
    return outcome instanceof Reconciliation.Outcome.Planned p ? Optional.of(p) : Optional.empty();
  }

  private int run(BackupView view) {
    var planned = plan(new SelectionRequest(selection.projects, selection.environments));
    if (planned.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var p = planned.get();
    var trail = Rollout.trail(p, root.caller());
    var runner = new BackupRun(p, root.reconciliation(), trail, Clock.systemUTC());
    var taken = new ArrayList<BackupManifest>();
    var failed = false;
    try {
      for (var project : p.spec().projects().values()) {
        if (project.backup().isEmpty() && !selection.projects.contains(project.name())) {
          continue;
        }
        for (var environment : project.environmentNames()) {
          if (!selection.includes(project.name(), environment)
              || due && !runner.isDue(project, environment)) {
            continue;
          }
          var key = project.name() + "/" + environment;
          switch (runner.take(project, environment, due ? "scheduled" : "on demand")) {
            case BackupRun.Outcome.Locked locked -> {
              view.failed(
                  "cannot back up " + key,
                  "an apply holds its lock (" + locked.held().file() + ")");
              failed = true;
            }
            case BackupRun.Outcome.Failed f -> {
              view.failed("the backup of " + key + " failed", f.why());
              failed = true;
            }
            case BackupRun.Outcome.Taken t -> {
              taken.add(t.manifest());
              if (t.problem().isPresent()) {
                view.failed("after taking " + t.manifest().id(), t.problem().get());
                failed = true;
              }
            }
          }
        }
      }
    } finally {
      trail.flush(Rollout.WEBHOOK_WAIT);
    }
    if (taken.isEmpty() && !failed && !due) {
      view.nothingToBackUp();
    }
    view.taken(taken);
    return failed ? ExitCodes.ERROR : ExitCodes.OK;
  }

  private int list(BackupView view) {
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var spec = loaded.get();
    var found = root.layout(spec);
    if (found.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = found.get();
    var backups = new Backups(spec, layout, null, root.reconciliation().hosts(), Clock.systemUTC());
    try {
      var shown = backups.list().stream()
          .filter(m -> selection.includes(m.project(), m.environment()))
          .toList();
      var kept = new HashMap<String, String>();
      for (var env : shown.stream()
          .map(m -> m.project() + "/" + m.environment())
          .distinct()
          .toList()) {
        var parts = env.split("/");
        var policy = Optional.ofNullable(spec.projects().get(parts[0]))
            .flatMap(p -> p.backup())
            .orElse(BackupPolicy.keeping(BackupPolicy.DEFAULT_KEEP));
        kept.putAll(backups.keptBecause(parts[0], parts[1], policy));
      }
      view.list(shown, kept);
      return ExitCodes.OK;
    } catch (IOException e) {
      view.failed("cannot read the backups", Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
  }

  private int withId(BackupView view) throws InterruptedException {
    if (id == null) {
      view.failed(action + " needs the backup's id", "reconcile backup list shows them");
      return ExitCodes.ERROR;
    }
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var located = root.layout(loaded.get());
    if (located.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = located.get();
    var finder =
        new Backups(loaded.get(), layout, null, root.reconciliation().hosts(), Clock.systemUTC());
    Optional<BackupManifest> found;
    try {
      found = finder.find(id);
    } catch (IOException e) {
      view.failed("cannot read " + finder.store().dir(), Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
    if (found.isEmpty()) {
      view.notFound(id);
      return ExitCodes.ERROR;
    }
    var manifest = found.get();
    if (action == Action.verify) {
      var planned =
          plan(new SelectionRequest(List.of(manifest.project()), List.of(manifest.environment())));
      if (planned.isEmpty()) {
        return ExitCodes.ERROR;
      }
      var problems = Backups.forPlan(
              planned.get(),
              root.reconciliation().providers(),
              root.reconciliation().hosts(),
              Clock.systemUTC())
          .verify(manifest);
      view.verified(manifest, problems);
      return problems.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
    }
    var both = volumes == databases;
    if (!yes) {
      if (!Confirmation.possible(root.terminal())) {
        view.needsConfirmation("reconcile backup restore " + id
            + (both ? "" : volumes ? " --volumes" : " --databases") + " --yes");
        return ExitCodes.ERROR;
      }
      view.wouldRestore(manifest, both || volumes, both || databases);
      if (!Confirmation.ask("Restore?")) {
        view.failed("nothing was restored", "the answer was not 'yes'");
        return ExitCodes.ERROR;
      }
    }
    var planned =
        plan(new SelectionRequest(List.of(manifest.project()), List.of(manifest.environment())));
    if (planned.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var p = planned.get();
    var runtime = Capabilities.find(root.reconciliation().providers(), ContainerRuntime.class)
        .orElseThrow();
    var key = manifest.project() + "/" + manifest.environment();
    switch (EnvironmentLock.acquire(p.layout().home(), key, Clock.systemUTC(), "backup restore")) {
      case EnvironmentLock.Attempt.Held held -> {
        view.failed(
            "cannot restore " + key,
            "another run holds its lock: "
                + held.holder()
                    .map(EnvironmentLock.Holder::describe)
                    .orElse("a running process (" + held.file() + ")"));
        return ExitCodes.LOCKED;
      }
      case EnvironmentLock.Attempt.Acquired acquired -> {
        try (var lock = acquired.lock()) {
          var done = Backups.forPlan(
                  p,
                  root.reconciliation().providers(),
                  root.reconciliation().hosts(),
                  Clock.systemUTC())
              .restore(manifest, p.observed(), runtime, both || volumes, both || databases);
          view.restored(manifest, done);
          return ExitCodes.OK;
        } catch (Backups.BackupFailed e) {
          view.failed("restoring " + manifest.id() + " failed", Texts.messageOf(e));
          return ExitCodes.ERROR;
        }
      }
    }
  }
}
