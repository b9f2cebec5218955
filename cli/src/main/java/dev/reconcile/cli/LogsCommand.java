package dev.reconcile.cli;

import dev.reconcile.cli.view.LogsView;
import dev.reconcile.provider.ContainerRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The output of a project's containers, or its site's access log, without guessing container names. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show what a project's containers print: the serving slot of each (both",
      "slots, labelled, while a switch is under way), every line marked with its",
      "container. --access shows the requests nginx served the site instead",
      "(time, status, method, path, duration, bytes, the slot that answered).",
      "Works the same for servers over SSH and swarm services."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile logs shop                       # every container, last 100 lines",
      "  reconcile logs shop --env production -c web --follow",
      "  reconcile logs shop -c worker --since 10m",
      "  reconcile logs shop --access --tail 20    # the last 20 requests",
      "",
      "Exit codes: 0 shown (or followed until interrupted); 1 error (unknown",
      "project, environment or container; nothing runs; engine unreachable)."
    })
final class LogsCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  InEnvironment where = new InEnvironment();

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description =
          "Only this container (its name in projects.yml). Default: all of the environment's.")
  Optional<String> container = Optional.empty();

  @Option(names = "--follow", description = "Keep printing new lines until interrupted (Ctrl-C).")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Only lines of the last DURATION, e.g. 10m or 2h.")
  Optional<Duration> since = Optional.empty();

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N",
      defaultValue = "100",
      description = "Only the last N lines of each (default ${DEFAULT-VALUE}); 0 for all.")
  int tail;

  @Option(
      names = "--access",
      description = "The site's access log (nginx's requests) instead of the containers' output.")
  boolean access;

  @Override
  public Integer call() throws IOException, InterruptedException {
    return where.run(root, t -> {
      var view = new LogsView(root.terminal());
      if (access) {
        var slots = t.consoles().slotsByAddress(t.project(), t.environment());
        t.consoles()
            .accessLog(
                t.project(),
                t.environment(),
                tail <= 0 ? 100_000 : tail,
                follow,
                line -> view.request(line, slots));
        return ExitCodes.OK;
      }
      var running = t.consoles().running(t.project(), t.environment(), container);
      view.following(running);
      t.consoles()
          .logs(
              running,
              new ContainerRuntime.LogQuery(
                  since, tail <= 0 ? OptionalInt.empty() : OptionalInt.of(tail), follow),
              view::line);
      return ExitCodes.OK;
    });
  }
}
