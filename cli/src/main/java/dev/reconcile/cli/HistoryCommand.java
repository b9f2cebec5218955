package dev.reconcile.cli;

import dev.reconcile.history.Snapshot;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** Lists the snapshots of past applies. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "List past applies per project environment, oldest first: serial, when,",
      "result, who, git commit, and each container's image with its id.",
      "The manifests are STATE/history/PROJECT.ENV/SERIAL.json",
      "(schema: snapshot.schema.json); platform.history of them are kept."
    },
    footer = {"", "Exit codes: 0 listed (also when there is no history yet); 1 error."})
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  SelectionOptions selection = new SelectionOptions();

  @Override
  public Integer call() throws IOException {
    var terminal = root.terminal();
    var global = root.global();
    var loaded = root.validSpec();
    if (loaded.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var spec = loaded.get();
    var layout = root.layout(spec);
    if (layout.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var store = layout.get().snapshots(spec.platform().history());
    var any = false;
    for (var project : spec.projects().values()) {
      for (var environment : project.environmentNames()) {
        if (selection.includes(project.name(), environment)) {
          var snapshots = store.list(project.name(), environment);
          if (!snapshots.isEmpty()) {
            any = true;
            terminal.out().println(terminal.bold(project.name() + "/" + environment));
            snapshots.forEach(s -> terminal.out().println(line(s)));
          }
        }
      }
    }
    // Environments taken out of the spec keep their history (unscoped runs show it).
    if (selection.projects.isEmpty() && selection.environments.isEmpty()) {
      for (var key : store.environments()) {
        var parts = key.split("/");
        if (!spec.declares(parts[0], parts[1])) {
          any = true;
          terminal
              .out()
              .println(
                  terminal.bold(key) + " (no longer declared in " + global.specShownAs() + ")");
          store.list(parts[0], parts[1]).forEach(s -> terminal.out().println(line(s)));
        }
      }
    }
    if (!any) {
      terminal.out().println("No applies recorded yet.");
    }
    return ExitCodes.OK;
  }

  private static String line(Snapshot s) {
    var images = s.containers().stream()
        .map(c -> c.component() + "=" + c.image() + " (" + shortId(c.imageId()) + ")")
        .collect(Collectors.joining(", "));
    return "  #" + s.serial() + "  " + s.time() + "  " + s.result()
        + s.origin().filter(o -> !o.equals("apply")).map(o -> " (" + o + ")").orElse("") + "  "
        + s.user()
        + s.gitCommit().map(c -> "  git " + c.substring(0, 12)).orElse("")
        + (images.isEmpty() ? "" : "  " + images)
        + s.failure().map(f -> "\n      " + f).orElse("");
  }

  private static String shortId(String id) {
    var hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.substring(0, Math.min(12, hex.length()));
  }
}
