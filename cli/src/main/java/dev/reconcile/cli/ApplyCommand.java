package dev.reconcile.cli;

import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.deploy.SavedPlans;
import dev.reconcile.desired.Selection;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Plan;
import dev.reconcile.plan.json.PlanFormatException;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.rollback.Hold;
import dev.reconcile.util.Texts;
import dev.reconcile.validate.SpecValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Makes the hosts match projects.yml, with zero-downtime replacement and automatic rollback. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Make the hosts match projects.yml: what 'reconcile plan' shows, done.",
      "",
      "First pre-flight: free disk, nginx -t of what is installed, a value for",
      "every variable, every image on its host (pulled from platform.registry",
      "when it holds it). Any problem stops the apply before anything changes.",
      "",
      "Per project environment: volumes first; each new or changed container",
      "starts beside the old one on a new loopback port, must become healthy",
      "and pass its smoke checks at its own port; then the site is rendered,",
      "judged by nginx -t (never installed if refused), installed atomically",
      "and reloaded; once nginx serves it, smoke checks run again through",
      "nginx for a short bake; the old container drains and is removed. A",
      "failure before the switch removes what was started; after it, the",
      "previous site comes back. Another environment's failure never stops",
      "the rest.",
      "",
      "Environments held at a snapshot by 'reconcile rollback' are left alone",
      "until --release is given. Projects and environments taken out of",
      "projects.yml are removed (site, containers, services, networks) by an",
      "apply that selects them (no --project, or --project NAME: a name with a",
      "history here is accepted); their volumes and history stay.",
      "",
      "Shows the plan and asks on a terminal; elsewhere it needs --yes or a",
      "saved plan file. A saved plan runs exactly its reviewed changes, for the",
      "projects and with the options it was made with, and is refused when",
      "stale (projects.yml or the hosts changed since it was made).",
      "",
      "SIGTERM or Ctrl-C stops at the next step and rolls back what this apply",
      "started (a second one ends it at once). An apply that died (kill -9, a",
      "power cut) is recorded by the next one as an 'interrupted' snapshot;",
      "plan sees what nginx really serves, so nothing half done goes unseen."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile apply                          # plan, confirm, apply",
      "  reconcile apply --yes --project shop",
      "  reconcile plan --out plan.json && reconcile apply plan.json",
      "  reconcile apply --yes --lock-timeout 5m  # from CI: wait for another run",
      "",
      "Exit codes: 0 applied or nothing to do; 1 error, refused or failed",
      "(and rolled back); 3 an environment is locked by another run (who,",
      "from where, running what, since when: in the message)."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "PLAN.json",
      description = "A plan saved by 'reconcile plan --out'; applied only if still current.")
  Path planFile;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = "--release",
      description = "Release the holds a rollback put on the selected environments, so this apply "
          + "brings them back to projects.yml.")
  boolean release;

  @Option(
      names = "--force",
      description = "Go on although pre-flight checks fail (missing variables or images, low disk, "
          + "invalid nginx config). Loudly; for emergencies.")
  boolean force;

  @Option(
      names = "--skip-backup",
      description = "Deploy even where the backup taken before the deploy (backup.before_deploy) "
          + "fails. Loudly; the snapshot then names no backup.")
  boolean skipBackup;

  @Option(
      names = "--bake",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "Smoke checks through nginx after the switch, for this long, while the previous site can "
              + "still be put back (default: ${DEFAULT-VALUE}). A first deploy of a site is checked once.")
  Duration bake;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description =
          "Old containers keep running this long after the switch (default: ${DEFAULT-VALUE}).")
  Duration drain;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "When another run holds the lock of an environment to change, wait up to this long for it "
              + "(e.g. 5m), then plan again and apply; by default exit 3 at once, naming the holder.")
  Duration lockTimeout;

  @Override
  public Integer call() throws InterruptedException {
    var terminal = root.terminal();
    var view = new ApplyView(terminal);
    if (release) {
      releaseHolds(terminal);
    }
    // A locked environment changed nothing: once its lock is free, what runs may differ, so plan
    // anew.
    var started = System.nanoTime();
    while (true) {
      var code = attempt(terminal, view);
      var held = view.lastHeld();
      if (code != ExitCodes.LOCKED || lockTimeout.isZero() || held.isEmpty()) {
        return code;
      }
      var left = lockTimeout.minusNanos(System.nanoTime() - started);
      if (left.isNegative() || left.isZero()) {
        view.lockTimedOut(held.get().environment(), lockTimeout);
        return code;
      }
      view.waitingForLock(held.get().environment(), left);
      while (EnvironmentLock.isHeld(held.get().home(), held.get().environment())) {
        if (System.nanoTime() - started >= lockTimeout.toNanos()) {
          view.lockTimedOut(held.get().environment(), lockTimeout);
          return code;
        }
        Thread.sleep(LOCK_POLL.toMillis());
      }
    }
  }

  /** How often {@code --lock-timeout} looks whether the lock was released. */
  private static final Duration LOCK_POLL = Duration.ofMillis(500);

  private int attempt(Terminal terminal, ApplyView view) throws InterruptedException {
    var reconciliation = root.reconciliation();
    var request = new SelectionRequest(selection.projects, selection.environments, true);
    var options = DiffOptions.DEFAULT;
    Plan saved = null;
    if (planFile != null) {
      var read = readSaved(view);
      if (read.isEmpty()) {
        return ExitCodes.ERROR;
      }
      saved = read.get();
      var typed = request.selection();
      if (!typed.equals(Selection.ALL) && !typed.equals(saved.selection())) {
        view.unreadablePlan(
            planFile.toString(),
            "it was made for " + describe(saved.selection())
                + ", not " + describe(typed) + "; a saved plan is applied to what it was made for "
                + "(drop --project and --env, or make a new plan)");
        return ExitCodes.ERROR;
      }
      // Planned again exactly as it was made, to check it is current: then its own changes run.
      request = new SelectionRequest(
          saved.selection().projects().stream().sorted().toList(),
          saved.selection().environments().stream().sorted().toList(),
          true);
      options = saved.options();
    }
    var outcome = reconciliation.plan(
        root.global().specPath(), root.global().specShownAs(), request, options);
    DiagnosticsView.of(Output.text, terminal)
        .report(root.global().specShownAs(), outcome.diagnostics());
    if (!(outcome instanceof Reconciliation.Outcome.Planned planned)) {
      if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return ExitCodes.ERROR;
    }
    if (saved != null) {
      var refusal = staleness(planned, saved, view);
      if (refusal.isPresent()) {
        return refusal.get();
      }
      // Same digests: the fresh plan's resources are the ones the saved changes were made from.
      planned =
          planned.withPlan(saved.withHolds(planned.plan().holds()).carryingFrom(planned.plan()));
    }
    var plan = planned.plan();
    if (!planned.unreachable().isEmpty()) {
      new PlanView(terminal, PlanView.Format.text)
          .unreachable(planned.unreachable(), planned.leftOut());
    }
    var code = applyReachable(planned, plan, terminal, view);
    // Not everything declared was applied: a server was not reached.
    return planned.unreachable().isEmpty() || code != ExitCodes.OK ? code : ExitCodes.ERROR;
  }

  private int applyReachable(
      Reconciliation.Outcome.Planned planned, Plan plan, Terminal terminal, ApplyView view)
      throws InterruptedException {
    if (!plan.hasChanges()) {
      var layout = planned.layout();
      if (layout.unsettled()) {
        // An apply with nothing to change still moves a checkout's state to its server, as
        // promised.
        try {
          view.stateSettled(
              layout.home().describe(layout.home().dir()), layout.settle().moved());
        } catch (IOException | UncheckedIOException e) {
          view.preflightFailed(List.of("cannot make the state on "
              + layout.home().describe(layout.home().dir()) + ": " + e.getMessage()));
          return ExitCodes.ERROR;
        }
      }
      // An apply that died after its last change but before its snapshot: record what runs.
      if (!Rollout.unfinished(planned).isEmpty()) {
        return new Rollout(root, view, new ApplySettings(bake, drain), force, skipBackup)
            .run(planned, "apply");
      }
      var held = plan.holds().stream()
          .filter(h -> !h.heldBack().isEmpty())
          .map(h -> h.environment() + " (snapshot #" + h.serial() + ")")
          .toList();
      if (held.isEmpty()) {
        view.nothingToDo();
      } else {
        view.nothingToDoHeld(held);
      }
      return ExitCodes.OK;
    }
    var planView = new PlanView(terminal, PlanView.Format.text);
    if (planFile != null && plan.problems().isEmpty()) {
      planView.reviewed(planFile.toString(), plan);
    } else {
      planView.plan(plan);
    }
    planView.byHost(planned.changesByHost());
    if (!plan.problems().isEmpty()) {
      planView.problems(plan);
      return ExitCodes.ERROR;
    }
    if (planFile == null
        && !yes
        && !Rollout.confirmed(
            terminal,
            view,
            "reconcile apply --yes"
                + selection.projects.stream()
                    .map(p -> " --project " + p)
                    .collect(Collectors.joining())
                + selection.environments.stream()
                    .map(e -> " --env " + e)
                    .collect(Collectors.joining()))) {
      return ExitCodes.ERROR;
    }
    return new Rollout(root, view, new ApplySettings(bake, drain), force, skipBackup)
        .run(planned, "apply");
  }

  private void releaseHolds(Terminal terminal) {
    // Quietly: the plan that follows reports the spec's problems once.
    var loaded = SpecValidator.standard()
        .validate(root.global().specPath(), root.global().specShownAs())
        .spec();
    if (loaded.isEmpty()) {
      return;
    }
    var spec = loaded.get();
    var layout = root.layout(spec);
    if (layout.isEmpty()) {
      return;
    }
    var home = layout.get().home();
    for (var project : spec.projects().values()) {
      for (var environment : project.environmentNames()) {
        if (selection.includes(project.name(), environment)) {
          try {
            if (Hold.release(home, project.name(), environment)) {
              terminal
                  .out()
                  .println("Released the hold on " + project.name() + "/" + environment + ".");
            }
          } catch (IOException e) {
            terminal
                .err()
                .println("reconcile: cannot release the hold on " + project.name() + "/"
                    + environment + ": " + e.getMessage());
          }
        }
      }
    }
  }

  private static String describe(Selection s) {
    return (s.projects().isEmpty()
            ? "every project"
            : "--project " + String.join(",", new TreeSet<>(s.projects())))
        + (s.environments().isEmpty()
            ? ""
            : " --env " + String.join(",", new TreeSet<>(s.environments())));
  }

  private Optional<Plan> readSaved(ApplyView view) {
    try {
      return Optional.of(PlanJson.read(Files.readString(planFile)));
    } catch (IOException e) {
      view.unreadablePlan(planFile.toString(), "cannot read it: " + e.getMessage());
    } catch (PlanFormatException e) {
      view.unreadablePlan(planFile.toString(), Texts.messageOf(e));
    }
    return Optional.empty();
  }

  private Optional<Integer> staleness(
      Reconciliation.Outcome.Planned planned, Plan saved, ApplyView view) {
    try {
      var stale = SavedPlans.staleness(planned, saved, planFile.toString());
      stale.ifPresent(view::stale);
      return stale.map(reason -> ExitCodes.ERROR);
    } catch (IOException e) {
      view.unreadablePlan(planFile.toString(), "cannot read the history: " + e.getMessage());
      return Optional.of(ExitCodes.ERROR);
    }
  }
}
