package dev.reconcile.cli;

import dev.reconcile.cli.view.LogsView;
import dev.reconcile.console.Consoles;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command in the serving slot of a container, as docker exec, without guessing its name. */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a command in the container that serves now (its live slot), with",
      "this terminal: a terminal of its own when standard input is one, plain",
      "pipes otherwise (so it can be scripted). Its exit code is the exit code."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile exec shop web -- sh                      # a shell in the serving slot",
      "  reconcile exec shop db --env production -- psql -U postgres",
      "  reconcile exec shop web -- alembic current",
      "",
      "Exit codes: the command's own; 1 when it could not be started (unknown",
      "project, environment or container; nothing runs; engine unreachable)."
    })
final class ExecCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Parameters(index = "0", paramLabel = "PROJECT", description = "The project.")
  String project;

  @Parameters(
      index = "1",
      paramLabel = "CONTAINER",
      description = "The container, by its name in projects.yml.")
  String container;

  @Parameters(
      index = "2..*",
      paramLabel = "CMD",
      description = "The command and its arguments, after --. Default: sh.")
  List<String> command = new ArrayList<>();

  @Option(
      names = {"-e", "--env"},
      paramLabel = "ENV",
      description =
          "The environment. Default: the project's only one (required when it has several).")
  Optional<String> environment = Optional.empty();

  @Override
  public Integer call() throws IOException, InterruptedException {
    var target = AppTarget.of(root, project, environment);
    if (target.isEmpty()) {
      return ExitCodes.ERROR;
    }
    var view = new LogsView(root.terminal());
    try {
      var t = target.get();
      var live = t.consoles()
          .running(t.project(), t.environment(), Optional.of(container))
          .getFirst();
      return t.consoles()
          .exec(live, command.isEmpty() ? List.of("sh") : command, AppTarget.stdinIsTerminal());
    } catch (Consoles.Refused e) {
      view.refused(Texts.messageOf(e));
      return ExitCodes.ERROR;
    } catch (ProviderException e) {
      view.failed(e);
      return ExitCodes.ERROR;
    }
  }
}
