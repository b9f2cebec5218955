package dev.reconcile.cli;

import dev.reconcile.cli.view.Output;
import dev.reconcile.cli.view.Terminal;
import dev.reconcile.probe.HttpProbe;
import dev.reconcile.provider.ProviderException;
import dev.reconcile.util.Texts;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/** The process entry point: builds the command line, runs it, exits with its code. */
public final class Main {
  private Main() {}

  static {
    // Two searches of the class path a run need not make: picocli's default factory looking for
    // Groovy's Closure class, and slf4j's ServiceLoader search for a provider. With a jar per
    // dependency they were ~20 and ~30 ms of every run (docs/benchmarks.md, start-up).
    System.setProperty("picocli.disable.closures", "true");
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
      // Else slf4j says on stderr that it used the property.
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
  }

  public static void main(String[] args) {
    // A controller of the same projects.yml may run it warm (Handoff); else it runs here.
    var handed = Handoff.run(args);
    if (handed.isPresent()) {
      System.exit(handed.getAsInt());
    }
    var code = run(Terminal.system(), args);
    // Threads left in native code hold the JVM's exit (see HttpProbe.shutdown).
    HttpProbe.shutdown();
    System.exit(code);
  }

  /** Runs one invocation against the given streams; tests call this with captured ones. */
  public static int run(Terminal terminal, String... args) {
    return run(new ReconcileCommand(terminal), terminal, args);
  }

  static int run(ReconcileCommand command, Terminal terminal, String... args) {
    try (command) {
      return execute(command, terminal, args);
    }
  }

  private static int execute(ReconcileCommand command, Terminal terminal, String... args) {
    var named = commandNamed(args);
    if (!command.caller().handedOff()) {
      Ahead.start(named, args); // a controller's process has all of it built already
    }
    var cli = new CommandLine(command);
    // "reconcile --version" needs no command at all (each costs picocli's reflection).
    var versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    ReconcileCommand.COMMANDS.forEach((name, make) -> {
      if (!versionOnly && (named.isEmpty() || named.get().equals(name))) {
        cli.addSubcommand(name, make.get());
      }
    });
    // A relative path is the caller's: the same as picocli's own reading in this process. After
    // the subcommands: a converter reaches only those added before it.
    var cwd = command.caller().cwd();
    cli.registerConverter(Path.class, cwd::resolve);
    cli.getHelpSectionMap()
        .put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            ReconcileCommand::commandList);
    cli.setOut(new PrintWriter(terminal.out(), true));
    cli.setErr(new PrintWriter(terminal.err(), true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((e, a) -> {
      terminal.err().println("reconcile: " + e.getMessage());
      if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
        // A mistyped command or option: "Did you mean: reconcile plan?"
        var writer = new PrintWriter(terminal.err(), true);
        CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, writer);
        writer.flush();
      }
      var help = e.getCommandLine().getCommandSpec().qualifiedName();
      terminal.err().println("Run '" + help + " --help' for the options.");
      return ExitCodes.ERROR;
    });
    cli.setExecutionExceptionHandler((e, c, p) -> {
      if (e instanceof ProviderException fault) {
        // The world answered badly (an engine, nginx, a host): the user's to look at, not a bug.
        terminal.err().println("reconcile: " + fault.where() + ": " + fault.getMessage());
        if (!fault.hint().isEmpty()) {
          terminal.err().println("  hint: " + fault.hint());
        }
        return ExitCodes.ERROR;
      }
      if (e instanceof UncheckedIOException io) {
        // A file the tool needs cannot be read or written: the user's to fix, not a bug.
        var cause = io.getCause();
        var message =
            cause != null && Texts.messageOf(io).startsWith(cause.getClass().getName())
                ? Texts.messageOf(cause)
                : Texts.messageOf(io);
        terminal.err().println("reconcile: " + message);
        return ExitCodes.ERROR;
      }
      terminal.err().println("reconcile: internal error: " + e);
      if (command.env().get("RECONCILE_DEBUG") != null) {
        e.printStackTrace(terminal.err());
      } else {
        terminal.err().println("This is a bug. Run with RECONCILE_DEBUG=1 for the stack trace.");
      }
      return ExitCodes.ERROR;
    });
    cli.setExecutionStrategy(parsed -> {
      // --output is global so that it may stand anywhere, but only validate has a JSON view:
      // printing text when JSON was asked for would break whoever parses it.
      var leaf = parsed.subcommands().isEmpty() ? parsed : parsed.subcommands().getLast();
      while (!leaf.subcommands().isEmpty()) {
        leaf = leaf.subcommands().getLast();
      }
      var name = leaf.commandSpec().name();
      if (command.global().output == Output.json
          && !name.equals("validate")
          && !name.equals("backup")
          && !leaf.isUsageHelpRequested()
          && !leaf.isVersionHelpRequested()) {
        terminal
            .err()
            .println("reconcile: " + name + " has no JSON output (--output json is for "
                + "validate and backup; plan has --format json)");
        return ExitCodes.ERROR;
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli.execute(args);
  }

  /**
   * The command a run names: the first argument that is not an option or an option's value, when
   * it is one of the commands; else empty (then all are registered, for help and suggestions).
   */
  static Optional<String> commandNamed(String... args) {
    for (int i = 0; i < args.length; i++) {
      var arg = args[i];
      if (arg.equals("-f") || arg.equals("--file") || arg.equals("--output")) {
        i++; // its value
        continue;
      }
      if (arg.startsWith("-")) {
        continue;
      }
      return ReconcileCommand.COMMANDS.containsKey(arg) ? Optional.of(arg) : Optional.empty();
    }
    return Optional.empty();
  }
}
