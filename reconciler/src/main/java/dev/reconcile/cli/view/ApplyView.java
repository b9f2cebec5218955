package dev.reconcile.cli.view;

import dev.reconcile.execute.ExecutionListener;
import dev.reconcile.execute.Executor.EnvironmentResult;
import dev.reconcile.lock.EnvironmentLock;
import dev.reconcile.resource.ResourceId;
import java.io.PrintStream;
import java.util.List;

/** Progress and outcome of an apply, one line per step (quiet and greppable off a terminal). */
public final class ApplyView implements ExecutionListener {
  private final Terminal terminal;
  private final ProgressLine progress;

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

  public synchronized void needsConfirmation() {
    err().println("reconcile: apply changes nothing without a yes: not on a terminal, it "
        + "cannot ask. Run 'reconcile apply --yes', or apply a reviewed plan file "
        + "('reconcile plan --out plan.json', then 'reconcile apply plan.json').");
  }

  public synchronized void declined() {
    err().println("Apply cancelled; nothing was changed.");
  }

  public synchronized void preflightFailed(List<String> problems) {
    err().println("reconcile: " + terminal.red("pre-flight failed") + "; nothing was changed:");
    problems.forEach(p -> err().println("  " + p));
  }

  public synchronized void preflightForced(List<String> problems) {
    err().println("reconcile: " + terminal.red("WARNING: pre-flight failed and --force goes on anyway:"));
    problems.forEach(p -> err().println("  " + p));
  }

  public synchronized void stale(String why) {
    err().println("reconcile: " + terminal.red("stale plan") + ": " + why);
    err().println("  hint: make a new plan ('reconcile plan --out FILE'), review it, apply that");
  }

  public synchronized void unreadablePlan(String file, String why) {
    err().println("reconcile: cannot use " + file + ": " + why);
  }

  public synchronized void held(EnvironmentLock.Attempt.Held held) {
    err().println("reconcile: " + held.environment() + " is locked by another apply: "
        + held.holder().describe());
    err().println("  hint: wait for it to finish; if its process is gone the lock is taken "
        + "over by itself; 'reconcile unlock --project P --env E' removes it by hand (" + held.file() + ")");
  }

  public synchronized void tookOver(String environment, EnvironmentLock.Holder stale) {
    err().println("reconcile: " + terminal.yellow("warning") + ": took over the stale lock of "
        + environment + " from " + stale.describe());
  }

  public synchronized void recorded(dev.reconcile.history.Snapshot snapshot) {
    out().println("  snapshot " + snapshot.project() + "/" + snapshot.environment() + " #"
        + snapshot.serial() + " (" + snapshot.result() + ")");
  }

  public synchronized void notRecorded(String why) {
    err().println("reconcile: " + terminal.yellow("warning") + ": the snapshot was not written: " + why);
  }

  public synchronized void results(List<EnvironmentResult> results) {
    for (var result : results) {
      switch (result) {
        case EnvironmentResult.Applied a -> out().println(terminal.green("applied") + " "
            + a.environment());
        case EnvironmentResult.Failed f -> {
          err().println("reconcile: " + terminal.red("failed") + " " + f.environment() + " at "
              + f.failure().id() + ", step '" + f.failure().step() + "': " + f.failure().getMessage());
          err().println("  what this apply started there was removed, and traffic stays "
              + "where it was.");
        }
      }
    }
  }
}
