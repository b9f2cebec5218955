package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.plan.Plan;
import dev.reconcile.plan.json.PlanJson;
import dev.reconcile.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Shows what apply would change, without changing anything. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show what 'reconcile apply' would change, and why. Changes nothing.",
      "",
      "Compares projects.yml with what really runs: the managed containers and",
      "volumes on each Docker host (found by their reconcile.* labels) and the",
      "site files of the nginx front door. Each change shows its reasons,",
      "and how it treats traffic. Secret values are never shown: an env value",
      "from $${VAR}, or under a name like *PASSWORD*, *SECRET*, *TOKEN* or",
      "*KEY*, appears as 'changed (value hidden)'.",
      "",
      "  +    create       ~    update (site)",
      "  -/+  replace      -    delete",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  reconcile plan                                  # everything",
      "  reconcile plan --project shop --env staging",
      "  reconcile plan --format markdown > plan.md      # for a pull request",
      "  reconcile plan --out plan.json                  # apply it later",
      "  reconcile plan --detailed-exitcode --fail-on-downtime   # a CI gate",
      "",
      "Exit codes: 0 success (with --detailed-exitcode: nothing would change);",
      "1 error: bad spec, a host that cannot be observed, a problem in the plan",
      "(a conflict), or downtime with --fail-on-downtime; 2 changes present",
      "(with --detailed-exitcode)."
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (for people), json (for tools; see 'reconcile schema plan'), or"
          + " markdown (for a pull-request comment). Default: ${DEFAULT-VALUE}.")
  PlanView.Format format = PlanView.Format.text;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also save the plan as JSON, for 'reconcile apply FILE'.")
  Path out;

  @Option(
      names = "--detailed-exitcode",
      description = "Exit 2 when something would change (0 when nothing would).")
  boolean detailedExitCode;

  @Option(
      names = "--fail-on-downtime",
      description = "Exit 1 when any change would interrupt traffic (a recreate, a removed site).")
  boolean failOnDowntime;

  @Option(
      names = "--delete-volumes",
      description = "Delete volumes no longer declared. Off by default: volumes hold data.")
  boolean deleteVolumes;

  @Override
  public Integer call() throws IOException {
    var global = root.global();
    var terminal = root.terminal();
    var outcome = root.reconciliation()
        .plan(
            global.specPath(),
            global.specShownAs(),
            new SelectionRequest(selection.projects, selection.environments, true),
            new DiffOptions(deleteVolumes));
    var diagnostics = DiagnosticsView.of(Output.text, terminal);
    diagnostics.report(global.specShownAs(), outcome.diagnostics());
    var view = new PlanView(terminal, format);
    return switch (outcome) {
      case Reconciliation.Outcome.Invalid invalid -> ExitCodes.ERROR;
      case Reconciliation.Outcome.Unobservable u -> {
        view.unobservable(u.fault());
        yield ExitCodes.ERROR;
      }
      case Reconciliation.Outcome.Planned planned -> {
        var plan = planned.plan();
        view.plan(plan);
        view.byHost(planned.changesByHost());
        if (!planned.unreachable().isEmpty()) {
          view.unreachable(planned.unreachable(), planned.leftOut());
        }
        if (out != null) {
          save(plan);
          view.saved(out.toString());
        }
        if (!plan.problems().isEmpty()) {
          view.problems(plan);
          yield ExitCodes.ERROR;
        }
        if (failOnDowntime && !plan.interruptions().isEmpty()) {
          view.downtime(plan);
          yield ExitCodes.ERROR;
        }
        if (!planned.unreachable().isEmpty()) {
          yield ExitCodes.ERROR;
        }
        yield detailedExitCode && plan.hasChanges() ? ExitCodes.CHANGES : ExitCodes.OK;
      }
    };
  }

  private void save(Plan plan) throws IOException {
    AtomicFiles.writeString(out.toAbsolutePath(), PlanJson.write(plan));
  }
}
