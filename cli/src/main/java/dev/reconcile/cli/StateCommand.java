package dev.reconcile.cli;

import dev.reconcile.lock.EnvironmentLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Where the fleet's state lives, and moving an earlier version's state there. */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description = {
      "Show where the state of projects.yml lives, or move it there.",
      "",
      "The owner id, secret key, history, locks, journal, holds, drift times and",
      "audit log live with the fleet: on the first server over SSH in",
      "platform.hosts (its state_dir), so every checkout, CI runner and cron job",
      "that reaches the server sees the same; beside projects.yml",
      "(platform.state_dir) while the fleet has only this machine's engines.",
      "",
      "  reconcile state            where it lives, and whether it is made yet",
      "  reconcile state migrate    move the state an earlier version kept beside",
      "                             projects.yml to the server (the first apply",
      "                             does it too); refused while an apply runs"
    },
    footer = {"", "Exit codes: 0 done; 1 error; 3 an environment's lock is held."})
final class StateCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "ACTION",
      defaultValue = "show",
      description = "show (default) or migrate.")
  String action;

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    if (!action.equals("show") && !action.equals("migrate")) {
      terminal
          .err()
          .println("reconcile: state " + action + ": unknown action; use 'show' or 'migrate'");
      return ExitCodes.ERROR;
    }
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var found = root.layout(loaded.get());
    if (found.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = found.get();
    var home = layout.home();
    var where = home.describe(home.dir());
    if (action.equals("show")) {
      terminal
          .out()
          .println("State: " + where
              + (layout.unsettled() ? " (not made yet: the first apply makes it)" : ""));
      terminal
          .out()
          .println("Owner id: " + layout.owner() + (layout.unsettled() ? " (to be written)" : ""));
      return ExitCodes.OK;
    }
    if (home.onThisMachine()) {
      terminal
          .out()
          .println("Nothing to move: every project runs on this machine, and the state lives in "
              + where + ".");
      return ExitCodes.OK;
    }
    if (!layout.unsettled()) {
      terminal.out().println("Nothing to move: the state already lives in " + where + ".");
      return ExitCodes.OK;
    }
    for (var project : loaded.get().projects().values()) {
      for (var environment : project.environmentNames()) {
        var key = project.name() + "/" + environment;
        if (EnvironmentLock.isHeld(layout.stateDir(), key)) {
          terminal
              .err()
              .println("reconcile: " + key + " is locked by an apply from this checkout; "
                  + "nothing was moved: run again once it has ended");
          return ExitCodes.LOCKED;
        }
      }
    }
    try {
      var moved = layout.settle().moved();
      terminal
          .out()
          .println(
              moved.isEmpty()
                  ? "Made the state in " + where + " (this checkout held none)."
                  : "Moved to " + where + ": " + String.join(", ", moved) + ".");
      return ExitCodes.OK;
    } catch (IOException | UncheckedIOException e) {
      terminal
          .err()
          .println("reconcile: cannot move the state to " + where + ": " + e.getMessage()
              + " (the checkout's files are untouched; run again)");
      return ExitCodes.ERROR;
    }
  }
}
