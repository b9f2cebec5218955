package dev.reconcile.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** A command in the serving slot of a container, as docker exec, without guessing its name. */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a command in the container that serves now (its live slot), with",
      "this terminal: a terminal of its own when standard input is one, plain",
      "pipes otherwise (so it can be scripted). Its exit code is the exit code.",
      "Without CMD: sh."
    },
    footer = {
      "",
      "Examples:",
      "  reconcile exec shop web -- sh             # a shell in the serving slot",
      "  reconcile exec shop db --env production -- psql -U postgres",
      "  reconcile exec shop web -- alembic current",
      "",
      "Exit codes: the command's own; 1 when it could not be started (unknown",
      "project, environment or container; nothing runs; engine unreachable)."
    })
final class ExecCommand implements Callable<Integer> {
  @ParentCommand
  ReconcileCommand root;

  @Mixin
  InContainer args = new InContainer();

  @Override
  public Integer call() throws IOException, InterruptedException {
    return args.run(root, t -> {
      var live = t.consoles()
          .running(t.project(), t.environment(), Optional.of(args.container))
          .getFirst();
      return t.consoles()
          .exec(
              live,
              args.command.isEmpty() ? List.of("sh") : args.command,
              AppTarget.stdinIsTerminal());
    });
  }
}
