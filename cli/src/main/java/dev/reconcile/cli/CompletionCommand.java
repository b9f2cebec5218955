package dev.reconcile.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints the shell completion script of every command and option (picocli writes it). */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a completion script for bash or zsh: commands, options and",
      "their values complete on TAB.",
      "",
      "  source <(reconcile completion)                  this shell only",
      "  reconcile completion > /etc/bash_completion.d/reconcile",
      "In zsh, run 'autoload -U +X bashcompinit && bashcompinit' first.",
      "The Debian package installs it for both."
    })
final class CompletionCommand implements Callable<Integer> {
  /** The shells the script works in: zsh runs the bash one through bashcompinit. */
  enum Shell {
    bash,
    zsh
  }

  @ParentCommand
  ReconcileCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash (default) or zsh.")
  Shell shell = Shell.bash;

  @Override
  public Integer call() {
    // Main registers only the command a run names; the script needs them all.
    var every = new CommandLine(new ReconcileCommand(root.terminal()));
    ReconcileCommand.COMMANDS.forEach((name, make) -> every.addSubcommand(name, make.get()));
    root.terminal().out().print(AutoComplete.bash("reconcile", every));
    root.terminal().out().flush();
    return ExitCodes.OK;
  }
}
