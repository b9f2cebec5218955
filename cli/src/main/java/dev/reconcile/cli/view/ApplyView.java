package dev.reconcile.cli.view;

import dev.reconcile.deploy.DeploymentListener;
import dev.reconcile.execute.AdoptionUndo;
import dev.reconcile.execute.Executor.EnvironmentResult;
import dev.reconcile.history.Snapshot;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.resource.ResourceId;
import dev.reconcile.store.ApplyJournal;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Progress and outcome of an apply, one line per step (quiet and greppable off a terminal). */
public final class ApplyView implements DeploymentListener {
  private final Terminal terminal;
  private final ProgressLine progress;
  private Optional<EnvironmentLock.Attempt.Held> lastHeld = Optional.empty();

  public ApplyView(Terminal terminal) {
    this.terminal = terminal;
    this.progress = ProgressLine.of(terminal);
  }

  @Override
  public synchronized void step(ResourceId id, String what) {
    progress.done(id);
    out().println("  " + terminal.dim(id.toString()) + ": " + what);
    out().flush();
    progress.draw();
  }

  @Override
  public synchronized void progress(ResourceId id, String what) {
    progress.update(id, what);
  }

  /** Standard output, once the progress line is out of the way. */
  private PrintStream out() {
    progress.clear();
    return terminal.out();
  }

  private PrintStream err() {
    progress.clear();
    return terminal.err();
  }

  public synchronized void nothingToDo() {
    out().println("Nothing to do: everything already matches projects.yml.");
  }

  /** @param command the command to run instead, with --yes */
  public synchronized void needsConfirmation(String command) {
    err()
        .println("reconcile: nothing was changed without a yes: not on a terminal, it cannot "
            + "ask. Run '" + command + "'"
            + (command.startsWith("reconcile apply")
                ? ", or apply a reviewed plan file ('reconcile plan --out plan.json', then "
                    + "'reconcile apply plan.json')"
                : "")
            + ".");
  }

  /** Nothing to do because every environment with changes is held by a rollback. */
  public synchronized void nothingToDoHeld(List<String> held) {
    out()
        .println("Nothing to do: " + String.join(", ", held) + " held at a snapshot by 'reconcile "
            + "rollback' (projects.yml differs there; 'reconcile apply --release' brings it back); "
            + "everything else matches projects.yml.");
  }

  public synchronized void declined() {
    err().println("Apply cancelled; nothing was changed.");
  }

  @Override
  public synchronized void preflightFailed(List<String> problems) {
    err().println("reconcile: " + terminal.red("pre-flight failed") + "; nothing was changed:");
    problems.forEach(p -> err().println("  " + p));
  }

  @Override
  public synchronized void preflightForced(List<String> problems) {
    err()
        .println(
            "reconcile: " + terminal.red("WARNING: pre-flight failed and --force goes on anyway:"));
    problems.forEach(p -> err().println("  " + p));
  }

  public synchronized void stale(String why) {
    err().println("reconcile: " + terminal.red("stale plan") + ": " + why);
    err().println("  hint: make a new plan ('reconcile plan --out FILE'), review it, apply that");
  }

  public synchronized void unreadablePlan(String file, String why) {
    err().println("reconcile: cannot use " + file + ": " + why);
  }

  @Override
  public synchronized void held(EnvironmentLock.Attempt.Held held) {
    lastHeld = Optional.of(held);
    err()
        .println("reconcile: " + held.environment() + " is locked by another run: "
            + held.holder()
                .map(EnvironmentLock.Holder::describe)
                .orElse("a running process (" + held.file() + ")"));
    err()
        .println(
            "  hint: wait for it to finish (--lock-timeout 5m waits for it); the lock is released when "
                + "its process ends, however it ends");
  }

  /** The lock this run found held last, if any: what {@code --lock-timeout} waits for. */
  public synchronized Optional<EnvironmentLock.Attempt.Held> lastHeld() {
    return lastHeld;
  }

  /** {@code --lock-timeout}: waiting for a lock, then planning again. */
  public synchronized void waitingForLock(String environment, Duration left) {
    err()
        .println("reconcile: waiting up to " + (left.toMillis() + 999) / 1000
            + " s for the lock of " + environment + " (--lock-timeout); then planning again");
  }

  /** {@code --lock-timeout} passed with the lock still held. */
  public synchronized void lockTimedOut(String environment, Duration waited) {
    err()
        .println("reconcile: " + environment + " was still locked after " + waited.toSeconds()
            + " s" + " (--lock-timeout); nothing was changed");
  }

  @Override
  public synchronized void stateSettled(String where, List<String> moved) {
    err()
        .println("reconcile: the fleet's state now lives in " + where
            + (moved.isEmpty()
                ? ""
                : "; moved there from this checkout: " + String.join(", ", moved)));
  }

  @Override
  public synchronized void tookOver(String environment, EnvironmentLock.Holder stale) {
    err()
        .println("reconcile: " + terminal.yellow("warning") + ": the last apply of " + environment
            + " ended without releasing its lock: " + stale.describe());
  }

  /** A SIGTERM or SIGINT arrived: said at once, before the rollback it starts. */
  public synchronized void signalled(String signal) {
    err()
        .println("reconcile: " + signal + ": stopping at the next step; what this apply started is "
            + "rolled back unless the new version already serves (send it again to end at once, "
            + "leaving things as they are)");
  }

