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

/** A command in a throwaway copy of a container: its image, env, volumes and network. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a command in a new, throwaway container made like CONTAINER as",
      "projects.yml declares it (image, env, volumes, its project's network, so",
      "it reaches the database by name), with this terminal; the container is",
      "removed afterwards. For one-off tasks: a migration by hand, a shell, a",
      "script. Its exit code is the exit code."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile run shop web -- alembic downgrade -1",
      "  reconcile run shop web --env staging -- python manage.py createsuperuser",
      "  reconcile run shop web -- python -c 'print(1)'",
      "",
      "Exit codes: the command's own; 1 when it could not be started."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Parameters(index = "0", paramLabel = "PROJECT", description = "The project.")
  String project;

  @Parameters(
      index = "1",
      paramLabel = "CONTAINER",
      description = "The container to copy, by its name in projects.yml.")
  String container;

  @Parameters(
      index = "2..*",
      paramLabel = "CMD",
      description = "The command and its arguments, after --. Default: the image's command.")
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
      return t.consoles()
          .run(t.project(), t.environment(), container, command, AppTarget.stdinIsTerminal());
    } catch (Consoles.Refused e) {
      view.refused(Texts.messageOf(e));
      return ExitCodes.ERROR;
    } catch (ProviderException e) {
      view.failed(e);
      return ExitCodes.ERROR;
    }
  }
}
