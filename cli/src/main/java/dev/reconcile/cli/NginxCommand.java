package dev.reconcile.cli;

import dev.reconcile.engine.Layout;
import dev.reconcile.model.NginxSettings;
import dev.reconcile.provider.Capabilities;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.provider.SiteControl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Shows or stops the nginx the tool runs itself (managed mode). */
@Command(
    name = "nginx",
    mixinStandardHelpOptions = true,
    description = {
      "Show or stop the managed nginx: the one reconcile starts itself, with its",
      "prefix in STATE/nginx, listening on platform.nginx.listen. It keeps",
      "serving after a command exits; apply starts it again when needed.",
      "  status   whether it runs, its pid, where it listens, its files",
      "  stop     a graceful stop (open requests finish): the sites go offline"
    },
    footer = {"", "Exit codes: 0 done (status prints whether it runs); 1 error."})
final class NginxCommand implements Callable<Integer> {
  enum Action {
    status,
    stop
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(paramLabel = "ACTION", description = "status or stop.")
  Action action;

  @Override
  public Integer call() throws ProviderException {
    var terminal = root.terminal();
    var global = root.global();
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var platform = loaded.get().platform();
    var layout = Layout.of(global.specPath(), platform);
    var door = layout.frontDoor(root.reconciliation().hosts().thisMachine(), platform.nginx());
    var sites =
        Capabilities.find(root.reconciliation().providers(), SiteControl.class).orElseThrow();
    if (!(platform.nginx() instanceof NginxSettings.Managed managed)) {
      terminal
          .err()
          .println("reconcile: platform.nginx.mode is system: the system's nginx is "
              + "not reconcile's to show or stop (use systemctl or your init system).");
      return ExitCodes.ERROR;
    }
    return switch (action) {
      case status -> {
        var pid = sites.runningPid(door);
        terminal
            .out()
            .println(pid.map(p -> "nginx runs (pid " + p + "), listening on " + managed.listenHost()
                    + ":" + managed.listenPort())
                .orElse("nginx is not running"));
        terminal.out().println("  config: " + layout.stateDir().resolve("nginx/nginx.conf"));
        terminal.out().println("  sites:  " + layout.sitesDir());
        terminal.out().println("  logs:   " + layout.stateDir().resolve("nginx/logs"));
        yield ExitCodes.OK;
      }
      case stop -> {
        var stopped = sites.stop(door);
        terminal
            .out()
            .println(
                stopped ? "Stopped nginx; its sites no longer answer." : "nginx was not running.");
        yield ExitCodes.OK;
      }
    };
  }
}
