package dev.reconcile.cli;

import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.rollback.Hold;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What runs where, healthy or not, and which snapshot it is. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show what runs for each project environment: every managed container",
      "with its image, loopback port and state (health when it has a check),",
      "whether its site is installed, its certificate's expiry, the last snapshot,",
      "any hold, and whether",
      "it matches projects.yml. Reads only."
    },
    footer = {"", "Exit codes: 0 shown; 1 error (bad spec, unreachable engine)."})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand ReconcileCommand root;

  @Mixin SelectionOptions selection = new SelectionOptions();

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var outcome = root.reconciliation().plan(root.global().specPath(), root.global().specShownAs(),
        new SelectionRequest(selection.projects, selection.environments), DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, terminal).report(root.global().specShownAs(), outcome.diagnostics());
    if (!(outcome instanceof Reconciliation.Outcome.Planned planned)) {
      if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return ExitCodes.ERROR;
    }
    var store = planned.layout().snapshots(planned.spec().platform().history());
    var journal = new dev.reconcile.store.ApplyJournal(planned.layout().stateDir());
    for (var project : planned.spec().projects().values()) {
      for (var environment : project.environmentNames()) {
        if (!planned.desired().selection().includes(project.name(), environment)) {
          continue;
        }
        var key = project.name() + "/" + environment;
        var pending = planned.plan().changes().stream()
            .filter(c -> c.action().isChange() && c.id().environmentKey().equals(key)).count();
        var latest = store.latest(project.name(), environment);
        var hold = Hold.read(planned.layout().stateDir(), project.name(), environment);
        terminal.out().println(terminal.bold(key) + "  "
            + (pending == 0 ? terminal.green("in sync") : terminal.yellow(pending + " change(s) pending"))
            + latest.map(s -> "  snapshot #" + s.serial() + " (" + s.result() + ", " + s.time() + ")").orElse("")
            + hold.map(h -> "  " + terminal.yellow("held at #" + h.serial())).orElse(""));
        planned.observed().all(ObservedContainer.class).filter(c -> c.id().environmentKey().equals(key))
            .forEach(c -> terminal.out().println("  " + c.name() + "  " + c.image()
                + c.hostPort().stream().mapToObj(p -> "  127.0.0.1:" + p).findFirst().orElse("")
                + "  " + c.health().orElse(c.state())));
        planned.observed().all(dev.reconcile.observed.ObservedService.class).filter(s -> s.id().environmentKey().equals(key))
            .forEach(s -> terminal.out().println("  " + s.name() + "  " + s.image() + "  service, " + s.running()
                + " of " + s.replicas() + " running" + (s.taskPorts().isEmpty() ? ""
                    : "  " + dev.reconcile.plan.SiteDiff.upstream(s.taskPorts()))
                + s.updateState().map(u -> "  last update " + u.replace('_', ' ')).orElse("")));
        var site = planned.observed().get(ResourceId.site(project.name(), environment)).map(ObservedSite.class::cast);
        terminal.out().println("  site: " + site.map(s -> s.path()
            + (s.editedOutside() ? " (edited outside reconcile)" : "")
            + (s.servesThisFile() ? "" : "; nginx: " + s.serving().describe())).orElse("not installed"));
        var certificateId = ResourceId.certificate(project.name(), environment);
        var certificate = planned.observed().get(certificateId).map(dev.reconcile.observed.ObservedCertificate.class::cast);
        var declared = planned.desired().get(certificateId).map(dev.reconcile.desired.DesiredCertificate.class::cast);
        if (certificate.isPresent()) {
          var c = certificate.get();
          var left = java.time.Duration.between(c.observedAt(), c.notAfter());
          var due = declared.map(d -> left.compareTo(d.renewBefore()) <= 0).orElse(false);
          var line = "certificate: " + String.join(", ", c.domains()) + ", expires "
              + c.notAfter().atZone(java.time.ZoneOffset.UTC).toLocalDate() + " (in " + left.toDays() + " days)";
          terminal.out().println("  " + (due ? terminal.yellow(line + ", inside its renewal window") : line));
        } else if (declared.isPresent()) {
          terminal.out().println("  certificate: not obtained yet");
        }
        journal.unfinished(key).ifPresent(entry -> terminal.out().println("  " + terminal.yellow(
            entry.describe() + " ended before it finished; the next apply records what runs")));
      }
    }
    return ExitCodes.OK;
  }
}
