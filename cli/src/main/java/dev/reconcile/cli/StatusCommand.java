package dev.reconcile.cli;

import dev.reconcile.cli.view.DiagnosticsView;
import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.PlanView;
import dev.reconcile.cli.view.StatusView;
import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.desired.DesiredCertificate;
import dev.reconcile.engine.FrontDoors;
import dev.reconcile.engine.Reconciliation;
import dev.reconcile.engine.SelectionRequest;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.observed.ObservedCertificate;
import dev.reconcile.observed.ObservedContainer;
import dev.reconcile.observed.ObservedService;
import dev.reconcile.observed.ObservedSite;
import dev.reconcile.plan.DiffOptions;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.rollback.Hold;
import dev.reconcile.store.ApplyJournal;
import dev.reconcile.store.RestoreJournal;
import dev.reconcile.traffic.AccessLogs;
import dev.reconcile.traffic.Traffic;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What runs where, healthy or not, and which snapshot it is; {@link StatusView} says it. */
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
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var outcome = root.reconciliation()
        .plan(
            root.global().specPath(),
            root.global().specShownAs(),
            new SelectionRequest(selection.projects, selection.environments),
            DiffOptions.DEFAULT);
    DiagnosticsView.of(Output.text, terminal)
        .report(root.global().specShownAs(), outcome.diagnostics());
    if (!(outcome instanceof Reconciliation.Outcome.Planned planned)) {
      if (outcome instanceof Reconciliation.Outcome.Unobservable u) {
        new PlanView(terminal, PlanView.Format.text).unobservable(u.fault());
      }
      return ExitCodes.ERROR;
    }
    var store = planned.layout().snapshots(planned.spec().platform().history());
    var journal = new ApplyJournal(planned.layout().home());
    var view = new StatusView(terminal);
    var doors = new FrontDoors(
        planned.spec().platform(), planned.layout(), root.reconciliation().hosts());
    var sites = Capabilities.find(root.reconciliation().providers(), SiteControl.class);
    var now = Instant.now();
    for (var project : planned.spec().projects().values()) {
      for (var environment : project.environmentNames()) {
        if (!planned.desired().selection().includes(project.name(), environment)) {
          continue;
        }
        var key = project.name() + "/" + environment;
        var pending = planned.plan().changes().stream()
            .filter(c -> c.action().isChange() && c.id().environmentKey().equals(key))
            .count();
        var certificate = ResourceId.certificate(project.name(), environment);
        var site = ResourceId.site(project.name(), environment);
        var traffic = Optional.<Traffic>empty();
        if (planned.observed().get(site).isPresent()) {
          try {
            var door = doors.of(planned.spec().platform().hostOf(project));
            // Reading the log is the moment to keep it small.
            sites
                .flatMap(s -> AccessLogs.keepSmall(door, s, List.of(site)))
                .ifPresent(problem -> terminal.err().println("reconcile: " + problem));
            traffic = AccessLogs.recent(door, site, now);
          } catch (ProviderException e) {
            // The traffic line is left out; the rest of the status stands.
          }
        }
        view.environment(new StatusView.Environment(
            key,
            pending,
            store.latest(project.name(), environment),
            Hold.read(planned.layout().home(), project.name(), environment),
            planned
                .observed()
                .all(ObservedContainer.class)
                .filter(c -> c.id().environmentKey().equals(key))
                .toList(),
            planned
                .observed()
                .all(ObservedService.class)
                .filter(c -> c.id().environmentKey().equals(key))
                .toList(),
            planned
                .observed()
                .get(ResourceId.site(project.name(), environment))
                .map(ObservedSite.class::cast),
            planned.observed().get(certificate).map(ObservedCertificate.class::cast),
            planned.desired().get(certificate).map(DesiredCertificate.class::cast),
            // An entry whose process still holds the lock is under way, not interrupted.
            journal
                .unfinished(key)
                .map(u -> EnvironmentLock.isHeld(planned.layout().home(), key)
                    ? u.describe() + " is under way"
                    : u.describe() + " ended before it finished; the next apply records"
                        + " what runs and finishes it, or 'reconcile rollback' undoes it"),
            traffic,
            new RestoreJournal(planned.layout().home()).unfinished(key).map(r -> r.describe(key)),
            adopted(planned, ResourceId.adoption(project.name(), environment))));
      }
    }
    // What the plan would remove of environments taken out of the spec (unscoped runs plan them).
    var undeclared = planned.plan().changes().stream()
        .filter(c -> c.action().isChange())
        .filter(c -> !planned.spec().declares(c.id().project(), c.id().environment()))
        .collect(java.util.stream.Collectors.groupingBy(
            c -> c.id().environmentKey(),
            java.util.TreeMap::new,
            java.util.stream.Collectors.counting()));
    undeclared.forEach(view::undeclared);
    if (planned.spec().projects().isEmpty() && undeclared.isEmpty()) {
      view.nothing(root.global().specShownAs());
    }
    return ExitCodes.OK;
  }

  private static Optional<StatusView.Adopted> adopted(
      Reconciliation.Outcome.Planned planned, ResourceId id) {
    return planned
        .desired()
        .get(id)
        .map(DesiredAdoption.class::cast)
        .map(d -> new StatusView.Adopted(
            d.describe(),
            planned
                .observed()
                .get(id)
                .map(ObservedAdoption.class::cast)
                .map(ObservedAdoption::containers)
                .orElse(List.of())));
  }
}
