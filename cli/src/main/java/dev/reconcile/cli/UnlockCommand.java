package dev.reconcile.cli;

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
  @ParentCommand
  ReconcileCommand root;

  @Option(names = "--project", required = true, paramLabel = "NAME")
  String project;

  @Option(names = "--env", required = true, paramLabel = "NAME")
  String environment;

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var global = root.global();
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var layout = root.layout(loaded.get());
    if (layout.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var key = project + "/" + environment;
    return switch (EnvironmentLock.release(layout.get().home(), key)) {
      case EnvironmentLock.Release.Free free -> {
        terminal
            .out()
            .println(free.cleared()
                .map(h -> key + " was not locked; cleared the holder its " + "file still named, "
                    + h.describe() + ", whose process is gone.")
                .orElse(key + " was not locked."));
        yield ExitCodes.OK;
      }
      case EnvironmentLock.Release.InUse inUse -> {
        terminal
            .err()
            .println("reconcile: " + key + " is locked by a running process"
                + inUse.holder().map(h -> ", " + h.describe()).orElse("")
                + "; it is released when that "
                + "process ends (stop it with SIGTERM: an apply then rolls back what it started).");
        yield ExitCodes.ERROR;
      }
    };
  }
}