  @Override
  public synchronized void recordedInterrupted(Snapshot snapshot, ApplyJournal.Entry entry) {
    err()
        .println("reconcile: " + terminal.yellow("warning") + ": " + entry.describe() + " in "
            + snapshot.project() + "/" + snapshot.environment()
            + " ended before it finished; recorded "
            + "what runs now as snapshot #" + snapshot.serial() + " (interrupted)");
  }

  @Override
  public synchronized void recorded(Snapshot snapshot) {
    out()
        .println("  snapshot " + snapshot.project() + "/" + snapshot.environment() + " #"
            + snapshot.serial() + " (" + snapshot.result() + ")");
  }

  @Override
  public synchronized void notRecorded(String why) {
    err().println("reconcile: " + terminal.red("the snapshot was not written") + ": " + why);
    err()
        .println("  what was applied stays; the next apply records what runs then (history is "
            + "behind until it does)");
  }

  /** @param cancelled the signal that stopped the apply, if one did */
  @Override
  public synchronized void results(List<EnvironmentResult> results, Optional<String> cancelled) {
    if (results.isEmpty()) {
      nothingToDo();
    }
    // With several hosts, each line says where: a failure on one server is read as that server's.
    var several = results.stream().map(EnvironmentResult::host).distinct().count() > 1;
    for (var result : results) {
      var where = several && !result.host().isEmpty() ? " on " + result.host() : "";
      switch (result) {
        case EnvironmentResult.Applied a ->
          out()
              .println(terminal.green("applied") + " "
                  + a.environment() + where
                  + cancelled
                      .map(c -> " (it was past the point of no return when "
                          + "stopped: the new version serves)")
                      .orElse(""));
        case EnvironmentResult.Failed f -> failed(f, where);
      }
    }
  }

  /** How {@code adopt --undo} ended: each step it took, and where it stopped if it did. */
  public synchronized void adoptionUndone(String environment, AdoptionUndo.Result result) {
    if (result.failure().isEmpty()) {
      out()
          .println(terminal.green("undone") + " " + environment
              + ": what it took over runs again; reconcile's containers are stopped and kept."
              + " To stay there, remove the project (or its adopt) from projects.yml: the next"
              + " apply would take it over again.");
      return;
    }
    var failure = result.failure().get();
    err()
        .println("reconcile: " + terminal.red("failed") + " to undo the adoption of " + environment
            + " at step '" + failure.step() + "': " + failure.getMessage());
    err()
        .println("  "
            + (result.done().isEmpty()
                ? "nothing had been changed"
                : "done before it (and left so): " + String.join("; ", result.done())));
  }

  /** What an environment takes over, as it is now ({@code reconcile adopt} without --undo). */
  public synchronized void adoption(
      String environment, String what, List<String> containers, Optional<String> site) {
    out().println(environment + " takes over " + what + ":");
    if (containers.isEmpty()) {
      out().println("  no container of it is on the host");
    }
    containers.forEach(c -> out().println("  " + c));
    site.ifPresent(s -> out().println("  " + s));
  }

  /** Says what failed, then exactly what the rollback undid and what it could not. */
  private void failed(EnvironmentResult.Failed f, String where) {
    var failure = f.failure();
    err()
        .println("reconcile: " + terminal.red("failed") + " " + f.environment() + where + " at "
            + failure.id() + ", step '" + failure.step() + "': " + failure.getMessage());
    var undo = failure.undo();
    if (undo.committed()) {
      err()
          .println("  it failed past the point of no return: what came before it stays done and "
              + "nothing was rolled back");
      err().println("  run 'reconcile plan' to see what is left; 'reconcile apply' finishes it");
    } else if (!undo.complete()) {
      err()
          .println("  " + terminal.red("ROLLBACK INCOMPLETE") + ": "
              + String.join("; ", undo.notUndone())
              + (undo.undone().isEmpty()
                  ? ""
                  : "; what was undone: " + String.join("; ", undo.undone())));
      err().println("  run 'reconcile plan' to see what is left; 'reconcile apply' finishes it");
    } else if (undo.interrupted()) {
      err()
          .println("  traffic was interrupted (update: recreate stopped the old container); "
              + String.join("; ", undo.undone()) + ".");
    } else if (!undo.undone().isEmpty()) {
      err()
          .println("  rolled back: " + String.join("; ", undo.undone())
              + "; traffic goes where it went before.");
    } else {
      err().println("  nothing had changed there yet; traffic goes where it went before.");
    }
  }

  @Override
  public synchronized void backedUp(String environment, String id, long bytes) {
    out()
        .println("  backup " + id + " of " + environment + " taken before the deploy ("
            + String.format("%.1f MiB", bytes / (double) (1 << 20)) + ")");
  }

  /** @param goesOn whether the deploy goes on without it (--skip-backup) */
  @Override
  public synchronized void backupFailed(String environment, String why, boolean goesOn) {
    err()
        .println(
            "reconcile: " + terminal.red("the backup of " + environment + " failed") + ": " + why);
    err()
        .println(
            goesOn
                ? "  " + terminal.red("deploying it WITHOUT a backup") + " (--skip-backup)"
                : "  it is not deployed: nothing was changed there (apply --skip-backup deploys without one)");
  }
}
