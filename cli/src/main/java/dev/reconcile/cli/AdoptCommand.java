package dev.reconcile.cli;

import dev.reconcile.cli.view.ApplyView;
import dev.reconcile.deploy.AdoptionUndoRun;
import dev.reconcile.desired.DesiredAdoption;
import dev.reconcile.execute.ApplySettings;
import dev.reconcile.execute.Cancellation;
import dev.reconcile.observed.ObservedAdoption;
import dev.reconcile.resource.ResourceId;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Shows or undoes what an environment took over from before reconcile. */
@Command(
    name = "adopt",
    mixinStandardHelpOptions = true,
    description = {
      "Show what an environment took over from compose, or put it back (--undo).",
      "",
      "An environment with 'adopt: { compose: PROJECT }' (or containers, or a",
      "site file) takes those over at its first apply: reconcile's containers",
      "start beside them, the front door switches, then they are stopped and",
      "kept. Without --undo this lists them and whether they run.",
      "",
      "--undo puts them back: reconcile's containers on a volume taken over stop;",
      "the ones the apply stopped start again (writers of the data first, each",
      "until healthy); the site file taken over goes back and reconcile's site",
      "goes, judged by nginx -t, then nginx reloads; reconcile's other containers",
      "stop. reconcile's containers are kept. To stay on compose, then remove the",
      "project (or its adopt) from projects.yml.",
      "",
      "Examples:",
      "  reconcile adopt shop --env production",
      "  reconcile adopt shop --env production --undo --yes"
    },
    footer = {"", "Exit codes: 0 done (or shown); 1 error; 3 the environment lock is held."})
final class AdoptCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  InEnvironment where = new InEnvironment();

  @Option(names = "--undo", description = "Put back what the environment took over.")
  boolean undo;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed off a terminal).")
  boolean yes;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long the front door's old workers may finish requests to reconcile's"
          + " containers before the last of them stop (default: ${DEFAULT-VALUE}).",
      defaultValue = "2s")
  Duration drain;

  @Override
  public Integer call() throws IOException, InterruptedException {
    return where.run(root, target -> {
      var view = new ApplyView(root.terminal());
      var id = ResourceId.adoption(target.project(), target.environment());
      var change = target.planned().plan().changes().stream()
          .filter(c -> c.id().equals(id))
          .findFirst();
      var declared = change
          .flatMap(c -> c.declared())
          .filter(DesiredAdoption.class::isInstance)
          .map(DesiredAdoption.class::cast);
      var key = id.environmentKey();
      if (declared.isEmpty()) {
        root.terminal()
            .err()
            .println("reconcile: " + key + " takes nothing over: projects.yml declares no"
                + " adopt.compose, adopt.containers or adopt.site for it.");
        return ExitCodes.ERROR;
      }
      if (!undo) {
        var found = change
            .flatMap(c -> c.found(ObservedAdoption.class))
            .map(ObservedAdoption::containers)
            .orElse(java.util.List.of());
        view.adoption(
            key,
            declared.get().describe(),
            found.stream()
                .map(l -> l.name() + (l.running() ? ": runs" : ": stopped (kept)"))
                .toList(),
            declared.get().site().map(s -> "site file " + s));
        return ExitCodes.OK;
      }
      if (!yes) {
        var command = "reconcile adopt " + target.project() + " --env " + target.environment()
            + " --undo --yes";
        if (!Confirmation.possible(root.terminal())) {
          view.needsConfirmation(command);
          return ExitCodes.ERROR;
        }
        if (!Confirmation.ask("Put " + declared.get().describe() + " back in place of reconcile's"
            + " containers of " + key + "?")) {
          view.declined();
          return ExitCodes.ERROR;
        }
      }
      var cancellation = new Cancellation();
      try (var signals = Signals.cancelOn(cancellation, view::signalled)) {
        return switch (AdoptionUndoRun.run(
            root.reconciliation(),
            target.planned(),
            id,
            new ApplySettings(Duration.ZERO, drain),
            System.getenv(),
            cancellation,
            view,
            Clock.systemUTC())) {
          case AdoptionUndoRun.Ended.Done done -> {
            view.adoptionUndone(key, done.result());
            yield done.result().failure().isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
          }
          case AdoptionUndoRun.Ended.Locked locked -> {
            view.held(locked.held());
            yield ExitCodes.LOCKED;
          }
          case AdoptionUndoRun.Ended.Unreachable u -> throw u.fault();
        };
      }
    });
  }
}
