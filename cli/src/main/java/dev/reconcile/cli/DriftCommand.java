package dev.reconcile.cli;

import dev.reconcile.audit.Trail;
import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.DriftView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.deploy.Deployment;
import dev.reconcile.drift.DriftDetector;
import dev.reconcile.drift.DriftLedger;
import dev.reconcile.drift.EnvironmentStatus;
import dev.reconcile.drift.Healer;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Finds what changed on the servers outside reconcile, and what is declared and not applied. */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Find what changed outside reconcile since the last apply (drift), and what",
      "projects.yml declares and was not applied yet (pending). Changes nothing",
      "unless --heal.",
      "",
      "What runs is compared with each environment's latest snapshot (what the",
      "last apply, rollback or heal left): a container removed, stopped or",
      "recreated with another image, env, port or command, a slot left over, the",
      "site file edited or deleted, nginx down or serving another configuration, an",
      "unmanaged container on a managed name or port. projects.yml is compared with",
      "the same snapshot for pending changes. An environment whose lock is held (an",
      "apply runs) is not compared; a held one (rolled back) has no pending changes.",
      "Each finding keeps the time it was first seen (STATE/drift-seen.json).",
      "",
      "--heal puts drifted environments back to their latest snapshot through the",
      "normal apply: lock, backup, zero-downtime switch, a snapshot recorded as",
      "'heal'. Pending changes stay pending unless --include-pending."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile drift                                 # report, exit 2 if anything",
      "  reconcile drift --format json > drift.json      # for monitoring",
      "  reconcile drift --heal --yes                    # from cron: put drift back",
      "",
      "Exit codes: 0 in sync (or healed); 1 error; 2 drift or pending found; 3 a lock is",
      "held (--heal)."
    })
final class DriftCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text, json (see 'reconcile schema drift') or markdown. Default: ${DEFAULT-VALUE}.")
  DriftView.Format format = DriftView.Format.text;

  @Option(names = "--heal", description = "Put drifted environments back to their latest snapshot.")
  boolean heal;

  @Option(
      names = "--include-pending",
      description = "--heal: also apply what projects.yml declares.")
  boolean includePending;

  @Option(names = "--yes", description = "--heal: do not ask.")
  boolean yes;

  @Override
  public Integer call() throws InterruptedException {
    var global = root.global();
    var terminal = root.terminal();
    var outcome = root.reconciliation()
        .plan(
            global.specPath(),
            global.specShownAs(),
            new SelectionRequest(selection.projects, selection.environments),
            DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, terminal).report(global.specShownAs(), outcome.diagnostics());
    var view = new DriftView(terminal, format);
    if (!(outcome instanceof Reconciliation.Outcome.Planned planned)) {
      if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return ExitCodes.ERROR;
    }
    DriftLedger.Stamped stamped;
    try {
      var report = new DriftDetector(root.env(), root.reconciliation().providers()).detect(planned);
      stamped = new DriftLedger(planned.layout().home())
          .stamp(report, Clock.systemUTC().instant());
    } catch (IOException e) {
      view.failed("cannot compare with the history", Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
    var report = stamped.report();
    view.report(
        report,
        !heal
            ? DriftView.Fixing.NOTHING
            : includePending ? DriftView.Fixing.DRIFT_AND_PENDING : DriftView.Fixing.DRIFT);
    stamped.notKept().ifPresent(view::warning);
    var trail = Rollout.trail(planned, root.caller());
    try {
      return act(planned, stamped, view, trail);
    } finally {
      trail.flush(Rollout.WEBHOOK_WAIT);
    }
  }

  private int act(
      Reconciliation.Outcome.Planned planned,
      DriftLedger.Stamped stamped,
      DriftView view,
      Trail trail)
      throws InterruptedException {
    var terminal = root.terminal();
    var report = stamped.report();
    stamped.announce(trail, Clock.systemUTC().instant());
    var unreachable = report.environments().stream()
        .anyMatch(e -> e.state() == EnvironmentStatus.State.UNREACHABLE);
    if (!heal) {
      return unreachable ? ExitCodes.ERROR : report.inSync() ? ExitCodes.OK : ExitCodes.CHANGES;
    }
    if (report.drifted().isEmpty() && (!includePending || report.pending().isEmpty())) {
      view.nothingToHeal();
      return report.inSync() ? ExitCodes.OK : ExitCodes.CHANGES;
    }
    var applyView = new ApplyView(terminal);
    if (!yes
        && !Rollout.confirmed(
            terminal,
            applyView,
            "reconcile drift --heal" + (includePending ? " --include-pending" : "") + " --yes")) {
      return ExitCodes.ERROR;
    }
    var cancellation = new Cancellation();
    try (var signals = root.caller().interrupts().cancelOn(cancellation, applyView::signalled)) {
      var healed = new Healer(root.reconciliation(), root.env(), Clock.systemUTC(), trail)
          .heal(planned, report, includePending, ApplySettings.DEFAULT, applyView, cancellation);
      view.healed(healed);
      if (healed.stream().anyMatch(h -> h.result() == Deployment.Result.LOCKED)) {
        return ExitCodes.LOCKED;
      }
      var allHealed = healed.stream().allMatch(h -> h.result() == Deployment.Result.APPLIED);
      if (!allHealed) {
        return ExitCodes.ERROR;
      }
      // What was healed is in sync; pending changes left alone still count.
      return !includePending && !report.pending().isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
    } catch (IOException e) {
      view.failed("cannot heal", Texts.messageOf(e));
      return ExitCodes.ERROR;
    }
  }
}
