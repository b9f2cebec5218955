package dev.reconcile.cli;

import dev.reconcile.engine.Layout;
import dev.reconcile.lock.EnvironmentLock;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Removes an environment's lock by hand, for when its holder cannot. */
@Command(
    name = "unlock",
    mixinStandardHelpOptions = true,
    description = {
      "Remove the apply lock of one project environment, whoever holds it.",
      "",
      "Rarely needed: a lock whose process is gone (on this host) or whose",
      "heartbeat is older than 10 minutes is taken over by the next apply.",
      "Use it when an apply on another machine died. Make sure no apply runs."
    },
    footer = {"", "Exit codes: 0 removed or there was none; 1 error."})
final class UnlockCommand implements Callable<Integer> {
  @ParentCommand ReconcileCommand root;

  @Option(names = "--project", required = true, paramLabel = "NAME") String project;

  @Option(names = "--env", required = true, paramLabel = "NAME") String environment;

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var global = root.global();
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = Layout.of(global.specPath(), loaded.get().platform());
    var key = project + "/" + environment;
    var holder = EnvironmentLock.forceRelease(layout.stateDir(), key);
    terminal.out().println(holder.map(h -> "Removed the lock of " + key + ", held by " + h.describe() + ".")
        .orElse(key + " was not locked."));
    return ExitCodes.OK;
  }
}
