package dev.reconcile.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "script. Its exit code is the exit code. Without CMD: the image's command."
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

  @Mixin
  InContainer args = new InContainer();

  @Override
  public Integer call() throws IOException, InterruptedException {
    return args.run(
        root,
        t -> t.consoles()
            .run(
                t.project(),
                t.environment(),
                args.container,
                args.command,
                AppTarget.stdinIsTerminal()));
  }
}
