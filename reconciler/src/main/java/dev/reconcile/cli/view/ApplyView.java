package dev.reconcile.cli.view;

import dev.reconcile.execute.ExecutionListener;
import dev.reconcile.execute.Executor.EnvironmentResult;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.resource.ResourceId;
import java.util.List;

/** Progress and outcome of an apply, one line per step (quiet and greppable off a terminal). */
public final class ApplyView implements ExecutionListener {
  private final Terminal terminal;

  public ApplyView(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public synchronized void step(ResourceId id, String what) {
    terminal.out().println("  " + terminal.dim(id.toString()) + ": " + what);
    terminal.out().flush();
  }

  public void nothingToDo() {
    terminal.out().println("Nothing to do: everything already matches projects.yml.");
  }

  public void needsConfirmation() {
    terminal.err().println("reconcile: apply changes nothing without a yes: not on a terminal, it "
        + "cannot ask. Run 'reconcile apply --yes', or apply a reviewed plan file "
        + "('reconcile plan --out plan.json', then 'reconcile apply plan.json').");
  }

  public void declined() {
    terminal.err().println("Apply cancelled; nothing was changed.");
  }

  public void preflightFailed(List<String> problems) {
    terminal.err().println("reconcile: " + terminal.red("pre-flight failed") + "; nothing was changed:");
    problems.forEach(p -> terminal.err().println("  " + p));
  }

  public void preflightForced(List<String> problems) {
    terminal.err().println("reconcile: " + terminal.red("WARNING: pre-flight failed and --force goes on anyway:"));
    problems.forEach(p -> terminal.err().println("  " + p));
  }

  public void stale(String why) {
    terminal.err().println("reconcile: " + terminal.red("stale plan") + ": " + why);
    terminal.err().println("  hint: make a new plan ('reconcile plan --out FILE'), review it, apply that");
  }

  public void unreadablePlan(String file, String why) {
    terminal.err().println("reconcile: cannot use " + file + ": " + why);
  }

  public void held(EnvironmentLock.Attempt.Held held) {
    terminal.err().println("reconcile: " + held.environment() + " is locked by another apply: "
        + held.holder().describe());
    terminal.err().println("  hint: wait for it to finish; if its process is gone the lock is taken "
        + "over by itself; 'reconcile unlock --project P --env E' removes it by hand (" + held.file() + ")");
  }

  public void tookOver(String environment, EnvironmentLock.Holder stale) {
    terminal.err().println("reconcile: " + terminal.yellow("warning") + ": took over the stale lock of "
        + environment + " from " + stale.describe());
  }

  public void recorded(dev.reconcile.history.Snapshot snapshot) {
    terminal.out().println("  snapshot " + snapshot.project() + "/" + snapshot.environment() + " #"
        + snapshot.serial() + " (" + snapshot.result() + ")");
  }

  public void notRecorded(String why) {
    terminal.err().println("reconcile: " + terminal.yellow("warning") + ": the snapshot was not written: " + why);
  }

  public void results(List<EnvironmentResult> results) {
    for (var result : results) {
      switch (result) {
        case EnvironmentResult.Applied a -> terminal.out().println(terminal.green("applied") + " "
            + a.environment());
        case EnvironmentResult.Failed f -> {
          terminal.err().println("reconcile: " + terminal.red("failed") + " " + f.environment() + " at "
              + f.failure().id() + ", step '" + f.failure().step() + "': " + f.failure().getMessage());
          terminal.err().println("  what this apply started there was removed, and traffic stays "
              + "where it was.");
        }
      }
    }
  }
}
