package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.LogsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.console.Consoles;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The project environment a console command is about: the spec read, its environment chosen
 * (--env, or the only one), and what runs there observed. Empty after saying why not.
 */
record AppTarget(
    Consoles consoles, String project, String environment, Reconciliation.Outcome.Planned planned) {

  static Optional<AppTarget> of(ReconcileCommand root, String project, Optional<String> env) {
    var terminal = root.terminal();
    var spec = root.validSpec();
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    String environment;
    try {
      environment = Consoles.environment(spec.get(), project, env);
    } catch (Consoles.Refused e) {
      new LogsView(terminal).refused(Texts.messageOf(e));
      return Optional.empty();
    }
    var outcome = root.reconciliation()
        .plan(
            root.global().specPath(),
            root.global().specShownAs(),
            new SelectionRequest(List.of(project), List.of(environment)),
            DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, terminal)
        .report(root.global().specShownAs(), outcome.diagnostics());
    if (!(outcome instanceof Reconciliation.Outcome.Planned planned)) {
      if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return Optional.empty();
    }
    return Optional.of(
        new AppTarget(new Consoles(root.reconciliation(), planned), project, environment, planned));
  }

  /** Whether this process's standard input is a terminal (a person typing): then the command gets one too. */
  static boolean stdinIsTerminal() {
    try {
      var test = new ProcessBuilder("test", "-t", "0")
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .start();
      return test.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
