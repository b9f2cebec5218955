package dev.reconcile.cli;

import dev.reconcile.backup.Backups;
import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.BackupView;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.desired.Variables;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.history.BackupManifest;
import dev.reconcile.history.Snapshot;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ContainerRuntime;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.rollback.Hold;
import dev.reconcile.rollback.SnapshotState;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Puts a project environment back to a snapshot, with no downtime, and holds it there. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Put one project environment back to a snapshot of an earlier apply.",
      "",
      "Re-applies the snapshot's whole state through the same zero-downtime",
      "path as apply: each container by image id (so it works after the tag",
      "moved), with env as it was written (values come from the environment",
      "now: secrets are never stored), and the site's routes. Then the",
      "environment is held there: 'reconcile plan' shows the hold and what it",
      "holds back, and 'reconcile apply' leaves it alone until it is given",
      "--release, so the next apply cannot undo the rollback by accident."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile history --project shop --env production",
      "  reconcile rollback --project shop --env production          # the apply before the last",
      "  reconcile rollback --project shop --env production --to 12 --yes",
      "",
      "Exit codes: 0 rolled back; 1 error, refused or failed (and undone); 3 locked."
    })
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Option(names = "--project", required = true, paramLabel = "NAME")
  String project;

  @Option(names = "--env", required = true, paramLabel = "NAME")
  String environment;

  @Option(
      names = "--to",
      paramLabel = "SERIAL",
      description = "The snapshot to go back to (see 'reconcile history'). Default: the last "
          + "successful apply before the newest one.")
  Integer to;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = "--restore-data",
      description =
          "Also put the volumes and databases back as they were before the deploy that replaced the "
              + "snapshot: from the backup taken before that deploy (see 'reconcile history'). Data "
              + "written since is backed up first, as before any deploy.")
  boolean restoreData;

  @Override
  public Integer call() throws IOException, InterruptedException {
    var terminal = root.terminal();
    var view = new ApplyView(terminal);
    var reconciliation = root.reconciliation();
    var base = reconciliation.plan(
        root.global().specPath(),
        root.global().specShownAs(),
        new SelectionRequest(List.of(project), List.of(environment)),
        DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, terminal)
        .report(root.global().specShownAs(), base.diagnostics());
    if (!(base instanceof Reconciliation.Outcome.Planned planned)) {
      if (base instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return ExitCodes.ERROR;
    }
    var store = planned.layout().snapshots(planned.spec().platform().history());
    var target = target(store.list(project, environment));
    if (target.isEmpty()) {
      terminal
          .err()
          .println("reconcile: no snapshot of " + project + "/" + environment
              + (to == null
                  ? " to roll back to (it needs two successful applies)"
                  : " with serial " + to)
              + "; see 'reconcile history'.");
      return ExitCodes.ERROR;
    }
    Optional<BackupManifest> data = Optional.empty();
    if (restoreData) {
      var backupId = store.list(project, environment).stream()
          .filter(s -> s.serial() > target.get().serial())
          .flatMap(s -> s.backupId().stream())
          .findFirst();
      var backups = new Backups(
          planned.spec(), planned.layout(), null, root.reconciliation().hosts(), Clock.systemUTC());
      data = backupId.isEmpty() ? Optional.empty() : backups.find(backupId.get());
      if (data.isEmpty()) {
        terminal
            .err()
            .println(
                "reconcile: no backup of " + project + "/" + environment + " was taken before the "
                    + "deploy that replaced snapshot #" + target.get().serial()
                    + backupId.map(id -> " (" + id + " is gone)").orElse("")
                    + ": nothing was changed. Roll back without --restore-data, or restore an "
                    + "older backup with 'reconcile backup restore'.");
        return ExitCodes.ERROR;
      }
    }
    Reconciliation.Outcome rolled;
    try {
      var variables = Variables.fromFiles(planned.layout().specDir(), root.env())
          .withSecrets(planned.layout().secrets());
      var snapshot = target.get();
      rolled = reconciliation.planTowards(
          planned,
          images -> SnapshotState.of(snapshot, planned.spec(), variables, images),
          DiffOptions.DEFAULT);
    } catch (SnapshotState.Refused e) {
      terminal
          .err()
          .println(
              "reconcile: cannot roll back to #" + target.get().serial() + ": " + e.getMessage());
      return ExitCodes.ERROR;
    }
    if (!(rolled instanceof Reconciliation.Outcome.Planned towards)) {
      new PlanView(terminal, PlanView.Format.text)
          .unobservable(((Reconciliation.Outcome.Unobservable) rolled).fault());
      return ExitCodes.ERROR;
    }
    terminal
        .out()
        .println("Rolling " + project + "/" + environment + " back to snapshot #"
            + target.get().serial() + " (" + target.get().time() + "):");
    var code = ExitCodes.OK;
    if (towards.plan().hasChanges()) {
      new PlanView(terminal, PlanView.Format.text).plan(towards.plan());
      if (!yes
          && !Rollout.confirmed(
              terminal,
              view,
              "reconcile rollback --project " + project + " --env " + environment
                  + (to == null ? "" : " --to " + to) + " --yes")) {
        return ExitCodes.ERROR;
      }
      // The hold is written first: should this process die half way, the environment stays held at
      // the target, and the next apply (which plans held environments towards their snapshot)
      // finishes the rollback instead of undoing it.
      var home = planned.layout().home();
      var before = Hold.read(home, project, environment);
      hold(target.get()).save(home);
      code = new Rollout(root, view, ApplySettings.DEFAULT.withoutReleases(), false)
          .run(towards, "rollback to #" + target.get().serial());
      if (code != ExitCodes.OK) {
        if (before.isPresent()) {
          before.get().save(home);
        } else {
          Hold.release(home, project, environment);
        }
      }
    } else {
      terminal.out().println("Already at that state.");
      hold(target.get()).save(planned.layout().home());
    }
    if (code == ExitCodes.OK && data.isPresent()) {
      code = restore(planned, data.get(), view);
    }
    if (code == ExitCodes.OK) {
      terminal
          .out()
          .println("Held " + project + "/" + environment + " at snapshot #"
              + target.get().serial()
              + ": 'reconcile apply' leaves it alone until 'reconcile apply --release --project "
              + project
              + " --env " + environment + "'.");
    }
    return code;
  }

  /** Puts the backup's volumes and databases back into the environment as it runs after the rollback. */
  private int restore(
      Reconciliation.Outcome.Planned planned, BackupManifest backup, ApplyView view) {
    var backupView = new BackupView(root.terminal(), Output.text);
    try {
      var now = root.reconciliation().observeAgain(planned);
      var runtime = Capabilities.find(root.reconciliation().providers(), ContainerRuntime.class)
          .orElseThrow();
      var done = Backups.forPlan(
              planned,
              root.reconciliation().providers(),
              root.reconciliation().hosts(),
              Clock.systemUTC())
          .restore(backup, now, runtime, true, true);
      backupView.restored(backup, done);
      return ExitCodes.OK;
    } catch (ProviderException | Backups.BackupFailed e) {
      backupView.failed(
          "the rollback is done, but restoring its data from " + backup.id() + " failed",
          Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
  }

  private Hold hold(Snapshot target) {
    return new Hold(
        project,
        environment,
        target.serial(),
        System.getProperty("user.name", "unknown"),
        Instant.now().toString());
  }

  private Optional<Snapshot> target(List<Snapshot> snapshots) {
    if (to != null) {
      return snapshots.stream().filter(s -> s.serial() == to).findFirst();
    }
    var applied = snapshots.stream().filter(s -> s.result().equals("applied")).toList();
    return applied.size() < 2 ? Optional.empty() : Optional.of(applied.get(applied.size() - 2));
  }
}
